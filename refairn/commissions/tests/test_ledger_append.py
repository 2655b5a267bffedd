"""Issue 17: a ledger batch goes to PostgreSQL as one array text per column."""

from __future__ import annotations

import pytest
from django.db import connection

from refairn.commissions import ledger_append


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's array text form")
@pytest.mark.django_db
def test_an_array_text_reads_back_as_its_values() -> None:
    values = ["plain", 'a "quote"', "back\\slash", "NULL", "", "a,b {c}", " spaced ", "é:1"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::text[]",
            [ledger_append._array(values), ledger_append._array([])],
        )
        assert cursor.fetchone() == (values, [])
