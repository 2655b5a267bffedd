"""Arrays sent as one text parameter (``refairn.core.arrays``) read back as the values sent."""

import pytest
from django.db import connection

from refairn.core.arrays import array_text


def test_an_array_is_its_values_quoted_with_none_as_null() -> None:
    assert array_text([]) == "{}"
    assert array_text(["a", None, 'say "hi"', "back\\slash"]) == (
        '{"a",NULL,"say \\"hi\\"","back\\\\slash"}'
    )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's arrays")
@pytest.mark.django_db
def test_postgresql_reads_the_array_back_as_the_values() -> None:
    values = ["plain", 'a "quote"', "back\\slash", "", "comma, {brace}", "NULL", " spaced ", "é"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::text[], %s::text[]",
            [array_text(values), array_text([*values, None]), array_text([])],
        )
        assert cursor.fetchone() == (values, [*values, None], [])
