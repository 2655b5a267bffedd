"""FCR and the routing counts (PRODUCT.md §8: resolved with a single agent reply, never reopened
or escalated)."""

from __future__ import annotations

from typing import Any

import pytest

from refairn.reporting.domain.inputs import RoutingRow, RuleRef
from refairn.reporting.domain.metrics import Mean, Ratio
from refairn.reporting.domain.periods import trailing_window
from refairn.reporting.domain.routing_impact import (
    TicketOutcome,
    build_routing_impact,
    is_first_contact_resolution,
    tally_routing,
)
from refairn.reporting.tests.unit.seed_fixture import JANUARY_20

API = RuleRef("API Issues", "Advanced Troubleshooting")


def ticket(
    *,
    resolved: bool = True,
    replies: int = 1,
    reopened: bool = False,
    escalated: bool = False,
    rating: int | None = None,
    by_certification: bool = True,
) -> TicketOutcome:
    return TicketOutcome(API, by_certification, resolved, replies, reopened, escalated, rating)


def test_resolved_with_one_reply_is_first_contact() -> None:
    assert is_first_contact_resolution(ticket())


@pytest.mark.parametrize(
    "outcome",
    [
        ticket(replies=0),
        ticket(replies=2),
        ticket(reopened=True),
        ticket(escalated=True),
        ticket(resolved=False),
    ],
    ids=["no_agent_reply", "second_reply", "reopened_then_closed", "escalated", "still_open"],
)
def test_other_tickets_are_not_first_contact(outcome: TicketOutcome) -> None:
    assert not is_first_contact_resolution(outcome)


def test_fcr_counts_only_resolved_tickets_in_its_denominator() -> None:
    rows = tally_routing(
        [
            ticket(rating=5),
            ticket(replies=0, rating=3),
            ticket(replies=2),
            ticket(reopened=True),
            ticket(escalated=True),
            ticket(resolved=False, rating=4),
        ]
    )

    assert rows == (RoutingRow(API, True, 6, 5, 1, 1, 12, 3),)
    stats = build_routing_impact(rows=rows, window=trailing_window(JANUARY_20)).certified
    assert stats.first_contact == Ratio(1, 5)
    assert stats.resolution == Ratio(5, 6)
    assert stats.escalation == Ratio(1, 6)
    assert stats.csat == Mean(12, 3)


def test_tally_keeps_certified_and_fallback_tickets_apart() -> None:
    rows = tally_routing([ticket(), ticket(by_certification=False), ticket()])

    assert [(row.by_certification, row.tickets) for row in rows] == [(True, 2), (False, 1)]


def test_share_routed_by_certification_counts_unmatched_tickets_as_non_certified() -> None:
    rows = (
        RoutingRow(API, True, 3, 3, 0, 3, 0, 0),
        RoutingRow(None, False, 1, 0, 0, 0, 0, 0),
    )

    impact = build_routing_impact(rows=rows, window=trailing_window(JANUARY_20))

    assert impact.by_certification == Ratio(3, 4)
    assert impact.non_certified.tickets == impact.unmatched.tickets == 1
    assert impact.rules[0].fallback.first_contact.fraction is None


@pytest.mark.parametrize(
    "values",
    [
        (None, True, 1, 1, 0, 1, 0, 0),  # no rule cannot route by certification
        (API, True, 1, 2, 0, 0, 0, 0),  # more resolved than tickets
        (API, True, 2, 1, 0, 2, 0, 0),  # more first-contact resolutions than resolved
        (API, True, 2, 2, 0, 1, 11, 2),  # ratings above 5
        (API, True, 2, 2, 0, 1, 1, 2),  # ratings below 1
        (API, True, -1, 0, 0, 0, 0, 0),
    ],
)
def test_impossible_routing_rows_are_refused(values: tuple[Any, ...]) -> None:
    with pytest.raises(ValueError):
        RoutingRow(*values)


def test_ratings_outside_one_to_five_are_refused() -> None:
    with pytest.raises(ValueError):
        ticket(rating=6)
