"""A business whose database rows reproduce the third seed's dashboard figures: its completion
table and named agents, the API rule's first-contact resolution, the most difficult question
and average passing score of Advanced Troubleshooting, and the cost analysis (89,000 impact on
12,000 cost: 642% ROI). ``seed_program`` writes it through ``records``; the rows say what the
services would have written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from refairn.accounts.models import User
from refairn.certification.models import Certification
from refairn.demo.benchmark.dashboard_builder import TRACKS
from refairn.demo.benchmark.records import Records
from refairn.programs.models import Business
from refairn.routing.models import RoutingRuleSet
from refairn.training.models import Track

AS_OF = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
JOINED = datetime(2024, 1, 1, tzinfo=UTC)
EARNED = datetime(2025, 6, 1, tzinfo=UTC)
# Security is renewed twice a year ("biannual" = 6 months): earned later so it holds on AS_OF.
SECURITY_EARNED = datetime(2025, 11, 1, tzinfo=UTC)


# The seed's named agents and the tracks they hold (its AGENT CERTIFICATION STATUS table).
NAMED = {
    "Sarah M.": ("pf", "sec", "adv", "bill", "cs", "desc"),
    "Tom R.": ("pf", "sec", "adv", "bill", "cs", "desc"),
    "Lisa K.": ("pf", "sec", "adv", "bill", "cs"),
    "Alex P.": ("pf", "sec", "adv", "cs", "desc"),
    "Maria L.": ("pf", "sec", "adv", "bill", "desc"),
    "James T.": ("pf", "sec", "desc"),
    "Kevin W.": ("pf", "sec"),
}


def generated_tracks(i: int) -> tuple[str, ...]:
    """Member ``i`` (0..34): with the named agents, 40/42/28/18/12/31 hold each track.
    Billing (8..21) and Customer Success (0..7) never overlap, so nobody else is a Master."""
    wanted = {
        "pf": i < 33,
        "sec": True,
        "adv": i < 23,
        "bill": 8 <= i < 22,
        "cs": i < 8,
        "desc": i < 26,
    }
    return tuple(key for key, holds in wanted.items() if holds)


@dataclass
class SeedProgram:
    business: Business
    tracks: dict[str, Track]
    agents: dict[str, User]


def _tracks(records: Records) -> dict[str, Track]:
    tracks = {}
    for position, (name, requirement, critical, months, _, key) in enumerate(TRACKS):
        tracks[key] = records.track(
            name,
            requirement=requirement,
            security_critical=critical,
            months=months,
            position=position,
        )
    return tracks


def _agents(records: Records, tracks: dict[str, Track]) -> dict[str, User]:
    holdings = dict(NAMED)
    holdings |= {f"Member {i + 1:02d}": generated_tracks(i) for i in range(35)}
    agents: dict[str, User] = {}
    certifications: dict[tuple[str, str], Certification] = {}
    for name, keys in holdings.items():
        agent = records.agent(name, joined_at=JOINED)
        agents[name] = agent
        for key in keys:
            at = SECURITY_EARNED if key == "sec" else EARNED
            certifications[name, key] = records.certified(agent, tracks[key], at=at)
    _assessments(records, tracks["adv"], [c for (_, k), c in certifications.items() if k == "adv"])
    return agents


def _assessments(records: Records, adv: Track, holders: list[Certification]) -> None:
    """50 graded Advanced Troubleshooting attempts drawing the seed's hardest question: 31 got
    it right and passed with 169/200 = 84.5%, 19 missed it and failed with 150/200 = 75%.
    Each also draws a scenario of its own, partly right, answered too rarely to be listed."""
    hard = records.question(
        adv, prompt="API rate limit retry logic", topic="API rate limits", points=1
    )
    for index in range(50):
        right = index < 31
        rest = records.question(adv, prompt=f"Scenario {index}", topic="API basics", points=199)
        records.attempt(
            holders[index % len(holders)],
            adv,
            submitted_at=EARNED - timedelta(days=1, minutes=index),
            earned=[
                (hard, Decimal(1 if right else 0)),
                (rest, Decimal(168 if right else 150)),
            ],
            number=index // len(holders) + 1,
        )


def _tickets(records: Records, tracks: dict[str, Track], agents: dict[str, User]) -> None:
    """API tickets ten days before AS_OF: 100 routed to certified agents, 89 solved with one
    reply (89% FCR); 3 through the fallback, 2 with one reply (67%)."""
    RoutingRuleSet.objects.create(
        business=records.business,
        rules=[
            {
                "name": "API Issues",
                "match": {
                    "tags_any": ["api"],
                    "tiers": [],
                    "priorities": [],
                    "escalation_flag": None,
                },
                "require": {"track_id": str(tracks["adv"].id)},
                "fallback": {
                    "action": "base_track_and_notify",
                    "base_track_id": str(tracks["pf"].id),
                },
                "escalate_to_security": False,
            }
        ],
    )
    customer = records.customer("Globex", since=JOINED)
    opened = AS_OF - timedelta(days=10)
    for index in range(103):
        certified = index < 100
        first_contact = index < 89 or index in (100, 101)
        records.ticket(
            customer,
            created_at=opened + timedelta(minutes=index),
            agent=agents["Sarah M."] if certified else agents["Kevin W."],
            rule="API Issues",
            by_certification=certified,
            fallback=None if certified else "base_track_and_notify",
            replies=1 if first_contact else 2,
            resolved_at=opened + timedelta(hours=5),
        )


def seed_program(business: Business) -> SeedProgram:
    """Write the seed program into ``business`` (module docs)."""
    records = Records(business)
    tracks = _tracks(records)
    business.settings = {
        **business.settings,
        "report": {
            "annual_cost": "12000",
            "revenue_impact": "89000",
            "targets": {str(tracks[key].id): target for *_, target, key in TRACKS},
        },
    }
    business.created_at = JOINED
    business.save(update_fields=["settings", "created_at"])
    agents = _agents(records, tracks)
    records.flush()
    _tickets(records, tracks, agents)
    records.flush()
    return SeedProgram(business, tracks, agents)
