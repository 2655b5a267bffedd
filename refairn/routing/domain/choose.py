"""Choosing the agent for a ticket (PRODUCT.md §7) once its rule is known.

Decisions where the product text is silent:

- Skill match is the number of the candidate's certified tracks that are relevant to the
  ticket: the matched rule's required track, plus the required track of every rule whose tags
  intersect the ticket's tags (whether or not that rule matched). A ticket tagged "billing" and
  "api" that lands on the billing rule thus prefers a billing agent who also holds Advanced
  Troubleshooting. A rule requiring a number of certifications adds no track of its own.
- Ranking, after the customer's assigned agent: skill match (high first), open workload (low
  first), least recently routed (never routed first), then agent id, so a decision is
  reproducible whatever the order of the candidates.
- The assigned agent is preferred in whatever pool the ticket is routed from (the rule's, its
  fallback's, or the default), but only when in that pool: preference never overrides a
  requirement.
- ``pool_size`` is the size of the pool the agent was drawn from: the fallback's pool when the
  fallback was used (the rule's own pool was then empty by definition).
- An empty pool without a fallback, or an empty fallback pool, leaves the ticket in the business
  queue (``agent_id`` None) and notifies the managers.
- No rule matched: any eligible agent, ranked as above, and ``rule_name`` None.
- Managers are notified whenever the ticket has no agent, and for ``base_track_and_notify``,
  ``highest_certified`` and ``route_to_manager``; ``flag_for_review`` flags the
  ticket without a notice. The business has no CSM staff role, so the seed's "CSM notification"
  goes to the owners and managers.
- "Highest-certified" (the seed's VIP fallback): most current certifications among the tracks
  relevant to the ticket (the skill match above), then most current certifications overall
  (which orders agents by their level, PRODUCT.md §5: Master, Strong, Developing...), then the
  usual workload, last routing and id. The customer's own agent is still preferred when in the
  pool.
- Reasons name tracks by their names (``track_names``), never by id: they reach notices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime

from refairn.routing.domain.rules import (
    FallbackAction,
    RequireTrack,
    Rule,
    TicketFacts,
    first_matching,
    normalize_tag,
)

# ``fallback_used`` when nobody could be chosen and no fallback action applied.
BUSINESS_QUEUE = "business_queue"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An agent of the business as routing sees them (slots: a ticket builds one per agent of
    the business, thousands, and they should cost the garbage collector one object each).

    ``certified_track_ids``: tracks the agent is currently certified in (not expired, not
    revoked). ``eligible``: can receive tickets now (a Certified Support Agent per
    ``certification.domain.support_eligibility``, access not suspended, not unavailable).
    """

    agent_id: str
    certified_track_ids: frozenset[str]
    eligible: bool
    open_workload: int
    last_routed_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.open_workload < 0:
            raise ValueError("open_workload cannot be negative")
        if self.last_routed_at is not None and self.last_routed_at.utcoffset() is None:
            raise ValueError("last_routed_at must be an aware datetime")


@dataclass(frozen=True)
class RoutingDecision:
    """Where a ticket goes and what else must happen (PRODUCT.md §7, recorded for §8).

    ``route_to_manager``: a manager takes the ticket; ``agent_id``, when set alongside, is the
    best-matching agent working it with them.
    """

    agent_id: str | None
    rule_name: str | None
    pool_size: int
    fallback_used: str | None
    notify_managers: bool
    flag_for_review: bool
    route_to_manager: bool
    escalate_to_security: bool
    reason: str

    def as_json(self) -> dict[str, object]:
        """API.md: a ticket's ``routing`` object."""
        return {"rule": self.rule_name, "pool_size": self.pool_size, "fallback": self.fallback_used}


def skill_track_ids(
    rules: Sequence[Rule], rule: Rule | None, ticket_tags: AbstractSet[str]
) -> frozenset[str]:
    """PRODUCT.md §7 "skill match": the tracks whose certification counts toward it."""
    tags = frozenset(normalize_tag(tag) for tag in ticket_tags)
    tracks = {
        other.require.track_id
        for other in rules
        if isinstance(other.require, RequireTrack) and not other.match.tags_any.isdisjoint(tags)
    }
    if rule is not None and isinstance(rule.require, RequireTrack):
        tracks.add(rule.require.track_id)
    return frozenset(tracks)


def _rank_key(skill_tracks: AbstractSet[str]) -> Callable[[Candidate], tuple[object, ...]]:
    """``rank``'s order as a key: the agent id last, so no two candidates tie."""
    return lambda c: (
        -len(c.certified_track_ids & skill_tracks),
        c.open_workload,
        c.last_routed_at is not None,
        c.last_routed_at.timestamp() if c.last_routed_at is not None else 0.0,
        c.agent_id,
    )


def _highest_certified_key(
    skill_tracks: AbstractSet[str],
) -> Callable[[Candidate], tuple[object, ...]]:
    """``rank_highest_certified``'s order as a key."""
    return lambda c: (
        -len(c.certified_track_ids & skill_tracks),
        -len(c.certified_track_ids),
        c.open_workload,
        c.last_routed_at is not None,
        c.last_routed_at.timestamp() if c.last_routed_at is not None else 0.0,
        c.agent_id,
    )


def rank(pool: Sequence[Candidate], skill_tracks: AbstractSet[str]) -> list[Candidate]:
    """PRODUCT.md §7: skill match, then lowest open workload, then least recently routed."""
    return sorted(pool, key=_rank_key(skill_tracks))


def rank_highest_certified(
    pool: Sequence[Candidate], skill_tracks: AbstractSet[str]
) -> list[Candidate]:
    """The seed's "highest-certified available agent": skill match, then most certifications,
    then lowest open workload, least recently routed, agent id."""
    return sorted(pool, key=_highest_certified_key(skill_tracks))


def choose(
    rule: Rule | None,
    candidates: Sequence[Candidate],
    *,
    preferred_agent_id: str | None,
    ticket_tags: AbstractSet[str],
    rules: Sequence[Rule],
    track_names: Mapping[str, str] | None = None,
) -> RoutingDecision:
    """PRODUCT.md §7: the agent for a ticket whose first matching rule is ``rule`` (None when no
    rule matched); ``rules`` is the business's full ordered list, for skill match;
    ``track_names`` names tracks in the reason (a track without a name there is "a track")."""
    names = track_names or {}
    skills = skill_track_ids(rules, rule, ticket_tags)
    eligible = [c for c in candidates if c.eligible]
    pick = _Pick(preferred_agent_id, skills, rule)
    if rule is None:
        return pick.decide(eligible, "no rule matched; any eligible agent", fallback_used=None)
    pool = [c for c in eligible if rule.require.met_by(c.certified_track_ids)]
    if pool or rule.fallback is None:
        return pick.decide(pool, f"rule {rule.name!r}", fallback_used=None)
    fallback = rule.fallback
    base = fallback.base_track_id
    fallback_pool = [c for c in eligible if base is None or base in c.certified_track_ids]
    if fallback.action is FallbackAction.ROUTE_TO_MANAGER and base is None:
        fallback_pool = []
    where = (
        f"rule {rule.name!r} had no eligible agent {_requirement_text(rule, names)}; "
        f"fallback {fallback.action}"
    )
    if base is not None:
        where += f" with base track {names.get(base, 'a track')!r}"
    return pick.decide(
        fallback_pool,
        where,
        fallback_used=str(fallback.action),
        notify=fallback.action is not FallbackAction.FLAG_FOR_REVIEW,
        flag=fallback.action is FallbackAction.FLAG_FOR_REVIEW,
        manager=fallback.action is FallbackAction.ROUTE_TO_MANAGER,
        highest_certified=fallback.action is FallbackAction.HIGHEST_CERTIFIED,
    )


def _requirement_text(rule: Rule, names: Mapping[str, str]) -> str:
    if isinstance(rule.require, RequireTrack):
        return f"certified in {names.get(rule.require.track_id, 'its track')}"
    return f"with {rule.require.count} certifications"


def route(
    rules: Sequence[Rule],
    facts: TicketFacts,
    candidates: Sequence[Candidate],
    *,
    preferred_agent_id: str | None,
    track_names: Mapping[str, str] | None = None,
) -> RoutingDecision:
    """PRODUCT.md §7: the first matching rule decides, then the agent is chosen from its pool."""
    rule = first_matching(rules, facts)
    return choose(
        rule,
        candidates,
        preferred_agent_id=preferred_agent_id,
        ticket_tags=facts.tags,
        rules=rules,
        track_names=track_names,
    )


class _Pick:
    def __init__(
        self, preferred_agent_id: str | None, skills: frozenset[str], rule: Rule | None
    ) -> None:
        self.preferred_agent_id = preferred_agent_id
        self.skills = skills
        self.rule = rule

    def decide(
        self,
        pool: Sequence[Candidate],
        where: str,
        *,
        fallback_used: str | None,
        notify: bool = False,
        flag: bool = False,
        manager: bool = False,
        highest_certified: bool = False,
    ) -> RoutingDecision:
        chosen, how = self.best(pool, highest_certified=highest_certified)
        if chosen is None and manager:
            how = "a manager takes the ticket"
        if chosen is None and fallback_used is None:
            fallback_used = BUSINESS_QUEUE
        return RoutingDecision(
            agent_id=None if chosen is None else chosen.agent_id,
            rule_name=None if self.rule is None else self.rule.name,
            pool_size=len(pool),
            fallback_used=fallback_used,
            notify_managers=notify or chosen is None,
            flag_for_review=flag,
            route_to_manager=manager,
            escalate_to_security=self.rule is not None and self.rule.escalate_to_security,
            reason=f"{where}: {how}",
        )

    def best(
        self, pool: Sequence[Candidate], *, highest_certified: bool = False
    ) -> tuple[Candidate | None, str]:
        if not pool:
            return None, "no agent available, left in the business queue"
        for candidate in pool:
            if candidate.agent_id == self.preferred_agent_id:
                return candidate, f"the customer's assigned agent, from a pool of {len(pool)}"
        if highest_certified:
            # The first of the ranking (ids break every tie), without sorting the pool.
            best = min(pool, key=_highest_certified_key(self.skills))
            return best, (
                f"highest-certified of {len(pool)}: skill match "
                f"({len(best.certified_track_ids & self.skills)}), "
                f"{len(best.certified_track_ids)} certifications, workload ({best.open_workload})"
            )
        best = min(pool, key=_rank_key(self.skills))
        skill = len(best.certified_track_ids & self.skills)
        return best, (
            f"best of {len(pool)} by skill match ({skill}), "
            f"workload ({best.open_workload}) and last routing"
        )
