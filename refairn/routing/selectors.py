"""Routing reads (PRODUCT.md §7): a business's rules, when each agent was last routed to, and
the decision for a ticket from the facts support gathers about it and its candidates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from refairn.core.tenancy import Actor
from refairn.routing import domain
from refairn.routing.models import RoutingRuleSet
from refairn.training.models import Track


def track_ids_of(business_id: uuid.UUID) -> set[str]:
    return set(track_names_of(business_id))


def track_names_of(business_id: uuid.UUID) -> dict[str, str]:
    """The business's tracks by id: what routing's reasons and notices name them by."""
    return {
        str(track_id): name
        for track_id, name in Track.objects.filter(business_id=business_id).values_list(
            "id", "name"
        )
    }


def routing_rules_get_for(actor: Actor) -> list[dict[str, Any]]:
    """API.md "Routing": the business's rules for its staff, in their normalized form."""
    actor.require_staff()
    stored = RoutingRuleSet.objects.for_actor(actor).values_list("rules", flat=True).first()
    return list(stored or [])


def routing_rules_for(business_id: uuid.UUID) -> list[domain.Rule]:
    """The business's rules, ready to match (none without a rule set)."""
    return _rules_and_names(business_id)[0]


def _rules_and_names(
    business_id: uuid.UUID, track_names: dict[str, str] | None = None
) -> tuple[list[domain.Rule], dict[str, str]]:
    """The business's rules and its tracks' names (not read when there are no rules, nor when
    the caller has them: ``track_names``)."""
    stored = RoutingRuleSet.objects.filter(business_id=business_id).values_list("rules", flat=True)
    raw = stored.first()
    if not raw:
        return [], {}
    names = track_names_of(business_id) if track_names is None else track_names
    # Validated when saved, and tracks are never deleted, so this parses.
    return domain.parse_rules(raw, known_track_ids=set(names)), names


@dataclass(frozen=True)
class Routed:
    """A routing decision for a ticket about to be opened or reopened: what support stores on
    the ticket (``agent_id``, ``as_json()``) and what ``services.routing_decision_record``
    records."""

    decision: domain.RoutingDecision

    @property
    def agent_id(self) -> uuid.UUID | None:
        return None if self.decision.agent_id is None else uuid.UUID(self.decision.agent_id)

    @property
    def fallback(self) -> str | None:
        return self.decision.fallback_used

    @property
    def by_certification(self) -> bool:
        d = self.decision
        return d.rule_name is not None and d.fallback_used is None and d.agent_id is not None

    def as_json(self) -> dict[str, object]:
        """API.md: the ticket's ``routing``, with the reason in words."""
        return {**self.decision.as_json(), "reason": self.decision.reason}


def route(
    *,
    business_id: uuid.UUID,
    facts: domain.TicketFacts,
    candidates: Sequence[domain.Candidate],
    preferred_agent_id: uuid.UUID | None,
    track_names: dict[str, str] | None = None,
) -> Routed:
    """PRODUCT.md §7: the business's first matching rule picks the pool, then the preferred
    agent, skill match, workload and last routing pick the agent. ``track_names``: every
    track of the business by id, when the caller read them already."""
    rules, names = _rules_and_names(business_id, track_names)
    decision = domain.route(
        rules,
        facts,
        candidates,
        preferred_agent_id=None if preferred_agent_id is None else str(preferred_agent_id),
        track_names=names,
    )
    return Routed(decision)
