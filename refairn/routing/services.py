"""Routing writes: a business's rules, and the record of each ticket's routing with the notices
it calls for (PRODUCT.md §7)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from refairn.core import clock
from refairn.core.errors import Conflict, InvalidInput, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.selectors import business_get_for, staff_user_ids
from refairn.routing import domain
from refairn.routing.models import RoutingDecision, RoutingRuleSet
from refairn.routing.selectors import Routed, track_ids_of
from refairn.training.selectors import track_ids_by_name

SUPPORT_STANDARD = "support-standard"


def _save_rules(actor: Actor, raw: object) -> list[dict[str, object]]:
    # Two edits at once queue on the business row; the later one wins whole.
    business_get_for(actor, lock=True)
    try:
        rules = domain.parse_rules(raw, known_track_ids=track_ids_of(actor.business_id))
    except domain.RoutingRuleError as exc:
        raise InvalidInput(
            f"Invalid routing rules: {exc}", code=exc.code, fields=exc.errors
        ) from None
    normalized = domain.rules_to_json(rules)
    RoutingRuleSet.objects.update_or_create(
        business_id=actor.business_id,
        defaults={"rules": normalized, "updated_at": clock.now(), "updated_by_id": actor.user_id},
    )
    return normalized


@transaction.atomic
def routing_rules_replace(*, actor: Actor, rules: list[Any]) -> list[dict[str, object]]:
    """PRODUCT.md §7: the business's ordered routing rules, replaced whole. Validated on save
    (unknown track, empty rule, bad fallback... each named by its path); nothing is written
    unless every rule is valid. An empty list removes every rule."""
    actor.require(*ADMIN_ROLES)
    return _save_rules(actor, rules)


@transaction.atomic
def routing_rules_from_template(*, actor: Actor, template: str) -> list[dict[str, object]]:
    """PRODUCT.md §7: the ``support-standard`` rule set (the third seed's six rules) over the
    business's tracks of the same names, replacing its rules. 409 ``tracks_missing`` naming
    the tracks it lacks (apply the ``support-standard`` track template first)."""
    actor.require(*ADMIN_ROLES)
    if template != SUPPORT_STANDARD:
        raise field_error(
            "template", f"unknown template; one of: {SUPPORT_STANDARD}", code="unknown_template"
        )
    ids = {
        name: str(track_id)
        for name, track_id in track_ids_by_name(actor, domain.ROUTED_TRACK_NAMES).items()
    }
    missing = [name for name in domain.ROUTED_TRACK_NAMES if name not in ids]
    if missing:
        raise Conflict(
            f"This business has no track named: {', '.join(missing)}.",
            code="tracks_missing",
            extra={"missing_tracks": missing},
        )
    return _save_rules(actor, domain.support_standard_rules(ids))


# Inside a ticket's transaction there is nothing to roll back to short of the whole write, so
# no savepoint (a round trip each way on every ticket, issue 17).
@transaction.atomic(savepoint=False)
def routing_decision_record(
    *, business_id: uuid.UUID, ticket_id: uuid.UUID, subject: str, routed: Routed
) -> RoutingDecision:
    """PRODUCT.md §7: every routing decision is recorded (rule, pool size, chosen agent,
    fallback); routing a reopened ticket again adds a decision, the earlier one stays.
    Fallbacks notify the owners and managers; security rules also escalate to the security
    staff (the owners and managers when there are none). ``subject`` names the ticket in those
    notices."""
    decision = routed.decision
    record = RoutingDecision.objects.create(
        ticket_id=ticket_id,
        business_id=business_id,
        subject=subject,
        rule_name=decision.rule_name,
        pool_size=decision.pool_size,
        fallback_used=decision.fallback_used,
        by_certification=routed.by_certification,
        agent_id=routed.agent_id,
        notify_managers=decision.notify_managers,
        flag_for_review=decision.flag_for_review,
        route_to_manager=decision.route_to_manager,
        escalate_to_security=decision.escalate_to_security,
        reason=decision.reason,
        at=clock.now(),
    )
    link = f"/b/{business_id}/"
    data = {
        "ticket_id": ticket_id,
        "subject": subject,
        "rule": decision.rule_name,
        "reason": decision.reason,
    }
    if decision.notify_managers:
        notification_send(
            user_ids=staff_user_ids(business_id, Role.OWNER, Role.MANAGER),
            business_id=business_id,
            kind="routing_fallback",
            text=f"Routing fallback for ticket '{subject}': {decision.reason}",
            link=link,
            event="routing.fallback",
            data=data,
        )
    if decision.escalate_to_security:
        security = staff_user_ids(business_id, Role.SECURITY)
        notification_send(
            user_ids=security or staff_user_ids(business_id, Role.OWNER, Role.MANAGER),
            business_id=business_id,
            kind="routing_security",
            text=f"Security ticket '{subject}' ({decision.rule_name}): {decision.reason}",
            link=link,
            event="routing.security",
            data=data,
        )
    return record
