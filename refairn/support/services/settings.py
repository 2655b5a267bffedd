"""Support-side settings of a business and agents' unavailability notices (PRODUCT.md §2, §6)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from django.db import transaction

from refairn.core import clock
from refairn.core.errors import InvalidInput, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.notifications.services import notification_send
from refairn.programs.domain import AgentStatus
from refairn.programs.models import Agent
from refairn.programs.selectors import agent_name, business_get_for, staff_user_ids
from refairn.support.domain.errors import TopicConfigError
from refairn.support.domain.escalation import Category, topics_edit
from refairn.support.models import EscalationTopic, SupportPolicy, Unavailability
from refairn.support.selectors import escalation_topics_for
from refairn.support.selectors.intake import Policy

# Illness that began this morning is reported late (issue 11 item 12): a notice may start up
# to a week back and is in force at once; older starts are mistakes, not notices.
MAX_BACKDATE = timedelta(days=7)
MAX_UNAVAILABILITY = timedelta(days=365)


@transaction.atomic
def escalation_topics_update(
    *, actor: Actor, categories: Mapping[str, Sequence[str]]
) -> dict[Category, tuple[str, ...]]:
    """PRODUCT.md §2: the business edits its must-escalate phrases, category by category; the
    categories it leaves out keep their phrases (issue 11 item 9)."""
    actor.require(*ADMIN_ROLES)
    business_get_for(actor, lock=True)  # one edit of a business's topics at a time
    current, _ = escalation_topics_for(actor.business_id)
    try:
        topics = topics_edit(current, categories)
    except TopicConfigError as exc:
        raise InvalidInput(
            f"categories.{exc.field}: {exc.message}",
            code=exc.code,
            fields={f"categories.{exc.field}": exc.message},
        ) from None
    now = clock.now()
    for category in Category:
        EscalationTopic.objects.update_or_create(
            business_id=actor.business_id,
            category=category.value,
            defaults={
                "phrases": list(topics.get(category, ())),
                "updated_at": now,
                "updated_by_id": actor.user_id,
            },
        )
    return topics


@transaction.atomic
def escalation_topics_reset(*, actor: Actor) -> None:
    """PRODUCT.md §2: the business goes back to the default phrases (``customized: false``)."""
    actor.require(*ADMIN_ROLES)
    business_get_for(actor, lock=True)
    EscalationTopic.objects.filter(business_id=actor.business_id).delete()


@transaction.atomic
def support_policy_update(
    *, actor: Actor, unavailability_policy: str, reassign_to: uuid.UUID | None
) -> Policy:
    """PRODUCT.md §6: while an agent is unavailable, either pause their intake or send their
    customers' new tickets to one stand-in agent (checked for eligibility at each ticket)."""
    actor.require(*ADMIN_ROLES)
    reassigning = unavailability_policy == SupportPolicy.Unavailability.REASSIGN
    if reassigning and reassign_to is None:
        raise field_error("reassign_to", "name the agent who takes over new tickets")
    if not reassigning and reassign_to is not None:
        raise field_error("reassign_to", "only used with the reassign policy")
    if (
        reassign_to is not None
        and not Agent.objects.filter(
            business_id=actor.business_id, user_id=reassign_to, status=AgentStatus.APPROVED
        ).exists()
    ):
        raise field_error(
            "reassign_to", "is not an approved agent of this business", code="unknown_agent"
        )
    SupportPolicy.objects.update_or_create(
        business_id=actor.business_id,
        defaults={
            "unavailability_policy": unavailability_policy,
            "reassign_to_id": reassign_to,
            "updated_at": clock.now(),
            "updated_by_id": actor.user_id,
        },
    )
    return Policy(unavailability_policy, reassign_to)


@transaction.atomic
def unavailability_create(
    *, actor: Actor, starts_at: datetime, ends_at: datetime, reason: str
) -> Unavailability:
    """PRODUCT.md §6: an agent gives notice of a period away; the business's policy decides
    what happens to their intake meanwhile. A period that already began (up to 7 days back)
    takes effect now; one that already ended is refused."""
    actor.require(Role.AGENT)
    now = clock.now()
    if starts_at < now - MAX_BACKDATE:
        raise field_error("starts_at", "can be at most 7 days in the past")
    if ends_at <= starts_at:
        raise field_error("ends_at", "must be after starts_at")
    if ends_at <= now:
        raise field_error("ends_at", "must be in the future")
    if ends_at - starts_at > MAX_UNAVAILABILITY:
        raise field_error("ends_at", "a notice covers at most 365 days")
    notice = Unavailability.objects.create(
        business_id=actor.business_id,
        agent_id=actor.user_id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        created_at=now,
    )
    business = business_get_for(actor)
    name = agent_name(business.id, actor.user_id)
    notification_send(
        user_ids=staff_user_ids(business.id, *ADMIN_ROLES),
        business_id=business.id,
        kind="agent_unavailable",
        text=f"{name} {'is' if starts_at <= now else 'will be'} unavailable from "
        f"{starts_at.astimezone(UTC):%Y-%m-%d %H:%M} "
        f"to {ends_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.",
        link=f"/b/{business.id}/",
        event="agent.unavailable",
        data={
            "agent_id": actor.user_id,
            "agent_name": name,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "reason": notice.reason,
        },
    )
    return notice
