"""PostgreSQL arrays sent as one text parameter (issue 17).

A list parameter is quoted element by element by the driver, which for thousands of rows took
longer than the statement itself; the text of the whole array is one string to quote, and the
server casts it (``%s::uuid[]``) and unnests it into rows.
"""

from __future__ import annotations

from collections.abc import Iterable


def array_text(values: Iterable[str | None]) -> str:
    """PostgreSQL's text form of an array of ``values``: every element quoted, None as NULL."""
    items = ["NULL" if value is None else '"' + _escaped(value) + '"' for value in values]
    return "{" + ",".join(items) + "}"


def _escaped(value: str) -> str:
    if '"' in value or "\\" in value:
        return value.replace("\\", "\\\\").replace('"', '\\"')
    return value
