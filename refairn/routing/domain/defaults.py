"""The third seed's certification-based routing rules for the ``support-standard`` tracks
(PRODUCT.md §7), in the API.md "Routing" JSON shape.

How the seed's text maps onto the rule model:

- Rule 5 ("P1+ or marked needs escalation") is two rules with the same requirement and fallback,
  since a rule's criteria all have to match. "P1+" is P1, the highest priority.
- Rule 5's fallback "route to manager + best-matching agent": ``route_to_manager`` with
  Product Fundamentals as base track, so the best-matching Fundamentals agent works the ticket
  alongside the manager.
- Rule 3's fallback "highest-certified available agent + CSM notification" is
  ``highest_certified`` (``choose``: skill match, then most certifications); the
  business has no CSM staff role, so its owners and managers are told.
- Rule 6 ("None specific, Priority: P2-P4") matches P2-P4. Every P1 ticket is taken by rule 5
  first, so it catches every ticket the earlier rules leave.
- Rules 4 and 6 have no fallback in the seed: an empty pool leaves the ticket in the business
  queue (rule 4 still escalates to security).
- The seed's order is kept, so a P1 ticket tagged "api" goes to the API rule, not rule 5.
- De-escalation & Conflict Resolution is referenced by no rule.
"""

from __future__ import annotations

from collections.abc import Mapping

# The ``support-standard`` template's track names (``certification.templates``).
FUNDAMENTALS = "Product Fundamentals"
ADVANCED_TROUBLESHOOTING = "Advanced Troubleshooting"
BILLING = "Billing & Accounts"
SECURITY = "Security & Compliance"
CUSTOMER_SUCCESS = "Customer Success"
ROUTED_TRACK_NAMES: tuple[str, ...] = (
    FUNDAMENTALS,
    ADVANCED_TROUBLESHOOTING,
    BILLING,
    SECURITY,
    CUSTOMER_SUCCESS,
)


def _rule(
    name: str,
    *,
    require: dict[str, object],
    tags_any: tuple[str, ...] = (),
    tiers: tuple[str, ...] = (),
    priorities: tuple[str, ...] = (),
    escalation_flag: bool | None = None,
    fallback: dict[str, object] | None = None,
    escalate_to_security: bool = False,
) -> dict[str, object]:
    return {
        "name": name,
        "match": {
            "tags_any": sorted(tags_any),
            "tiers": list(tiers),
            "priorities": list(priorities),
            "escalation_flag": escalation_flag,
        },
        "require": require,
        "fallback": fallback,
        "escalate_to_security": escalate_to_security,
    }


def support_standard_rules(track_ids_by_name: Mapping[str, str]) -> list[dict[str, object]]:
    """PRODUCT.md §7 with the third seed's six routing rules, given the ids of the business's
    ``support-standard`` tracks by name. Raises ValueError naming any track it lacks."""
    missing = [name for name in ROUTED_TRACK_NAMES if name not in track_ids_by_name]
    if missing:
        raise ValueError(f"missing tracks: {', '.join(missing)}")
    fundamentals = track_ids_by_name[FUNDAMENTALS]
    generalist: dict[str, object] = {"min_certifications": 3}
    to_manager: dict[str, object] = {"action": "route_to_manager", "base_track_id": fundamentals}
    return [
        _rule(
            "API Issues",
            tags_any=("api", "integration", "webhook", "rate-limit"),
            require={"track_id": track_ids_by_name[ADVANCED_TROUBLESHOOTING]},
            fallback={"action": "base_track_and_notify", "base_track_id": fundamentals},
        ),
        _rule(
            "Billing Issues",
            tags_any=("billing", "payment", "refund", "invoice"),
            require={"track_id": track_ids_by_name[BILLING]},
            fallback={"action": "flag_for_review", "base_track_id": fundamentals},
        ),
        _rule(
            "VIP Customer Tickets",
            tiers=("enterprise", "strategic"),
            require={"track_id": track_ids_by_name[CUSTOMER_SUCCESS]},
            fallback={"action": "highest_certified", "base_track_id": None},
        ),
        _rule(
            "Security Issues",
            tags_any=("security", "compromised", "breach", "phishing"),
            require={"track_id": track_ids_by_name[SECURITY]},
            escalate_to_security=True,
        ),
        _rule(
            "Escalation Tickets: P1",
            priorities=("P1",),
            require=generalist,
            fallback=to_manager,
        ),
        _rule(
            "Escalation Tickets: needs escalation",
            escalation_flag=True,
            require=generalist,
            fallback=to_manager,
        ),
        _rule(
            "Standard Tickets",
            priorities=("P2", "P3", "P4"),
            require={"track_id": fundamentals},
        ),
    ]
