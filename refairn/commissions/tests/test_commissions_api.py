"""API.md "Commissions": runs, the business view and its CSV, reversals, the agent's view."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest

from refairn.commissions.models import CommissionRun, ReferralEntry, SupportEntry
from refairn.commissions.tests import support_facts
from refairn.commissions.tests.ledgers import at, make_customer, run
from refairn.core import clock
from refairn.core.pagination import cursor_encode
from refairn.notifications.models import Notification
from refairn.programs.models import Agent, StaffMembership
from refairn.programs.selectors import actor_for
from refairn.programs.services import settings_update
from tests.support import api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db

DEC_1 = at(2026, 12, 1, 1)


@pytest.fixture
def ledgers(business_a: Any, bob: Any, dana: Any) -> None:
    """October: bob referred C (first subscribed Oct 16) and dana supports it from Oct 16.
    Referral: one-off 25.00 + 10 % of 310.00 * 16/31 = 16.00; support 20.00 * 16/31 = 10.32.
    November, every day: referral 31.00, support 20.00."""
    customer = make_customer(
        business_a, value="310.00", subscribed_at=at(2026, 10, 16), referred_by=bob, name="C"
    )
    support_facts.assign(customer, dana, at(2026, 10, 16))
    run(business_a, "2026-10")
    run(business_a, "2026-11")


def entry_count() -> int:
    return ReferralEntry.objects.count() + SupportEntry.objects.count()


def money(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "USD"}


# --- POST /businesses/{b}/commission-runs ----------------------------------------------------


def test_owner_runs_a_month_and_a_rerun_creates_nothing(
    as_alice: Any, business_a: Any, bob: Any
) -> None:
    make_customer(business_a, subscribed_at=at(2026, 11, 10), referred_by=bob)
    path = f"/businesses/{business_a.id}/commission-runs"
    with clock.frozen(DEC_1):
        first = as_alice.post(path, {"period": "2026-11"})
        second = as_alice.post(path, {"period": "2026-11"})

    assert first.status_code == 200, first.body
    assert {k: first.body[k] for k in ("period", "entries_created", "entries_existing")} == {
        "period": "2026-11",
        "entries_created": 2,
        "entries_existing": 0,
    }
    assert (second.body["entries_created"], second.body["entries_existing"]) == (0, 2)
    assert CommissionRun.objects.get(pk=first.body["run_id"]).started_by_id == as_alice.user.id


def test_a_manager_may_run(business_a: Any) -> None:
    manager = make_user("manager@a.test")
    StaffMembership.objects.create(business=business_a, user=manager, role="manager")
    with clock.frozen(DEC_1):
        response = api_as(manager).post(
            f"/businesses/{business_a.id}/commission-runs", {"period": "2026-11"}
        )
    assert response.status_code == 200, response.body


@pytest.mark.parametrize("body", [{"period": "2026-13"}, {"period": "nov"}, {}, {"period": 202611}])
def test_a_malformed_period_is_422(as_alice: Any, business_a: Any, body: Any) -> None:
    response = as_alice.post(f"/businesses/{business_a.id}/commission-runs", body)
    assert_problem(response, 422, "validation_error")
    assert "period" in [e["field"] for e in response.body["errors"]]
    assert not CommissionRun.objects.exists()


def test_unknown_fields_are_422(as_alice: Any, business_a: Any) -> None:
    response = as_alice.post(
        f"/businesses/{business_a.id}/commission-runs", {"period": "2026-10", "force": True}
    )
    assert_problem(response, 422, "validation_error")
    assert not CommissionRun.objects.exists()


def test_a_month_that_has_not_ended_is_409(as_alice: Any, business_a: Any, bob: Any) -> None:
    make_customer(business_a, subscribed_at=at(2026, 10, 10), referred_by=bob)
    response = as_alice.post(f"/businesses/{business_a.id}/commission-runs", {"period": "2026-11"})
    assert_problem(response, 409, "period_not_ended")
    assert response.body["ends_at"] == "2026-12-01T00:00:00+00:00"
    assert entry_count() == 0
    assert not CommissionRun.objects.exists()


def test_agents_cannot_run(as_bob: Any, business_a: Any) -> None:
    make_customer(business_a, subscribed_at=at(2026, 10, 10), referred_by=as_bob.user)
    response = as_bob.post(f"/businesses/{business_a.id}/commission-runs", {"period": "2026-10"})
    assert_problem(response, 403, "forbidden")
    assert entry_count() == 0
    assert not CommissionRun.objects.exists()


def test_another_tenant_cannot_run(as_charlie: Any, business_a: Any, bob: Any) -> None:
    make_customer(business_a, subscribed_at=at(2026, 10, 10), referred_by=bob)
    response = as_charlie.post(
        f"/businesses/{business_a.id}/commission-runs", {"period": "2026-10"}
    )
    assert_problem(response, 404, "not_found")
    assert entry_count() == 0


# --- GET /businesses/{b}/commissions -------------------------------------------------------


def test_business_view_lists_entries_with_totals(
    as_alice: Any, business_a: Any, ledgers: None, bob: Any, dana: Any
) -> None:
    response = as_alice.get(f"/businesses/{business_a.id}/commissions")

    assert response.status_code == 200, response.body
    entries = response.body["entries"]
    assert sorted(
        (e["ledger"], e["kind"], e["period"], e["amount"]["amount"]) for e in entries
    ) == [
        ("referral", "referral_one_off", "2026-10", "25.00"),
        ("referral", "referral_recurring", "2026-10", "16.00"),
        ("referral", "referral_recurring", "2026-11", "31.00"),
        ("support", "support_monthly", "2026-10", "10.32"),
        ("support", "support_monthly", "2026-11", "20.00"),
    ]
    one = next(e for e in entries if e["kind"] == "support_monthly")
    assert one["agent_id"] == str(dana.id)
    assert (one["agent_name"], one["customer_name"]) == ("dana@a.test", "C")
    assert one["reverses"] is None
    totals = response.body["totals"]
    assert totals["overall"] == [money("102.32")]
    assert totals["by_ledger"] == [
        {"ledger": "referral", "amount": money("72.00")},
        {"ledger": "support", "amount": money("30.32")},
    ]
    assert totals["by_kind"] == [
        {"kind": "referral_one_off", "amount": money("25.00")},
        {"kind": "referral_recurring", "amount": money("47.00")},
        {"kind": "support_monthly", "amount": money("30.32")},
    ]
    assert totals["by_period"] == [
        {"period": "2026-10", "amount": money("51.32")},
        {"period": "2026-11", "amount": money("51.00")},
    ]
    assert sorted((t["agent_id"], t["amount"]["amount"]) for t in totals["by_agent"]) == sorted(
        [(str(bob.id), "72.00"), (str(dana.id), "30.32")]
    )


def test_business_view_filters(
    as_alice: Any, business_a: Any, ledgers: None, bob: Any, dana: Any
) -> None:
    base = f"/businesses/{business_a.id}/commissions"

    by_period = as_alice.get(f"{base}?period=2026-11").body
    by_agent = as_alice.get(f"{base}?agent_id={dana.id}").body
    by_ledger = as_alice.get(f"{base}?ledger=referral&period=2026-10").body

    assert {e["period"] for e in by_period["entries"]} == {"2026-11"}
    assert by_period["totals"]["overall"] == [money("51.00")]
    assert {e["agent_id"] for e in by_agent["entries"]} == {str(dana.id)}
    assert by_agent["totals"]["overall"] == [money("30.32")]
    assert [e["kind"] for e in by_ledger["entries"]] == ["referral_one_off", "referral_recurring"]


def _walk(client: Any, path: str, limit: int) -> tuple[list[dict[str, Any]], list[Any]]:
    """Every page of a statement: the entries in order, and each page's body."""
    entries: list[dict[str, Any]] = []
    bodies: list[Any] = []
    cursor = ""
    while True:
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}limit={limit}{cursor}")
        assert response.status_code == 200, response.body
        bodies.append(response.body)
        if "entries" in response.body:
            entries += response.body["entries"]
        else:
            entries += response.body["referral"]["entries"] + response.body["support"]["entries"]
        assert response.get("X-Next-Cursor") == response.body["next_cursor"]
        if response.body["next_cursor"] is None:
            return entries, bodies
        cursor = f"&cursor={response.body['next_cursor']}"


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_business_view_pages_across_both_ledgers(
    as_alice: Any, business_a: Any, ledgers: None, limit: int
) -> None:
    """Issue 18: the list honours ``limit`` and ``cursor``; the totals cover every page."""
    path = f"/businesses/{business_a.id}/commissions"
    whole = as_alice.get(path).body
    entries, bodies = _walk(as_alice, path, limit)

    assert [e["id"] for e in entries] == [e["id"] for e in whole["entries"]]
    assert all(len(body["entries"]) <= limit for body in bodies)
    assert len(bodies) == -(-5 // limit)
    assert all(body["totals"] == whole["totals"] for body in bodies)


def test_an_agent_statement_pages_too(as_bob: Any, business_a: Any, ledgers: None) -> None:
    whole = as_bob.get(f"/me/commissions?business_id={business_a.id}").body
    entries, bodies = _walk(as_bob, f"/me/commissions?business_id={business_a.id}", 1)

    assert [e["id"] for e in entries] == [e["id"] for e in whole["referral"]["entries"]]
    assert len(bodies) == 3
    assert all(body["referral"]["total"] == money("72.00") for body in bodies)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limit=0", "validation_error"),
        ("limit=101", "validation_error"),
        ("cursor=nonsense", "invalid_cursor"),
        (f"cursor={cursor_encode(['referral'])}", "invalid_cursor"),
        (
            f"cursor={cursor_encode(['bonus', '2026-10', '2026-10-16T00:00:00Z', 'k'])}",
            "invalid_cursor",
        ),
        (f"cursor={cursor_encode(['referral', '2026-10', 'soon', 'k'])}", "invalid_cursor"),
        (
            f"cursor={cursor_encode(['referral', '2026-10', '0001-01-01T00:00:00+14:00', 'k'])}",
            "invalid_cursor",
        ),
    ],
)
def test_bad_pages_are_422(as_alice: Any, business_a: Any, query: str, code: str) -> None:
    response = as_alice.get(f"/businesses/{business_a.id}/commissions?{query}")
    assert_problem(response, 422, code)


def test_the_csv_export_streams(as_alice: Any, business_a: Any, ledgers: None) -> None:
    response = as_alice.get(f"/businesses/{business_a.id}/commissions.csv")
    assert response.streaming
    assert len(b"".join(response.streaming_content).splitlines()) == 1 + 5


@pytest.mark.parametrize("query", ["period=2026-1", "agent_id=bob", "ledger=bonus"])
def test_business_view_bad_filters_are_422(as_alice: Any, business_a: Any, query: str) -> None:
    response = as_alice.get(f"/businesses/{business_a.id}/commissions?{query}")
    assert_problem(response, 422, "validation_error")
    assert query.split("=")[0] in [e["field"] for e in response.body["errors"]]


def test_agents_and_reviewers_cannot_see_the_business_view(
    as_bob: Any, business_a: Any, ledgers: None
) -> None:
    reviewer = make_user("reviewer@a.test")
    StaffMembership.objects.create(business=business_a, user=reviewer, role="reviewer")
    for client in (as_bob, api_as(reviewer)):
        assert_problem(client.get(f"/businesses/{business_a.id}/commissions"), 403, "forbidden")


def test_another_tenant_cannot_see_the_business_view(
    as_charlie: Any, business_a: Any, ledgers: None
) -> None:
    assert_problem(as_charlie.get(f"/businesses/{business_a.id}/commissions"), 404, "not_found")


# --- GET /businesses/{b}/commissions.csv ---------------------------------------------------


def test_csv_export_has_one_row_per_entry(as_alice: Any, business_a: Any, ledgers: None) -> None:
    response = as_alice.get(f"/businesses/{business_a.id}/commissions.csv?period=2026-10")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="commissions-2026-10.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted((r["kind"], r["amount"], r["currency"]) for r in rows) == [
        ("referral_one_off", "25.00", "USD"),
        ("referral_recurring", "16.00", "USD"),
        ("support_monthly", "10.32", "USD"),
    ]
    assert {r["customer_name"] for r in rows} == {"C"}


def test_csv_export_neutralises_formulas_in_names(as_alice: Any, business_a: Any, bob: Any) -> None:
    make_customer(business_a, subscribed_at=at(2026, 10, 2), referred_by=bob, name="=HYPERLINK(1)")
    run(business_a, "2026-10")
    response = as_alice.get(f"/businesses/{business_a.id}/commissions.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["customer_name"] for r in rows} == {"'=HYPERLINK(1)"}


def test_csv_export_bad_input_wrong_role_and_other_tenant(
    as_alice: Any, as_bob: Any, as_charlie: Any, business_a: Any, ledgers: None
) -> None:
    path = f"/businesses/{business_a.id}/commissions.csv"
    assert_problem(as_alice.get(f"{path}?period=11-2026"), 422, "validation_error")
    assert_problem(as_bob.get(path), 403, "forbidden")
    assert_problem(as_charlie.get(path), 404, "not_found")


# --- POST /businesses/{b}/commissions/{entry}/reversal -------------------------------------


REFUND = {"code": "customer_refunded", "note": "refund"}


def support_entry_id(business: Any, period: str = "2026-11") -> str:
    return str(SupportEntry.objects.get(business=business, period=period).id)


def test_owner_reverses_an_entry(as_alice: Any, business_a: Any, ledgers: None, dana: Any) -> None:
    original = support_entry_id(business_a)
    response = as_alice.post(
        f"/businesses/{business_a.id}/commissions/{original}/reversal",
        {"code": "customer_refunded", "note": "refunded November"},
    )

    assert response.status_code == 201, response.body
    assert response.body["reverses"] == original
    assert response.body["amount"] == money("-20.00")
    assert response.body["period"] == "2026-11"
    assert response.body["reversal_code"] == "customer_refunded"
    assert response.body["note"] == "refunded November"
    view = as_alice.get(f"/businesses/{business_a.id}/commissions?ledger=support").body
    assert view["totals"]["by_period"] == [
        {"period": "2026-10", "amount": money("10.32")},
        {"period": "2026-11", "amount": money("0.00")},
    ]
    notice = Notification.objects.get(user=dana, kind="commission_reversed")
    assert "(customer refunded): refunded November" in notice.text
    # The reversed accrual is not paid again by a rerun: its key is still in the ledger.
    assert run(business_a, "2026-11").entries_created == 0


def test_an_entry_is_reversed_once_and_a_reversal_never(
    as_alice: Any, business_a: Any, ledgers: None
) -> None:
    base = f"/businesses/{business_a.id}/commissions"
    original = support_entry_id(business_a)
    reversal = as_alice.post(f"{base}/{original}/reversal", REFUND).body["id"]

    again = as_alice.post(f"{base}/{original}/reversal", REFUND)
    of_reversal = as_alice.post(f"{base}/{reversal}/reversal", REFUND)

    assert_problem(again, 409, "already_reversed")
    assert_problem(of_reversal, 409, "entry_is_reversal")
    assert SupportEntry.objects.filter(business=business_a).count() == 3


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({}, "reversal_code_required", "code"),
        ({"reason": "customer refunded"}, "reversal_code_required", "code"),
        ({"note": "customer refunded"}, "reversal_code_required", "code"),
        ({"code": "goodwill", "note": "x"}, "validation_error", "code"),
        ({"code": "chargeback"}, "validation_error", "note"),
        ({"code": "chargeback", "note": "   "}, "validation_error", "note"),
    ],
)
def test_a_reversal_is_a_stated_correction(
    as_alice: Any, business_a: Any, ledgers: None, body: Any, code: str, field: str
) -> None:
    """Issue 11: a code from the list and a note; a free-text reason alone is refused."""
    before = entry_count()
    response = as_alice.post(
        f"/businesses/{business_a.id}/commissions/{support_entry_id(business_a)}/reversal", body
    )
    assert_problem(response, 422, code)
    assert field in [e["field"] for e in response.body["errors"]]
    assert entry_count() == before


def test_the_agent_sees_the_code_and_note_on_the_statement(
    as_alice: Any, as_bob: Any, business_a: Any, ledgers: None
) -> None:
    original = ReferralEntry.objects.get(business=business_a, kind="referral_one_off").id
    as_alice.post(
        f"/businesses/{business_a.id}/commissions/{original}/reversal",
        {"code": "duplicate_entry", "note": "paid twice"},
    )
    entries = as_bob.get("/me/commissions").body["referral"]["entries"]
    reversal = next(e for e in entries if e["reverses"] == str(original))
    assert (reversal["reversal_code"], reversal["note"]) == ("duplicate_entry", "paid twice")


def test_reversal_wrong_role_other_tenant_and_unknown_entry(
    as_bob: Any, as_charlie: Any, as_alice: Any, business_a: Any, ledgers: None
) -> None:
    before = entry_count()
    path = f"/businesses/{business_a.id}/commissions/{support_entry_id(business_a)}/reversal"
    assert_problem(as_bob.post(path, REFUND), 403, "forbidden")
    assert_problem(as_charlie.post(path, REFUND), 404, "not_found")
    unknown = f"/businesses/{business_a.id}/commissions/00000000-0000-0000-0000-000000000000"
    assert_problem(as_alice.post(f"{unknown}/reversal", REFUND), 404, "not_found")
    assert entry_count() == before


def test_an_entry_of_another_business_is_not_found(
    as_charlie: Any, business_a: Any, business_b: Any, ledgers: None
) -> None:
    path = f"/businesses/{business_b.id}/commissions/{support_entry_id(business_a)}/reversal"
    assert_problem(as_charlie.post(path, REFUND), 404, "not_found")


# --- GET /me/commissions -------------------------------------------------------------------


def test_an_agent_sees_their_own_entries(as_bob: Any, business_a: Any, ledgers: None) -> None:
    response = as_bob.get("/me/commissions")

    assert response.status_code == 200, response.body
    referral, support = response.body["referral"], response.body["support"]
    assert referral["total"] == money("72.00")
    assert referral["totals"] == [money("72.00")]
    assert support == {"total": money("0.00"), "totals": [], "entries": []}
    entry = next(e for e in referral["entries"] if e["kind"] == "referral_one_off")
    assert {"id", "kind", "customer_id", "period", "amount", "reverses"} <= entry.keys()
    assert entry["amount"] == money("25.00")
    assert entry["period"] == "2026-10"
    assert entry["reverses"] is None
    assert sum(Decimal(e["amount"]["amount"]) for e in referral["entries"]) == Decimal("72.00")


def test_a_support_agent_sees_only_support_entries_of_theirs(
    as_dana: Any, business_a: Any, ledgers: None
) -> None:
    body = as_dana.get(f"/me/commissions?business_id={business_a.id}").body
    assert body["referral"]["entries"] == []
    assert [e["amount"]["amount"] for e in body["support"]["entries"]] == ["10.32", "20.00"]
    assert body["support"]["total"] == money("30.32")


def test_an_agent_in_two_programs_can_narrow_to_one(
    bob: Any, business_a: Any, business_b: Any, ledgers: None, charlie: Any
) -> None:
    Agent.objects.create(business=business_b, user=bob, status="approved")
    settings_update(actor=actor_for(charlie, business_b.id), patch={"currency": "EUR"})
    make_customer(business_b, subscribed_at=at(2026, 10, 5), referred_by=bob, name="B1")
    run(business_b, "2026-10")
    client = api_as(bob)

    everywhere = client.get("/me/commissions").body["referral"]
    only_b = client.get(f"/me/commissions?business_id={business_b.id}").body["referral"]

    # Two currencies: no single total, one sum per currency.
    assert everywhere["total"] is None
    assert everywhere["totals"] == [{"amount": "51.13", "currency": "EUR"}, money("72.00")]
    assert {e["business_id"] for e in only_b["entries"]} == {str(business_b.id)}
    # One-off 25.00 + 10 % of 300.00 for Oct 5..31 (27/31 days) = 26.129...
    assert only_b["total"] == {"amount": "51.13", "currency": "EUR"}


def test_me_commissions_bad_business_id_is_422(as_bob: Any) -> None:
    assert_problem(as_bob.get("/me/commissions?business_id=nope"), 422, "validation_error")


def test_staff_are_not_agents(as_alice: Any, business_a: Any, ledgers: None) -> None:
    assert_problem(as_alice.get("/me/commissions"), 403, "forbidden")
    assert_problem(as_alice.get(f"/me/commissions?business_id={business_a.id}"), 403, "forbidden")


def test_another_programs_statement_is_not_found(
    as_bob: Any, business_b: Any, ledgers: None
) -> None:
    assert_problem(as_bob.get(f"/me/commissions?business_id={business_b.id}"), 404, "not_found")
