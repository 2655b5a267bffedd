"""The dashboard reads the certification history as it stood at ``as_of`` (PRODUCT.md §5 every
change is an event; §8 overview, renewals and recognition)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from refairn.certification.domain.status import Event, Status
from refairn.demo.benchmark.records import HOUR, Records
from refairn.programs.models import Business
from refairn.reporting.domain.inputs import Renewal
from refairn.reporting.selectors import dashboard_build
from refairn.reporting.selectors.certifications import agent_rows, track_rows
from tests.support import T0

pytestmark = pytest.mark.django_db

AS_OF = datetime(2026, 10, 15, tzinfo=UTC)


def day(year: int, month: int, dom: int) -> datetime:
    return datetime(year, month, dom, tzinfo=UTC)


def approval(at: datetime) -> list[tuple[Event, datetime]]:
    return [
        (Event.START_TRAINING, at - 10 * HOUR),
        (Event.SUBMIT, at - 2 * HOUR),
        (Event.AUTO_PASS, at - 2 * HOUR),
        (Event.APPROVE, at),
    ]


@pytest.fixture
def program(business_a: Business) -> dict[str, Any]:
    """Five agents active on 15 October 2026 and one approved after it:

    - Ann: Fundamentals since Nov 2025, renewed early on 5 Oct for its 1 Nov expiry; Security
      until 1 Dec.
    - Ben: Security expired on 1 Jul; Fundamentals earned on 3 Oct.
    - Cat: joined on 1 Oct, Fundamentals on 10 Oct (her first certification).
    - Dan: Fundamentals since May, revoked on 20 Oct (after the instant).
    - Fay: Security lapsed on 1 Apr, retaken and approved on 8 Oct (a late renewal).
    - Eve: approved as an agent on 20 Oct.
    """
    records = Records(business_a)
    fundamentals = records.track("Product Fundamentals", position=0)
    security = records.track("Security & Compliance", months=6, security_critical=True, position=1)
    records.track("Billing & Accounts", requirement="optional", position=2)
    joined = day(2025, 1, 1)
    ann = records.agent("Ann", joined_at=joined)
    records.certified(ann, fundamentals, at=day(2025, 11, 1), renewed=[day(2026, 10, 5)])
    records.certified(ann, security, at=day(2026, 6, 1))
    ben = records.agent("Ben", joined_at=joined)
    records.certified(ben, security, at=day(2026, 1, 1), expired_at=day(2026, 7, 1))
    records.certified(ben, fundamentals, at=day(2026, 10, 3))
    cat = records.agent("Cat", joined_at=day(2026, 10, 1))
    records.certified(cat, fundamentals, at=day(2026, 10, 10))
    dan = records.agent("Dan", joined_at=joined)
    records.certification(
        dan, fundamentals, [*approval(day(2026, 5, 1)), (Event.REVOKE, day(2026, 10, 20))]
    )
    fay = records.agent("Fay", joined_at=joined)
    records.certification(
        fay,
        security,
        [
            *approval(day(2025, 10, 1)),
            (Event.EXPIRE, day(2026, 4, 1)),
            (Event.SUBMIT, day(2026, 10, 7)),
            (Event.AUTO_PASS, day(2026, 10, 7)),
            (Event.APPROVE, day(2026, 10, 8)),
        ],
    )
    records.agent("Eve", joined_at=day(2026, 10, 20))
    records.flush()
    return {"business": business_a, "fundamentals": fundamentals, "security": security}


def test_overview_counts_what_held_at_the_instant(program: dict[str, Any]) -> None:
    overview = dashboard_build(program["business"], as_of=AS_OF).overview

    assert overview.active_agents == 5
    assert (overview.fully_certified.part, overview.partially_certified.part) == (1, 4)
    assert overview.not_yet_certified.part == 0
    assert overview.certifications_held == 6
    assert (overview.expired, overview.agents_flagged_for_renewal) == (1, 1)


def test_a_revocation_after_the_instant_does_not_count_yet(program: dict[str, Any]) -> None:
    def dan(as_of: datetime) -> str:
        dashboard = dashboard_build(program["business"], as_of=as_of)
        row = next(row for row in dashboard.matrix if row.name == "Dan")
        return row.standings[str(program["fundamentals"].id)].value

    assert dan(AS_OF) == "certified"
    assert dan(T0) == "revoked"


def test_renewals_of_the_quarter_and_their_priority(program: dict[str, Any]) -> None:
    renewals = dashboard_build(program["business"], as_of=AS_OF).renewals

    # Ann's Fundamentals replaced a 1 November expiry (completed); her Security expires on
    # 1 December (pending). Fay's late renewal replaced an April expiry: not this quarter.
    assert renewals.expiring_this_quarter == 2
    assert (renewals.completed.part, renewals.pending.part) == (1, 1)
    assert [(row.name, row.priority, row.overdue) for row in renewals.priorities] == [
        ("Security & Compliance", "high", 1)
    ]


def test_recognition_counts_earnings_not_renewals(program: dict[str, Any]) -> None:
    recognition = dashboard_build(program["business"], as_of=AS_OF).recognition

    # Ben's and Cat's Fundamentals; Ann's early and Fay's late renewals are not new.
    assert recognition.new_certifications == 2
    assert [(f.name, f.new_hire, f.track_names) for f in recognition.first_certifications] == [
        ("Cat", True, ("Product Fundamentals",))
    ]
    assert recognition.top_agent is not None
    assert (recognition.top_agent.name, recognition.top_agent.renewed_early) == ("Ann", 1)


def test_certification_states_at_the_instant(program: dict[str, Any]) -> None:
    business: Business = program["business"]
    fundamentals, security = str(program["fundamentals"].id), str(program["security"].id)

    agents = {
        agent.name: agent
        for agent in agent_rows(business, as_of=AS_OF, tracks=track_rows(business))
    }

    ann = agents["Ann"].certifications[fundamentals]
    assert (ann.earned_at, ann.expires_at) == (day(2025, 11, 1), day(2027, 11, 1))
    assert ann.last_renewal == Renewal(day(2026, 10, 5), day(2026, 11, 1))
    # Revoked later: the status and expiry that stood are replayed from the events.
    dan = agents["Dan"].certifications[fundamentals]
    assert (dan.status, dan.expires_at) == (Status.CERTIFIED, day(2027, 5, 1))
    fay = agents["Fay"].certifications[security]
    # A late renewal runs a full six months from the day it was granted (issue 11 item 2).
    assert (fay.earned_at, fay.expires_at) == (day(2025, 10, 1), day(2027, 4, 8))
    assert fay.last_renewal == Renewal(day(2026, 10, 8), day(2026, 4, 1))
    assert agents["Ben"].first_certified_at == day(2026, 1, 1)
    assert "Eve" not in agents


def test_due_within_30_days_moves_with_the_instant(program: dict[str, Any]) -> None:
    past = dashboard_build(program["business"], as_of=AS_OF)
    now = dashboard_build(program["business"], as_of=T0)

    assert past.overview.expiring_within_30_days == 0
    # On 2 November, Ann's Security (1 December) is due within 30 days.
    assert now.overview.expiring_within_30_days == 1
