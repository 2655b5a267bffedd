"""SLA deadlines through the API: the business's settings, tier overrides, calendar or business
hours (PRODUCT.md §2). The arithmetic itself is unit-tested in tests/unit/test_sla_deadlines.py."""

from datetime import UTC, datetime
from typing import Any

import pytest

from refairn.core import clock
from refairn.support.models import Ticket
from refairn.support.tests.conftest import new_customer, open_ticket
from tests.support import assert_problem

pytestmark = pytest.mark.django_db

# Friday 30 October 2026, 15:00 in New York (EDT, UTC-4). US daylight saving time ends on
# Sunday 1 November, so the following Monday opens at 09:00 EST = 14:00Z.
FRIDAY_AFTERNOON = datetime(2026, 10, 30, 19, 0, tzinfo=UTC)


def business_hours(as_alice: Any, business: Any, **overrides: Any) -> None:
    hours = {
        "timezone": "America/New_York",
        "weekdays": [0, 1, 2, 3, 4],
        "start": "09:00",
        "end": "17:00",
        "holidays": [],
        **overrides,
    }
    response = as_alice.patch(
        f"/businesses/{business.id}/settings", {"sla": {"business_hours": hours}}
    )
    assert response.status_code == 200, response.body


def opened_friday(as_alice: Any, customer: Any) -> dict[str, Any]:
    with clock.frozen(FRIDAY_AFTERNOON):
        return open_ticket(as_alice, customer)


def test_standard_tier_in_calendar_hours(as_alice: Any, business_a: Any) -> None:
    ticket = open_ticket(as_alice, new_customer(business_a, "Plain"))
    assert ticket["first_response_due_at"] == "2026-11-03T09:00:00Z"
    assert ticket["resolution_due_at"] == "2026-11-05T09:00:00Z"


def test_premium_override_in_calendar_hours(as_alice: Any, business_a: Any) -> None:
    ticket = open_ticket(as_alice, new_customer(business_a, "Gold", tier="premium"))
    assert ticket["first_response_due_at"] == "2026-11-02T13:00:00Z"
    assert ticket["resolution_due_at"] == "2026-11-03T09:00:00Z"


def test_business_set_tier_overrides_apply(as_alice: Any, business_a: Any) -> None:
    as_alice.patch(
        f"/businesses/{business_a.id}/settings",
        {
            "sla": {
                "first_response_hours": 48,
                "resolution_hours": 96,
                "tiers": {"enterprise": {"first_response_hours": 2, "resolution_hours": 8}},
            }
        },
    )
    enterprise = open_ticket(as_alice, new_customer(business_a, "Big", tier="enterprise"))
    standard = open_ticket(as_alice, new_customer(business_a, "Small"))
    assert enterprise["first_response_due_at"] == "2026-11-02T11:00:00Z"
    assert enterprise["resolution_due_at"] == "2026-11-02T17:00:00Z"
    assert standard["first_response_due_at"] == "2026-11-04T09:00:00Z"


def test_business_hours_skip_the_weekend_across_the_dst_change(
    as_alice: Any, business_a: Any
) -> None:
    business_hours(as_alice, business_a)
    ticket = opened_friday(as_alice, new_customer(business_a, "Plain"))
    # 24 working hours: 2 on Friday, 8 Mon, 8 Tue, 6 Wed -> Wed 15:00 EST = 20:00Z.
    assert ticket["first_response_due_at"] == "2026-11-04T20:00:00Z"
    # 72: 2 Fri + 8 x 8 (Mon 2 .. Wed 11) + 6 Thu 12 -> Thu 15:00 EST = 20:00Z.
    assert ticket["resolution_due_at"] == "2026-11-12T20:00:00Z"


def test_premium_in_business_hours_across_weekend_and_dst(as_alice: Any, business_a: Any) -> None:
    business_hours(as_alice, business_a)
    ticket = opened_friday(as_alice, new_customer(business_a, "Gold", tier="premium"))
    # 4h: 2 on Friday (EDT) + 2 on Monday from 09:00 EST (14:00Z, not 13:00Z) -> 16:00Z.
    assert ticket["first_response_due_at"] == "2026-11-02T16:00:00Z"
    # 24h: 2 Fri + 8 Mon + 8 Tue + 6 Wed -> Wed 15:00 EST = 20:00Z.
    assert ticket["resolution_due_at"] == "2026-11-04T20:00:00Z"


def test_a_holiday_does_not_count(as_alice: Any, business_a: Any) -> None:
    business_hours(as_alice, business_a, holidays=["2026-11-02"])
    ticket = opened_friday(as_alice, new_customer(business_a, "Gold", tier="premium"))
    # Monday is a holiday: the remaining 2 hours run on Tuesday from 09:00 EST.
    assert ticket["first_response_due_at"] == "2026-11-03T16:00:00Z"
    assert ticket["resolution_due_at"] == "2026-11-05T20:00:00Z"


def test_a_ticket_opened_at_night_starts_its_clock_at_the_next_opening(
    as_alice: Any, business_a: Any
) -> None:
    business_hours(as_alice, business_a)
    customer = new_customer(business_a, "Gold", tier="premium")
    with clock.frozen(datetime(2026, 11, 3, 3, 0, tzinfo=UTC)):  # Mon 22:00 EST
        ticket = open_ticket(as_alice, customer)
    assert ticket["first_response_due_at"] == "2026-11-03T18:00:00Z"  # Tue 13:00 EST


def test_deadlines_do_not_move_when_settings_change_later(as_alice: Any, business_a: Any) -> None:
    ticket = open_ticket(as_alice, new_customer(business_a, "Plain"))
    as_alice.patch(f"/businesses/{business_a.id}/settings", {"sla": {"first_response_hours": 1}})
    assert as_alice.get(f"/tickets/{ticket['id']}").body["first_response_due_at"] == (
        "2026-11-03T09:00:00Z"
    )


def test_business_hours_the_sla_cannot_use_are_refused_when_saved(
    as_alice: Any, business_a: Any
) -> None:
    """The support domain's own rule (a window of at least an hour) decides what is saved."""
    before = dict(business_a.settings)
    response = as_alice.patch(
        f"/businesses/{business_a.id}/settings",
        {"sla": {"business_hours": {"timezone": "UTC", "start": "09:00", "end": "09:30"}}},
    )
    assert_problem(response, 422, "validation_error")
    assert response.body["errors"] == [
        {
            "field": "sla.business_hours.end",
            "message": "the daily window must be at least one hour long",
        }
    ]
    business_a.refresh_from_db()
    assert business_a.settings == before


def test_stored_business_hours_the_sla_cannot_use_refuse_the_ticket(
    as_alice: Any, business_a: Any
) -> None:
    """A document stored before a rule existed: the ticket is refused, nothing breaks."""
    business_a.settings["sla"]["business_hours"] = {
        "timezone": "UTC",
        "weekdays": [0, 1, 2, 3, 4],
        "start": "09:00:00",
        "end": "09:30:00",
        "holidays": [],
    }
    business_a.save(update_fields=["settings"])
    response = as_alice.post(
        f"/businesses/{business_a.id}/tickets",
        {
            "customer_id": str(new_customer(business_a, "Plain").id),
            "subject": "Hi",
            "body": "Help",
        },
    )
    assert_problem(response, 409, "invalid_sla_settings")
    assert response.body["field"] == "sla.business_hours.end"
    assert not Ticket.objects.exists()
