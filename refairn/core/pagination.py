"""Keyset pagination for every list of the API (API.md: long lists accept ``?limit=&cursor=``).

A page is read with one query of ``limit + 1`` rows in a total order (the last key unique, e.g.
the id); the cursor is the order's values of the page's last row, opaque to callers. Unlike an
offset, a cursor stays right while rows are added, and reading page 300 costs what page 1 does.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Field, Model, Q, QuerySet
from django.http import HttpResponse, QueryDict

from refairn.core.answers import json_answer
from refairn.core.errors import InvalidInput, field_error
from refairn.core.instants import bounded_instant

DEFAULT_PAGE = 100
# Issue 17: no answer carries more than 100 rows, whatever the list; a larger ``limit`` is refused
# (422 ``validation_error`` naming ``limit``) rather than quietly shortened, so a caller that
# counts on its page size learns of the cap at once.
MAX_PAGE = 100
NEXT_CURSOR_HEADER = "X-Next-Cursor"

T = TypeVar("T")
U = TypeVar("U")
M = TypeVar("M", bound=Model)
# A page's row: a model instance, or a ``values()`` row holding the order's columns.
R = TypeVar("R", bound=Model | Mapping[str, Any])


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    # Set by ``keyset_window`` only (pages with a "previous" link): read with ``before=``.
    previous_cursor: str | None = None

    def map(self, rows: Callable[[list[T]], list[U]]) -> Page[U]:
        """The same page with its items turned into answer rows (built for the page only)."""
        return Page(rows(self.items), self.next_cursor, self.previous_cursor)


def page_limit(limit: int | None, *, default: int = DEFAULT_PAGE, maximum: int = MAX_PAGE) -> int:
    """The page size a caller asked for, or 422 naming ``limit``."""
    if limit is None:
        return default
    if not 1 <= limit <= maximum:
        raise field_error("limit", f"must be between 1 and {maximum}")
    return limit


def _invalid_cursor() -> InvalidInput:
    return field_error("cursor", "is not a cursor from this list", code="invalid_cursor")


def cursor_encode(values: Sequence[str]) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str, size: int) -> list[str]:
    """The values a cursor of this list carries; 422 ``invalid_cursor`` for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if not (
        isinstance(values, list) and len(values) == size and all(isinstance(v, str) for v in values)
    ):
        raise _invalid_cursor()
    return values


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name.lstrip("-"))
    if not isinstance(field, Field):
        raise TypeError(f"{name} is not a column of {model.__name__}")
    return field


def _typed(field: Field[Any, Any], text: str) -> Any:
    value = field.to_python(text)
    # A forged cursor must not carry an instant the database cannot compare (core.instants).
    return bounded_instant(value) if isinstance(value, datetime) else value


def _after(model: type[Model], order: Sequence[str], values: Sequence[str]) -> Q:
    """Rows after ``values`` in ``order``: (a > x) or (a = x and b > y) or ..., each
    comparison turned by the field's direction."""
    fields = [_field(model, name) for name in order]
    try:
        typed = [_typed(field, text) for field, text in zip(fields, values, strict=True)]
    except (ValidationError, ValueError):
        raise _invalid_cursor() from None
    after = Q(pk__in=[])
    for index, name in enumerate(order):
        field = name.lstrip("-")
        step = Q(**{f"{field}__{'lt' if name.startswith('-') else 'gt'}": typed[index]})
        for earlier, value in zip(order[:index], typed[:index], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        after |= step
    return after


def keyset_page(
    queryset: QuerySet[Any, R], *, order: Sequence[str], limit: int, cursor: str | None
) -> Page[R]:
    """One page of ``queryset`` in ``order`` (fields of the model, not null, the last one
    unique), after ``cursor``. ``limit`` has been checked by ``page_limit``. A ``values()``
    queryset pages too when its rows hold the order's columns."""
    model = queryset.model
    if cursor:
        queryset = queryset.filter(_after(model, order, cursor_decode(cursor, len(order))))
    rows = list(queryset.order_by(*order)[: limit + 1])
    if len(rows) <= limit:
        return Page(rows, None)
    return Page(rows[:limit], cursor_encode(row_values(rows[limit - 1], order, model)))


def keyset_window(
    queryset: QuerySet[Any, R],
    *,
    order: Sequence[str],
    limit: int,
    cursor: str | None,
    before: str | None = None,
) -> Page[R]:
    """A page for staff pages, which link both ways: after ``cursor`` as ``keyset_page``, or
    the ``limit`` rows just before ``before`` (read backwards, then put back in ``order``).
    ``previous_cursor`` is the ``before`` of the page preceding this one."""
    if before:
        back = [name[1:] if name.startswith("-") else f"-{name}" for name in order]
        values = cursor_decode(before, len(order))
        rows = list(
            queryset.filter(_after(queryset.model, back, values)).order_by(*back)[: limit + 1]
        )
        items = rows[:limit][::-1]
        if not items:
            return Page([], None)
        model = queryset.model
        earlier = cursor_encode(row_values(items[0], order, model)) if len(rows) > limit else None
        return Page(items, cursor_encode(row_values(items[-1], order, model)), earlier)
    page = keyset_page(queryset, order=order, limit=limit, cursor=cursor)
    # After a cursor there is at least the row it was made from.
    earlier = (
        cursor_encode(row_values(page.items[0], order, queryset.model))
        if cursor and page.items
        else None
    )
    return Page(page.items, page.next_cursor, earlier)


def row_values(
    row: Model | Mapping[str, Any], order: Sequence[str], model: type[Model] | None = None
) -> list[str]:
    """The values of ``order`` in ``row``, as a cursor carries them. A ``values()`` row of
    ``model`` gives the same strings as its instance would."""
    if isinstance(row, Model):
        return [_field(type(row), name).value_to_string(row) for name in order]
    if model is None:
        raise TypeError("a values() row needs its model")
    # An instance holding only those columns (``from_db`` takes them in the model's order).
    wanted = {_field(model, name).attname for name in order}
    names = [f.attname for f in model._meta.concrete_fields if f.attname in wanted]
    return row_values(model.from_db(None, names, [row[name] for name in names]), order)


def paged(response: HttpResponse, page: Page[T]) -> list[T]:
    """A page as the API answers a list: the items, and ``X-Next-Cursor`` when more remain."""
    if page.next_cursor:
        response[NEXT_CURSOR_HEADER] = page.next_cursor
    return page.items


def paged_answer(response: HttpResponse, page: Page[Any]) -> HttpResponse:
    """``paged`` for rows the server shaped as the answer's schema (``core.answers``)."""
    return json_answer(response, paged(response, page))


def page_links(query: QueryDict, page: Page[Any]) -> dict[str, str | None]:
    """The query strings of a staff page's "previous" and "next" links (``core/_pager.html``),
    the page's other parameters (filters) kept."""

    def link(name: str, value: str | None) -> str | None:
        if value is None:
            return None
        moved = query.copy()
        moved.pop("cursor", None)
        moved.pop("before", None)
        moved[name] = value
        return moved.urlencode()

    return {
        "previous": link("before", page.previous_cursor),
        "next": link("cursor", page.next_cursor),
    }
