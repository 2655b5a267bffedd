"""Recommendations of the quarterly report (PRODUCT.md §8 "recommendations derived from the
gaps"). Each one comes from a figure of the quarter's dashboard, never from a canned list, and
they are listed most urgent first:

1. *renew_security*: a track with HIGH renewal priority (required, security-critical, agents
   overdue): "Renew Security & Compliance for 3 agents: access is restricted until renewed".
2. *track_below_target*: a track below its target, largest gap first: "Push Advanced
   Troubleshooting completion to 80% (currently 66.7%)".
3. *difficult_topics*: the training-gap topics of the most difficult questions.
4. *rule_low_fcr*: a rule whose certified tickets resolve at first contact no more often than
   its fallback tickets, or less than 70% of the time.
5. *rule_fallback_heavy*: a rule that sent more than 25% of its tickets to its fallback: its
   certified pool is too small.
6. *uncertified_agents*: agents holding no required certification after the new-hire period.
7. *full_certification_fell*: the fully certified share fell from the previous quarter.

Rates behind 4 and 5 need at least 20 tickets in their denominator: fewer would be noise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from refairn.reporting.domain.dashboard import Dashboard
from refairn.reporting.domain.metrics import HUNDRED, Comparison, Direction, Ratio
from refairn.reporting.domain.overview import CompletionStatus
from refairn.reporting.domain.renewals import Priority
from refairn.reporting.domain.routing_impact import RuleImpact
from refairn.reporting.domain.text_layout import percent, plural, share

MIN_SAMPLE = 20
LOW_FCR_PERCENT = 70
LOW_FCR = Fraction(LOW_FCR_PERCENT, 100)
FALLBACK_HEAVY = Fraction(25, 100)


class RecommendationKind(StrEnum):
    RENEW_SECURITY = "renew_security"
    TRACK_BELOW_TARGET = "track_below_target"
    DIFFICULT_TOPICS = "difficult_topics"
    RULE_LOW_FCR = "rule_low_fcr"
    RULE_FALLBACK_HEAVY = "rule_fallback_heavy"
    UNCERTIFIED_AGENTS = "uncertified_agents"
    FULL_CERTIFICATION_FELL = "full_certification_fell"


@dataclass(frozen=True)
class Recommendation:
    kind: RecommendationKind
    # The track, rule or topic list it is about ("" for the program as a whole).
    subject: str
    text: str


_K = RecommendationKind


def _renewals(dashboard: Dashboard) -> Iterator[Recommendation]:
    for row in dashboard.renewals.priorities:
        if row.priority is Priority.HIGH:
            text = (
                f"Renew {row.name} for {plural(row.overdue, 'agent')}: "
                "access is restricted until renewed"
            )
            yield Recommendation(_K.RENEW_SECURITY, row.name, text)


def _targets(dashboard: Dashboard) -> Iterator[Recommendation]:
    below = []
    for row in dashboard.completion:
        rate = row.completed.fraction
        below_target = row.status in (CompletionStatus.BELOW_TARGET, CompletionStatus.PENDING)
        if below_target and row.target_percent is not None and rate is not None:
            below.append((Fraction(row.target_percent) / HUNDRED - rate, row))
    # sorted() is stable: equal gaps keep the track order.
    for _, row in sorted(below, key=lambda pair: -pair[0]):
        text = (
            f"Push {row.name} completion to {percent(row.target_percent)} "
            f"(currently {share(row.completed)})"
        )
        yield Recommendation(_K.TRACK_BELOW_TARGET, row.name, text)


def _topics(dashboard: Dashboard) -> Iterator[Recommendation]:
    topics = dashboard.analytics.training_gap_topics
    if topics:
        what = (
            "the most difficult assessment topic"
            if len(topics) == 1
            else f"the {len(topics)} most difficult assessment topics"
        )
        listed = ", ".join(topics)
        yield Recommendation(
            _K.DIFFICULT_TOPICS, listed, f"Create supplemental training for {what}: {listed}"
        )


def _enough(ratio: Ratio) -> Fraction | None:
    return ratio.fraction if ratio.whole >= MIN_SAMPLE else None


def _rule_fcr(impact: RuleImpact) -> Recommendation | None:
    certified = _enough(impact.certified.first_contact)
    if certified is None:
        return None
    fallback = _enough(impact.fallback.first_contact)
    name = f"{impact.rule.name} ({impact.rule.requires})"
    cert_fcr = share(impact.certified.first_contact, 0)
    if fallback is not None and certified <= fallback:
        fallback_fcr = share(impact.fallback.first_contact, 0)
        text = (
            f"Review the training behind {name}: certified agents resolve {cert_fcr} at first "
            f"contact, no better than fallback routing ({fallback_fcr})"
        )
    elif certified < LOW_FCR:
        text = (
            f"Raise first-contact resolution on {name}: {cert_fcr} for certified agents, "
            f"below {LOW_FCR_PERCENT}%"
        )
    else:
        return None
    return Recommendation(_K.RULE_LOW_FCR, impact.rule.name, text)


def _rule_fallback(impact: RuleImpact) -> Recommendation | None:
    total = impact.certified.tickets + impact.fallback.tickets
    fell_back = Ratio(impact.fallback.tickets, total)
    if total < MIN_SAMPLE or (fell_back.fraction or 0) <= FALLBACK_HEAVY:
        return None
    text = (
        f"Grow the certified pool for {impact.rule.name} ({impact.rule.requires}): "
        f"{fell_back.part} of {total} tickets ({share(fell_back)}) went to the fallback"
    )
    return Recommendation(_K.RULE_FALLBACK_HEAVY, impact.rule.name, text)


def _routing(dashboard: Dashboard) -> Iterator[Recommendation]:
    for check in (_rule_fcr, _rule_fallback):
        for impact in dashboard.routing.rules:
            found = check(impact)
            if found is not None:
                yield found


def _agents(
    dashboard: Dashboard, overall: Comparison, previous_title: str
) -> Iterator[Recommendation]:
    overview = dashboard.overview
    stalled = overview.not_yet_certified.part - overview.new_hires_not_yet_certified
    if stalled:
        text = (
            f"Follow up with {plural(stalled, 'agent')} holding no required certification "
            f"after {dashboard.new_hire_days} days"
        )
        yield Recommendation(_K.UNCERTIFIED_AGENTS, "", text)
    if overall.direction is Direction.DOWN and overall.previous is not None:
        text = (
            f"Full certification fell to {share(overall.current)} from "
            f"{share(overall.previous)} in {previous_title}: follow up with the "
            f"{plural(overview.partially_certified.part, 'partially certified agent')}"
        )
        yield Recommendation(_K.FULL_CERTIFICATION_FELL, "", text)


def recommend(
    dashboard: Dashboard, overall: Comparison, previous_title: str
) -> tuple[Recommendation, ...]:
    """PRODUCT.md §8: the quarter's recommendations, most urgent first (module docs)."""
    return (
        *_renewals(dashboard),
        *_targets(dashboard),
        *_topics(dashboard),
        *_routing(dashboard),
        *_agents(dashboard, overall, previous_title),
    )
