"""core.pagination: walking a list page by page yields every row once, in order, even when
the first keys tie; and the API's customer list honours ``limit`` and ``cursor`` (issue 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from refairn.core.errors import InvalidInput
from refairn.core.pagination import cursor_encode, keyset_page
from refairn.programs.models import Business, Customer
from refairn.programs.services import business_create
from tests.support import T0, ApiClient, assert_problem, make_user

ORDER = ("created_at", "id")


def _walk(limit: int) -> list[Customer]:
    rows: list[Customer] = []
    cursor = None
    while True:
        page = keyset_page(Customer.objects.all(), order=ORDER, limit=limit, cursor=cursor)
        assert len(page.items) <= limit
        rows += page.items
        if page.next_cursor is None:
            return rows
        cursor = page.next_cursor


class TestWalk(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        minutes=st.lists(st.integers(min_value=0, max_value=3), max_size=12),
        limit=st.integers(min_value=1, max_value=5),
    )
    def test_every_row_once_in_order(self, minutes: list[int], limit: int) -> None:
        business = business_create(user=make_user("o@b.test"), name="B")
        for n, minute in enumerate(minutes):
            Customer.objects.create(
                business=business,
                name=f"C{n}",
                monthly_value="1.00",
                subscribed_at=T0,
                created_at=T0 + timedelta(minutes=minute),
            )
        assert _walk(limit) == list(Customer.objects.order_by(*ORDER))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "x",
        cursor_encode(["2026-11-02T09:00:00Z"]),
        cursor_encode(["soon", "x"]),
        cursor_encode([1, 2]),
    ],
)
def test_a_foreign_cursor_is_invalid_input(cursor: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        keyset_page(Customer.objects.all(), order=ORDER, limit=2, cursor=cursor)
    assert refused.value.code == "invalid_cursor"


@pytest.mark.django_db
def test_the_customer_list_pages(as_alice: ApiClient, business_a: Business) -> None:
    for n in range(5):
        Customer.objects.create(
            business=business_a, name=f"C{n}", monthly_value="1.00", subscribed_at=T0
        )
    path = f"/businesses/{business_a.id}/customers"
    first = as_alice.get(f"{path}?limit=2")
    second = as_alice.get(f"{path}?limit=2&cursor={first['X-Next-Cursor']}")
    third = as_alice.get(f"{path}?limit=2&cursor={second['X-Next-Cursor']}")

    paged = [c["id"] for r in (first, second, third) for c in r.body]
    assert [len(r.body) for r in (first, second, third)] == [2, 2, 1]
    assert "X-Next-Cursor" not in third
    assert paged == [c["id"] for c in as_alice.get(path).body]
    assert len(set(paged)) == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", "validation_error"),
        ("limit=101", "validation_error"),
        ("cursor=%3D", "invalid_cursor"),
    ],
)
def test_bad_pages_of_customers_are_422(
    as_alice: ApiClient, business_a: Business, query: str, code: str
) -> None:
    assert_problem(as_alice.get(f"/businesses/{business_a.id}/customers?{query}"), 422, code)
