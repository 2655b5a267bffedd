"""The read measures' floors fetch the rows their endpoints answer (issue 17): the same tickets
and customers in the same order, with the same ``overdue``, so a ratio compares like with
like. Over the benchmark's own seeded support program, after its first sweep."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from refairn.core import clock
from refairn.demo.benchmark import support_program
from refairn.support.services import overdue_flags_raise

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture
def program() -> support_program.SupportProgram:
    program = support_program.seed(0.005, NOW, lambda *_: None)
    with clock.frozen(program.now):
        overdue_flags_raise()
    return program


def _answer(path: str, token: str) -> Any:
    with clock.frozen(NOW):
        response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    return response.json()


def _id(value: object) -> str:
    # SQLite keeps a UUID as its 32 hex digits.
    return str(uuid.UUID(str(value)))


def _shown(rows: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    return [(_id(row["id"]), bool(row["overdue"])) for row in rows]


def test_the_list_floor_fetches_the_page_the_list_answers(
    program: support_program.SupportProgram,
) -> None:
    path, token, queries = support_program.read_floors(program)["list"]
    [floor] = support_program.floor_rows(queries, support_program.read_params(program))
    answer = _answer(path, token)
    assert len(answer) == support_program.LIST_PAGE
    assert _shown(floor) == [(t["id"], t["overdue"]) for t in answer]
    assert {name for name in floor[0]} >= {"routing", "status", "paused_at", "customer_name"}


def test_the_workspace_floor_fetches_the_rows_the_workspace_answers(
    program: support_program.SupportProgram,
) -> None:
    path, token, queries = support_program.read_floors(program)["workspace"]
    customers, active, closed = support_program.floor_rows(
        queries, support_program.read_params(program)
    )
    answer = _answer(path, token)
    assert [_id(c["id"]) for c in customers] == [
        c["customer_id"] for c in answer["assigned_customers"]
    ]
    assert sorted(_shown(active)) == sorted(
        (t["id"], t["overdue"]) for t in answer["open_tickets"] + answer["overdue_tickets"]
    )
    assert _shown(closed) == [(t["id"], t["overdue"]) for t in answer["closed_tickets"]]
    assert any(t["overdue"] for t in answer["overdue_tickets"])
    assert len(answer["closed_tickets"]) == 100
