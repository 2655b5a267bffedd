"""Programs whose rows reproduce the third seed's dashboard figures.

The seed's dashboard cannot come from one set of agents: Security & Compliance is required and
held by 42 of 42 agents, so no agent can hold "no required certification" (its 2 not yet
certified), and only 28 hold the required Advanced Troubleshooting, so 34 cannot hold every
required track. ``seed_tracks_program`` therefore reproduces the completion table, the named
agents' matrix rows, routing impact, assessment analytics, recognition and costs;
``seed_overview_program`` reproduces the overview and renewal tracking.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from refairn.certification.domain.status import Status
from refairn.reporting.domain.dashboard import Dashboard, build_dashboard
from refairn.reporting.domain.inputs import (
    AgentRow,
    CertState,
    CostInputs,
    QuestionStatRow,
    Renewal,
    RoutingRow,
    RuleRef,
    TrackRow,
    TrackScoreRow,
)
from refairn.reporting.domain.periods import Period, trailing_window
from refairn.training.domain import Requirement

D = Decimal
JANUARY_20 = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
LONG_AGO = datetime(2024, 1, 1, tzinfo=UTC)
EARNED = datetime(2025, 3, 1, tzinfo=UTC)
FAR_EXPIRY = datetime(2026, 9, 1, tzinfo=UTC)

PF = TrackRow("pf", "Product Fundamentals", Requirement.REQUIRED, False, D(100), "Fundamentals")
SEC = TrackRow("sec", "Security & Compliance", Requirement.REQUIRED, True, D(100), "Security")
ADV = TrackRow("adv", "Advanced Troubleshooting", Requirement.REQUIRED, False, D(80), "Advanced")
BILL = TrackRow("bill", "Billing & Accounts", Requirement.OPTIONAL, False, D(50), "Billing")
CS = TrackRow("cs", "Customer Success", Requirement.OPTIONAL, False, D(20), "Success")
DESC = TrackRow("desc", "De-escalation", Requirement.RECOMMENDED, False, D(70), "De-esc")
SEED_TRACKS = (PF, SEC, ADV, BILL, CS, DESC)

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

API = RuleRef("API Issues", "Advanced Troubleshooting")
BILLING = RuleRef("Billing Issues", "Billing & Accounts")
VIP = RuleRef("VIP Customer Tickets", "Customer Success")
STANDARD = RuleRef("Standard Tickets", "Product Fundamentals")

# 1,000 tickets routed by certification, 500 not: 67% by certification; resolution 82% vs 72%;
# CSAT 4.5 vs 4.2; escalation 6.8% vs 14.2%; FCR per rule 89/67, 94/71, 97/82 (the seed's).
SEED_ROUTING = (
    RoutingRow(API, True, 300, 300, 20, 267, 270, 60),
    RoutingRow(API, False, 60, 45, 10, 30, 84, 20),
    RoutingRow(BILLING, True, 200, 200, 10, 188, 180, 40),
    RoutingRow(BILLING, False, 120, 100, 15, 71, 126, 30),
    RoutingRow(VIP, True, 150, 100, 8, 97, 135, 30),
    RoutingRow(VIP, False, 60, 50, 6, 41, 84, 20),
    RoutingRow(STANDARD, True, 350, 220, 30, 150, 315, 70),
    RoutingRow(None, False, 260, 165, 40, 100, 126, 30),
)

SEED_QUESTIONS = (
    QuestionStatRow("q1", "adv", "API rate limits", "API rate limit retry logic", 50, D(62)),
    QuestionStatRow("q2", "sec", "GDPR erasure", "GDPR right to erasure exception", 40, D(65)),
    QuestionStatRow("q3", "bill", "Proration", "Proration calculation mid-cycle", 30, D(68)),
    QuestionStatRow("q4", "cs", "Churn risk", "Churn risk scoring factors", 25, D(66)),
    QuestionStatRow("q5", "pf", "Core features", "Which plan includes SSO?", 100, D(80)),
    QuestionStatRow("q6", "desc", "Tone", "Rarely drawn question", 3, D("33.33")),
    QuestionStatRow("q7", "pf", "Integrations", "Webhook retries", 60, D(70)),
)

SEED_SCORES = tuple(
    TrackScoreRow(track_id, D(score))
    for track_id, score in (
        ("pf", "89.2"),
        ("sec", "96.8"),
        ("adv", "84.5"),
        ("bill", "88.1"),
        ("cs", "91.3"),
        ("desc", "82.7"),
    )
)

SEED_COSTS = CostInputs(annual_cost=D(12000), revenue_impact=D(89000), currency="USD")


def held(earned_at: datetime = EARNED, renewal: Renewal | None = None) -> CertState:
    return CertState(Status.CERTIFIED, FAR_EXPIRY, earned_at, renewal)


def _generated_tracks(i: int, adv_holders: int) -> tuple[str, ...]:
    """Generated agent ``i`` (0..34): with the named agents, 40/42/28/18/12/31 per track.
    Billing (8..21) and Customer Success (0..7) never overlap, so nobody else is a Master."""
    wanted = {
        "pf": i < 33,
        "sec": True,
        "adv": i < adv_holders,
        "bill": 8 <= i < 22,
        "cs": i < 8,
        "desc": i < 26,
    }
    return tuple(track_id for track_id, holds in wanted.items() if holds)


def seed_tracks_agents(as_of: datetime, adv_holders: int = 23) -> list[AgentRow]:
    """42 agents: the seed's seven named ones and 35 generated ones. Agents 33 and 34 are new
    hires whose first certification (Security) came 8 days ago; 18 certifications were earned
    10 days before ``as_of`` (Billing 8..21, Customer Success 0..1, and those two)."""
    early = Renewal(datetime(2025, 12, 1, tzinfo=UTC), datetime(2025, 12, 20, tzinfo=UTC))
    agents = []
    for name, track_ids in NAMED.items():
        renewal = early if name == "Sarah M." else None
        agents.append(
            AgentRow(
                agent_id=name.lower().replace(" ", "").rstrip("."),
                name=name,
                joined_at=LONG_AGO,
                certifications={track_id: held(renewal=renewal) for track_id in track_ids},
                first_certified_at=datetime(2024, 3, 1, tzinfo=UTC),
            )
        )
    recent = as_of - timedelta(days=10)
    for i in range(35):
        new_hire = i >= 33
        certifications = {}
        for track_id in _generated_tracks(i, adv_holders):
            earned_now = new_hire or track_id == "bill" or (track_id == "cs" and i < 2)
            earned_at = (as_of - timedelta(days=8)) if new_hire else recent
            certifications[track_id] = held(earned_at if earned_now else EARNED)
        agents.append(
            AgentRow(
                agent_id=f"member-{i + 1:02d}",
                name=f"Member {i + 1:02d}",
                joined_at=as_of - timedelta(days=18) if new_hire else LONG_AGO,
                certifications=certifications,
                first_certified_at=as_of - timedelta(days=8) if new_hire else EARNED,
            )
        )
    return agents


def seed_tracks_program(
    as_of: datetime = JANUARY_20,
    routing_window: Period | None = None,
    routing: tuple[RoutingRow, ...] = SEED_ROUTING,
    adv_holders: int = 23,
) -> Dashboard:
    return build_dashboard(
        as_of=as_of,
        business_name="Acme",
        tracks=SEED_TRACKS,
        agents=seed_tracks_agents(as_of, adv_holders),
        routing=routing,
        routing_window=routing_window or trailing_window(as_of),
        question_stats=SEED_QUESTIONS,
        track_scores=SEED_SCORES,
        costs=SEED_COSTS,
    )


JANUARY_15 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
OVERVIEW_TRACKS = (PF, SEC, BILL)


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def seed_overview_agents() -> list[AgentRow]:
    """42 agents as of 15 January 2026 (Q1 2026):

    - Full 01..34 hold both required tracks; each renewed Product Fundamentals early for an
      expiry in February (34 completed renewals); Full 01 also renewed Billing (the 35th);
      Full 02..08 hold Billing expiring on 10 February (7 due within 30 days, pending).
    - Part 1..6 hold Product Fundamentals only; Part 1..5's expires on 1 February (5 due within
      30 days, pending); Part 1..3's Security expired on 20 December (3 overdue, from Q4).
    - New 1..2 joined ten days ago and are still in training.
    """
    agents = []
    renewed_pf = Renewal(_at(2026, 1, 10), _at(2026, 2, 20))
    for i in range(1, 35):
        certifications = {
            "pf": CertState(Status.CERTIFIED, _at(2027, 2, 20), _at(2024, 2, 20), renewed_pf),
            "sec": CertState(Status.CERTIFIED, _at(2026, 6, 1), _at(2025, 12, 1)),
        }
        if i == 1:
            renewal = Renewal(_at(2026, 1, 5), _at(2026, 3, 1))
            certifications["bill"] = CertState(
                Status.CERTIFIED, _at(2027, 3, 1), _at(2025, 3, 1), renewal
            )
        elif i <= 8:
            certifications["bill"] = CertState(Status.CERTIFIED, _at(2026, 2, 10), _at(2025, 2, 10))
        agents.append(AgentRow(f"full-{i:02d}", f"Full {i:02d}", LONG_AGO, certifications))
    for i in range(1, 7):
        pf_expiry = _at(2026, 2, 1) if i <= 5 else _at(2026, 8, 1)
        part: dict[str, CertState] = {
            "pf": CertState(Status.CERTIFIED, pf_expiry, _at(2025, 2, 1)),
        }
        if i <= 3:
            part["sec"] = CertState(Status.EXPIRED, _at(2025, 12, 20), _at(2025, 6, 20))
        else:
            part["sec"] = CertState(Status.IN_PROGRESS)
        agents.append(AgentRow(f"part-{i}", f"Part {i}", LONG_AGO, part))
    for i in range(1, 3):
        training = {"pf": CertState(Status.IN_PROGRESS)}
        agents.append(AgentRow(f"new-{i}", f"New {i}", JANUARY_15 - timedelta(days=10), training))
    return agents


def seed_overview_program() -> Dashboard:
    return build_dashboard(
        as_of=JANUARY_15,
        business_name="Acme",
        tracks=OVERVIEW_TRACKS,
        agents=seed_overview_agents(),
        routing=(),
        routing_window=trailing_window(JANUARY_15),
        question_stats=(),
        track_scores=(),
        costs=CostInputs(annual_cost=None, revenue_impact=None),
    )
