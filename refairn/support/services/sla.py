"""Overdue flags, warnings and performance reviews (PRODUCT.md §2 "SLA policy", §6)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q

from refairn.core import clock
from refairn.core.errors import Conflict, field_error
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.notifications.services import notification_send
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import agent_get_for, agent_name, staff_user_ids
from refairn.support.domain.access import AccessStatus
from refairn.support.domain.thresholds import (
    Action,
    BreachKind,
    flags_in_window,
    overdue_breaches,
    threshold_actions,
)
from refairn.support.domain.tickets import TicketStatus
from refairn.support.models import AgentWarning, OverdueFlag, PerformanceReview, Ticket
from refairn.support.selectors import review_get_for, support_access_of
from refairn.support.services.access import support_access_change
from refairn.support.settings_section import support_settings

_DUE_FIELD = {
    BreachKind.FIRST_RESPONSE: ("first_response_due_at", "first_responded_at"),
    BreachKind.RESOLUTION: ("resolution_due_at", "resolved_at"),
}


def _candidates(now: datetime) -> list[Ticket]:
    """Tickets that may have a deadline to flag: past due, no flag of that kind yet, and not
    done or escalated by the deadline. This only narrows the rows so a sweep never rereads
    settled tickets; whether a deadline was missed is ``overdue_breaches``'s decision."""
    maybe = Q(pk__in=[])
    for kind, (due, done) in _DUE_FIELD.items():
        flagged = OverdueFlag.objects.filter(ticket=OuterRef("pk"), kind=kind)
        maybe |= (
            Q(**{f"{due}__lt": now})
            & ~Exists(flagged)
            & (Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gt": F(due)}))
            & (Q(escalated_at__isnull=True) | Q(escalated_at__gt=F(due)))
        )
    # A pending ticket's clock is stopped (issue 12 item 7): a deadline it missed before the
    # pause is flagged once the customer or the support side resumes it.
    waiting = Q(status=TicketStatus.PENDING)
    return list(Ticket.objects.filter(maybe).exclude(waiting).order_by("created_at", "id"))


def _flag(ticket: Ticket, kind: BreachKind) -> OverdueFlag | None:
    due_field, _ = _DUE_FIELD[kind]
    try:
        with transaction.atomic():
            return OverdueFlag.objects.create(
                business_id=ticket.business_id,
                ticket=ticket,
                agent_id=ticket.assigned_agent_id,
                kind=kind.value,
                at=getattr(ticket, due_field),
                raised_at=clock.now(),
                # A queue ticket's flag counts toward no agent's thresholds.
                judged=ticket.assigned_agent_id is None,
            )
    except IntegrityError:
        return None  # a concurrent sweep flagged it first


def overdue_flags_raise() -> int:
    """PRODUCT.md §6: flag every missed first-response or resolution deadline, once per ticket
    and kind, dated at the deadline itself; then apply the SLA policy's thresholds to every
    flag not judged yet. Safe to run twice, or twice at once, and a run killed half-way is
    completed by the next (issue 18 item 3). Returns the flags raised."""
    now = clock.now()
    raised = 0
    for ticket in _candidates(now):
        breaches = overdue_breaches(
            created_at=ticket.created_at,
            first_response_due=ticket.first_response_due_at,
            resolution_due=ticket.resolution_due_at,
            first_responded_at=ticket.first_responded_at,
            resolved_at=ticket.resolved_at,
            escalated_at=ticket.escalated_at,
            now=now,
        )
        for kind in sorted(breaches):
            if _flag(ticket, kind) is not None:
                raised += 1
    pending = (
        OverdueFlag.objects.filter(judged=False)
        .values_list("business_id", "agent_id")
        .distinct()
        .order_by("business_id", "agent_id")
    )
    for business_id, agent_id in list(pending):
        _thresholds_apply(business_id=business_id, agent_id=agent_id)
    return raised


@transaction.atomic
def _thresholds_apply(*, business_id: uuid.UUID, agent_id: uuid.UUID | None) -> None:
    """PRODUCT.md §2: each flag not judged yet is judged at its own time against the flags of
    the trailing window before it: reaching the warning threshold warns, reaching the review
    threshold opens a review (unless one is open). A sweep that catches up on old deadlines
    therefore decides as if it had run when each deadline passed. The warnings, reviews and
    the flags' ``judged`` commit together: judged once, whatever dies in between."""
    if agent_id is not None:
        # One agent's thresholds at a time: the counts read below decide what is written.
        Agent.objects.select_for_update().filter(business_id=business_id, user_id=agent_id).first()
    new_flags = list(
        OverdueFlag.objects.select_for_update().filter(
            business_id=business_id, agent_id=agent_id, judged=False
        )
    )
    if not new_flags:
        return  # a concurrent sweep judged them
    OverdueFlag.objects.filter(pk__in=[flag.pk for flag in new_flags]).update(judged=True)
    if agent_id is None:
        return  # the agent's account is gone: nobody to warn
    business = Business.objects.get(pk=business_id)
    policy = support_settings(business).policy
    window = timedelta(days=policy.window_days)
    new_ids = {flag.id for flag in new_flags}
    first = min(flag.at for flag in new_flags)
    last = max(flag.at for flag in new_flags)
    rows = OverdueFlag.objects.filter(
        business_id=business_id, agent_id=agent_id, at__gt=first - window, at__lte=last
    ).order_by("at", "id")
    review_open = PerformanceReview.objects.filter(
        business_id=business_id, agent_id=agent_id, status=PerformanceReview.Status.OPEN
    ).exists()
    earlier: list[datetime] = []
    for flag_id, at in rows.values_list("id", "at"):
        if flag_id in new_ids:
            before = flags_in_window(earlier, at, policy.window_days)
            actions = threshold_actions(
                count_before=before,
                count_after=before + 1,
                warning_threshold=policy.warning_threshold,
                review_threshold=policy.review_threshold,
                review_open=review_open,
            )
            if Action.WARN in actions:
                _warn_automatically(
                    business, agent_id, count=before + 1, days=policy.window_days, at=at
                )
            if Action.OPEN_REVIEW in actions:
                _review_open(business, agent_id, count=before + 1, days=policy.window_days, at=at)
                review_open = True
        earlier.append(at)


def _warn_automatically(
    business: Business, agent_id: uuid.UUID, *, count: int, days: int, at: datetime
) -> AgentWarning:
    message = (
        f"{count} of your tickets at {business.name} went past their SLA deadlines in the last "
        f"{days} days. Answer on time, or tell the business in advance when you are unavailable."
    )
    warning = AgentWarning.objects.create(
        business=business,
        agent_id=agent_id,
        kind=AgentWarning.Kind.AUTOMATIC,
        message=message,
        at=at,
    )
    notification_send(
        user_ids=[agent_id],
        business_id=business.id,
        kind="sla_warning",
        text=message,
        link=f"/b/{business.id}/",
        at=at,
    )
    return warning


def _review_open(
    business: Business, agent_id: uuid.UUID, *, count: int, days: int, at: datetime
) -> PerformanceReview:
    review = PerformanceReview.objects.create(
        business=business,
        agent_id=agent_id,
        opened_at=at,
        trigger=f"{count} overdue flags in {days} days",
    )
    notification_send(
        user_ids=[agent_id],
        business_id=business.id,
        kind="performance_review_opened",
        text=f"{business.name} opened a support performance review after {count} overdue "
        f"tickets in {days} days.",
        link=f"/b/{business.id}/",
        at=at,
    )
    name = agent_name(business.id, agent_id)
    notification_send(
        user_ids=staff_user_ids(business.id, *ADMIN_ROLES),
        business_id=business.id,
        kind="performance_review_to_decide",
        text=f"A support performance review of {name} is waiting for your decision.",
        link=f"/b/{business.id}/",
        at=at,
    )
    return review


@transaction.atomic
def warning_send(*, actor: Actor, agent_id: object, message: str) -> AgentWarning:
    """PRODUCT.md §6: the business may also warn an agent by hand."""
    actor.require(*ADMIN_ROLES)
    message = message.strip()
    if not message:
        raise field_error("message", "must not be blank")
    agent = agent_get_for(actor, agent_id)
    warning = AgentWarning.objects.create(
        business_id=actor.business_id,
        agent_id=agent.user_id,
        kind=AgentWarning.Kind.MANUAL,
        message=message,
        at=clock.now(),
        by_id=actor.user_id,
    )
    notification_send(
        user_ids=[agent.user_id],
        business_id=actor.business_id,
        kind="support_warning",
        text=message,
        link=f"/b/{actor.business_id}/",
    )
    return warning


@transaction.atomic
def review_decide(
    *, actor: Actor, review_id: object, outcome: str, reason: str
) -> PerformanceReview:
    """PRODUCT.md §6: the business decides a performance review: keep the agent, or remove
    their support access (the removal service: assignments end, referrals untouched)."""
    actor.require(*ADMIN_ROLES)
    review = review_get_for(actor, review_id, lock=True)
    reason = reason.strip()
    if outcome == "remove_support" and not reason:
        raise field_error("reason", "a reason is required to remove support access")
    if review.status != PerformanceReview.Status.OPEN:
        raise Conflict(f"This review was already decided ({review.status}).", code="review_decided")
    if outcome == "remove_support":
        access = support_access_of(business_id=actor.business_id, agent_id=review.agent_id)
        if access is not AccessStatus.REMOVED:
            support_access_change(
                actor=actor, agent_id=review.agent_id, action="remove", reason=reason
            )
        review.status = PerformanceReview.Status.SUPPORT_REMOVED
    else:
        review.status = PerformanceReview.Status.KEPT
    review.decided_at, review.decided_by_id, review.decision_reason = (
        clock.now(),
        actor.user_id,
        reason,
    )
    review.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    verdict = "you keep your support access" if outcome == "keep" else "support access removed"
    notification_send(
        user_ids=[review.agent_id],
        business_id=actor.business_id,
        kind="performance_review_decided",
        text=f"Your support performance review was decided: {verdict}."
        + (f" Reason: {reason}" if reason else ""),
        link=f"/b/{actor.business_id}/",
    )
    return review
