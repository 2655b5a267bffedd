"""The benchmark's own database, and bulk seeding into it.

The database is created next to the configured one (on its PostgreSQL server, or as a file in a
temporary directory for SQLite), migrated, and dropped at the end, so a benchmark never reads or
writes a user's data.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Model


@contextmanager
def isolated_database() -> Iterator[str]:
    """Point the default connection at a fresh, migrated database; drop it afterwards.
    Yields a description of where it lives."""
    settings_dict = connection.settings_dict
    old_name = settings_dict["NAME"]
    scratch = tempfile.mkdtemp(prefix="refairn-bench-")
    if connection.vendor == "sqlite":
        settings_dict["TEST"]["NAME"] = os.path.join(scratch, "bench.sqlite3")
    else:
        # The process id keeps two benchmarks on one server apart.
        settings_dict["TEST"]["NAME"] = f"refairn_bench_{os.getpid()}"
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield f"{connection.vendor} database {name}"
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)


def rows_copy(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Seed plain rows into ``model``'s table: COPY on PostgreSQL, one prepared INSERT run
    over all rows elsewhere, in a transaction of its own (the product's writes use
    ``core.bulk.rows_insert``, which takes model instances and ON CONFLICT). No model
    instances are built; values are prepared by their fields
    (a UUID becomes SQLite's hex text, a Decimal PostgreSQL's numeric)."""
    meta = model._meta
    prepared = [meta.get_field(name) for name in fields]
    columns = ", ".join(connection.ops.quote_name(cast(str, field.column)) for field in prepared)  # type: ignore[union-attr]
    table = connection.ops.quote_name(meta.db_table)

    def values() -> Iterator[list[Any]]:
        for row in rows:
            yield [
                field.get_db_prep_save(value, connection)  # type: ignore[union-attr]
                for field, value in zip(prepared, row, strict=True)
            ]

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values():
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(prepared))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values()))  # noqa: S608 - names from the model
