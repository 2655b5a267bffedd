"""Pure certification-based routing (PRODUCT.md §7): no Django, plain values.

Services may import the submodules or use the names re-exported here
(``from refairn.routing import domain; domain.route(...)``).
"""

from refairn.routing.domain.choose import (
    BUSINESS_QUEUE,
    Candidate,
    RoutingDecision,
    choose,
    rank,
    rank_highest_certified,
    route,
    skill_track_ids,
)
from refairn.routing.domain.defaults import ROUTED_TRACK_NAMES, support_standard_rules
from refairn.routing.domain.rules import (
    MAX_RULES,
    PRIORITIES,
    TIERS,
    Fallback,
    FallbackAction,
    Match,
    Requirement,
    RequireMinCertifications,
    RequireTrack,
    RoutingRuleError,
    Rule,
    TicketFacts,
    first_matching,
    normalize_tag,
    parse_rules,
    rules_to_json,
)

__all__ = [
    "BUSINESS_QUEUE",
    "MAX_RULES",
    "PRIORITIES",
    "ROUTED_TRACK_NAMES",
    "TIERS",
    "Candidate",
    "Fallback",
    "FallbackAction",
    "Match",
    "RequireMinCertifications",
    "RequireTrack",
    "Requirement",
    "RoutingDecision",
    "RoutingRuleError",
    "Rule",
    "TicketFacts",
    "choose",
    "first_matching",
    "normalize_tag",
    "parse_rules",
    "rank",
    "rank_highest_certified",
    "route",
    "rules_to_json",
    "skill_track_ids",
    "support_standard_rules",
]
