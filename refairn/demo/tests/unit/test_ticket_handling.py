"""The demo's ticket outcomes (``handling``), words (``ticket_texts``) and the month its
recognition block counts (``context.in_this_month``): pure, no database."""

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from refairn.demo.context import in_this_month
from refairn.demo.handling import Handling, handling_for, needed_track
from refairn.demo.ticket_texts import DETAILS_REQUEST, ROUTINE, THANKS
from refairn.demo.tickets import ROUTINE_ESCALATION_NOTES
from refairn.routing.domain import parse_rules, support_standard_rules
from refairn.support.domain.escalation import DEFAULT_PHRASES, Category, detect_topics

DRAWS = 4000


def outcomes(*, trained: bool, escalate_as: str = "platform_defect") -> Counter[str]:
    rng = random.Random(7)
    counts: Counter[str] = Counter()
    for _ in range(DRAWS):
        plan = handling_for(rng, agent=None, trained=trained, escalate_as=escalate_as)
        counts["escalated"] += plan.escalated
        counts["waits"] += plan.waits
        counts["stalled"] += plan.stalled
        counts["at_once"] += plan.first_reply_solves and not plan.reopened
        counts["reopened"] += plan.reopened
    return counts


# The seed's routing matrix over the ``support-standard`` tracks, each track's id its key.
TRACK_KEYS = {
    "Product Fundamentals": "fundamentals",
    "Advanced Troubleshooting": "advanced",
    "Billing & Accounts": "billing",
    "Security & Compliance": "security",
    "Customer Success": "customer_success",
}
MATRIX = parse_rules(support_standard_rules(TRACK_KEYS), known_track_ids=set(TRACK_KEYS.values()))


@pytest.mark.parametrize(
    ("tags", "tier", "track"),
    [
        (("API", "rate-limit"), "standard", "advanced"),
        (("webhook", "billing"), "strategic", "advanced"),
        (("invoice",), "enterprise", "billing"),
        (("dashboards",), "enterprise", "customer_success"),
        (("dashboards",), "strategic", "customer_success"),
        (("dashboards",), "premium", "fundamentals"),
        ((), "standard", "fundamentals"),
    ],
)
def test_the_track_a_ticket_needs_follows_the_routing_matrix(
    tags: tuple[str, ...], tier: str, track: str
) -> None:
    needed = needed_track(MATRIX, tags=tags, tier=tier, priority="P3", base_track_id="fundamentals")
    assert needed == track


def test_an_agent_with_the_track_solves_more_at_once_and_escalates_less() -> None:
    trained, untrained = outcomes(trained=True), outcomes(trained=False)
    assert trained["at_once"] > 0.7 * DRAWS > 0.35 * DRAWS > untrained["at_once"]
    assert trained["escalated"] < 0.05 * DRAWS < 0.25 * DRAWS < untrained["escalated"]
    assert trained["reopened"] < untrained["reopened"]


def test_only_untrained_agents_leave_tickets_waiting_or_stalled() -> None:
    trained, untrained = outcomes(trained=True), outcomes(trained=False)
    assert trained["waits"] == trained["stalled"] == 0
    assert 0 < untrained["waits"] < untrained["escalated"]
    assert untrained["stalled"] > 0
    billing = outcomes(trained=False, escalate_as="billing_dispute")
    assert billing["escalated"] > 0
    assert billing["waits"] == 0


def test_a_topic_without_an_escalation_path_is_never_escalated() -> None:
    counts = outcomes(trained=False, escalate_as="")
    assert counts["escalated"] == counts["waits"] == 0


def test_a_handling_plan_refuses_contradictions() -> None:
    with pytest.raises(ValueError, match="escalated"):
        Handling(escalated=True, first_reply_solves=True, reopened=False, rating_shift=0)
    with pytest.raises(ValueError, match="waits"):
        Handling(
            escalated=False, first_reply_solves=False, reopened=False, rating_shift=0, waits=True
        )
    with pytest.raises(ValueError, match="stalled"):
        Handling(
            escalated=False, first_reply_solves=True, reopened=False, rating_shift=0, stalled=True
        )


def test_routine_answers_touch_no_must_escalate_topic() -> None:
    for topic in ROUTINE:
        assert topic.answer, topic.subject
        assert not detect_topics(topic.answer, DEFAULT_PHRASES), topic.subject
    for text in (DETAILS_REQUEST, *THANKS):
        assert not detect_topics(text, DEFAULT_PHRASES), text


def test_every_escalation_path_is_a_category_with_a_note() -> None:
    paths = {topic.escalate_as for topic in ROUTINE if topic.escalate_as}
    assert paths == set(ROUTINE_ESCALATION_NOTES)
    assert {Category(path) for path in paths}


@pytest.mark.parametrize(
    ("now", "days_ago", "moved"),
    [
        (datetime(2026, 11, 22, 13, 0, tzinfo=UTC), 9, 9),
        (datetime(2026, 11, 22, 13, 0, tzinfo=UTC), 30, 21),
        (datetime(2026, 11, 2, 9, 0, tzinfo=UTC), 9, 1),
        (datetime(2026, 11, 1, 9, 0, tzinfo=UTC), 9, 1),
    ],
)
def test_this_months_certifications_fall_in_the_month_from_the_2nd(
    now: datetime, days_ago: int, moved: int
) -> None:
    assert in_this_month(days_ago, now) == moved
