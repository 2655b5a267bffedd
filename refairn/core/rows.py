"""Saving the same fields of many rows at once."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router


def rows_update(rows: Sequence[models.Model], fields: Sequence[str]) -> None:
    """``save(update_fields=fields)`` of every row, as one ``executemany`` of a single
    ``UPDATE ... WHERE pk = %s``. Django's ``bulk_update`` builds a CASE expression per field
    and row instead, which costs milliseconds per row to build (an attempt's 50 questions took
    most of a grading call)."""
    if not rows:
        return
    model = type(rows[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    by_name = {field.name: field for field in meta.concrete_fields}
    columns = [by_name[name] for name in fields]
    pk = meta.pk
    assert pk is not None
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    # Identifiers come from the model's metadata; every value is a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
        + [pk.get_db_prep_value(row.pk, connection)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
