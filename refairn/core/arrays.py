"""PostgreSQL arrays sent as one text parameter (issue 17).

A list parameter is quoted element by element by the driver, which for thousands of rows took
longer than the statement itself; the text of the whole array is one string to quote, and the
server casts it (``%s::uuid[]``) and unnests it into rows.
"""

from __future__ import annotations

from collections.abc import Iterable


def array_text(values: Iterable[str | None]) -> str:
    """PostgreSQL's text form of an array of ``values``: every element quoted, None as NULL."""
    items = list(values)
    present = [value for value in items if value is not None]
    if not items:
        return "{}"
    if len(present) < len(items):
        return "{" + ",".join("NULL" if v is None else f'"{_escaped(v)}"' for v in items) + "}"
    # Joined first and escaped only when needed: a ledger batch sends 100,000s of plain values,
    # and one scan of the joined text is cheaper than one per value.
    text = '","'.join(present)
    if '"' in text or "\\" in text:
        text = '","'.join(_escaped(value) for value in present)
    return '{"' + text + '"}'


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
