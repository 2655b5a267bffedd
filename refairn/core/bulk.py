"""Model rows written many at a time (issue 17).

``bulk_create`` sends one parameter per value, each quoted by the driver: for the thousands of
warnings, notifications and outbox events a sweep may write, the quoting took longer than the
inserts. On PostgreSQL ``rows_insert`` sends each column as the text of one array
(``core.arrays``) and the server unnests them into rows; elsewhere it is ``bulk_create``.
``rows_update`` saves the same fields of many rows in one ``executemany``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, connections, models, router, transaction
from django.db.models.fields import AutoFieldMixin

from refairn.core.arrays import array_text

M = TypeVar("M", bound=models.Model)

# Rows per INSERT on PostgreSQL: one parameter per column whatever the count.
BATCH = 5000


def rows_insert(model: type[M], rows: Sequence[M], *, ignore_conflicts: bool = False) -> int:
    """Insert ``rows`` (instances of ``model``) as ``bulk_create`` would, in the caller's
    transaction; returns how many the database wrote. Their ids must be set (as
    ``UUIDModel``'s are), unless the model's id is one the database assigns. With
    ``ignore_conflicts``, a row a unique constraint already holds is skipped (ON CONFLICT DO
    NOTHING) and not counted."""
    meta = model._meta
    assigned = isinstance(meta.pk, AutoFieldMixin)
    if not assigned and any(row.pk is None for row in rows):
        raise ValueError(f"rows_insert needs the ids of the {model.__name__} rows set")
    if connection.vendor != "postgresql":
        return _bulk_create(model, rows, ignore_conflicts)
    fields = [field for field in meta.concrete_fields if not (assigned and field.primary_key)]
    ops = connection.ops
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    table = ops.quote_name(meta.db_table)
    conflicts = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    # Names and types from the model's own fields; every value goes as a parameter.
    sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}){conflicts}"  # noqa: S608
    written = 0
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            cursor.execute(
                sql,
                [array_text(_text(field, row) for row in batch) for field in fields],
            )
            written += max(cursor.rowcount, 0)
    return written


def _bulk_create(model: type[M], rows: Sequence[M], ignore_conflicts: bool) -> int:
    """``rows_insert`` through ``bulk_create``, counting the rows as the database reports
    them (``bulk_create`` does not say which conflicting rows it skipped)."""
    written = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        nonlocal written
        result = execute(sql, params, many, context)
        written += max(context["cursor"].rowcount, 0)
        return result

    with connection.execute_wrapper(count):
        model._default_manager.bulk_create(rows, batch_size=1000, ignore_conflicts=ignore_conflicts)
    return written


def _text(field: Any, row: models.Model) -> str | None:
    """The value of ``field`` in ``row`` as PostgreSQL reads it from an array's text."""
    value = field.pre_save(row, True)  # as bulk_create: defaults and auto_now_add applied
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=field.encoder)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def rows_update(rows: Sequence[models.Model], fields: Sequence[str]) -> None:
    """``save(update_fields=fields)`` of every row, as one ``executemany`` of a single
    ``UPDATE ... WHERE pk = %s``. Django's ``bulk_update`` builds a CASE expression per field
    and row instead, which costs milliseconds per row to build (an attempt's 50 questions took
    most of a grading call)."""
    if not rows:
        return
    model = type(rows[0])
    meta = model._meta
    writer = connections[router.db_for_write(model)]
    by_name = {field.name: field for field in meta.concrete_fields}
    columns = [by_name[name] for name in fields]
    pk = meta.pk
    assert pk is not None
    quote = writer.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    # Identifiers come from the model's metadata; every value is a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), writer) for field in columns]
        + [pk.get_db_prep_value(row.pk, writer)]
        for row in rows
    ]
    with writer.cursor() as cursor:
        cursor.executemany(sql, params)
