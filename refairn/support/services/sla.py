"""Overdue flags, warnings and performance reviews (PRODUCT.md §2 "SLA policy", §6)."""

from __future__ import annotations

import uuid
from collections import deque
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q

from refairn.core import clock
from refairn.core.errors import Conflict, field_error
from refairn.core.planner import jit_off
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.notifications.notice import Notice
from refairn.notifications.services import notices_send, notification_send
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import agent_get_for, agent_name, agent_names, staff_user_ids
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


_CANDIDATE_FIELDS = (
    "id",
    "business_id",
    "assigned_agent_id",
    "created_at",
    "first_response_due_at",
    "resolution_due_at",
    "first_responded_at",
    "resolved_at",
    "escalated_at",
)
# Rows written per INSERT statement.
BATCH = 1000


def _candidates(now: datetime) -> list[dict[str, Any]]:
    """Tickets that may have a deadline to flag: past due, no flag of that kind yet, and not
    done or escalated by the deadline. This only narrows the rows so a sweep never rereads
    settled tickets; whether a deadline was missed is ``overdue_breaches``'s decision. Plain
    rows of the fields that decision reads (a sweep may see thousands)."""
    maybe = Q(pk__in=[])
    for kind, (due, done) in _DUE_FIELD.items():
        flagged = OverdueFlag.objects.filter(ticket=OuterRef("pk"), kind=kind)
        maybe |= (
            Q(**{f"{due}__lt": now})
            & ~Exists(flagged)
            & (Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gt": F(due)}))
            & (Q(escalated_at__isnull=True) | Q(escalated_at__gt=F(due)))
        )
    with transaction.atomic():
        # The unmet-deadline conditions compare two columns: PostgreSQL can only guess how
        # many tickets pass, and its guess at a million tickets is costly enough to compile.
        jit_off()
        # A pending ticket's clock is stopped (issue 12 item 7): a deadline it missed before
        # the pause is flagged once the customer or the support side resumes it.
        return list(
            Ticket.objects.filter(maybe)
            .exclude(status=TicketStatus.PENDING)
            .order_by("created_at", "id")
            .values(*_CANDIDATE_FIELDS)
        )


def _flags_insert(flags: list[OverdueFlag]) -> int:
    """Insert the flags a batch at a time, skipping any a concurrent sweep raised first (the
    one-flag-per-ticket-and-kind constraint); returns how many this sweep inserted, as the
    database counted them."""
    inserted = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        nonlocal inserted
        result = execute(sql, params, many, context)
        inserted += max(context["cursor"].rowcount, 0)
        return result

    with connection.execute_wrapper(count):
        OverdueFlag.objects.bulk_create(flags, batch_size=BATCH, ignore_conflicts=True)
    return inserted


def overdue_flags_raise() -> int:
    """PRODUCT.md §6: flag every missed first-response or resolution deadline, once per ticket
    and kind, dated at the deadline itself; then apply the SLA policy's thresholds to every
    flag not judged yet. Safe to run twice, or twice at once, and a run killed half-way is
    completed by the next (issue 18 item 3). Returns the flags raised."""
    now = clock.now()
    flags = []
    for ticket in _candidates(now):
        breaches = overdue_breaches(
            created_at=ticket["created_at"],
            first_response_due=ticket["first_response_due_at"],
            resolution_due=ticket["resolution_due_at"],
            first_responded_at=ticket["first_responded_at"],
            resolved_at=ticket["resolved_at"],
            escalated_at=ticket["escalated_at"],
            now=now,
        )
        agent_id = ticket["assigned_agent_id"]
        flags += [
            OverdueFlag(
                business_id=ticket["business_id"],
                ticket_id=ticket["id"],
                agent_id=agent_id,
                kind=kind.value,
                at=ticket[_DUE_FIELD[kind][0]],
                raised_at=now,
                # A queue ticket's flag counts toward no agent's thresholds.
                judged=agent_id is None,
            )
            for kind in sorted(breaches)
        ]
    raised = _flags_insert(flags)
    pending = (
        OverdueFlag.objects.filter(judged=False)
        .values_list("business_id", flat=True)
        .distinct()
        .order_by("business_id")
    )
    for business_id in list(pending):
        _thresholds_apply(business_id=business_id)
    return raised


@transaction.atomic
def _thresholds_apply(*, business_id: uuid.UUID) -> None:
    """PRODUCT.md §2: each flag not judged yet is judged at its own time against the flags of
    the trailing window before it: reaching the warning threshold warns, reaching the review
    threshold opens a review (unless one is open). A sweep that catches up on old deadlines
    therefore decides as if it had run when each deadline passed. The warnings, reviews and
    the flags' ``judged`` commit together: judged once, whatever dies in between. One
    business at a time, its agents' flags read together."""
    new = OverdueFlag.objects.filter(business_id=business_id, judged=False)
    # The agents' thresholds at a time: the counts read below decide what is written. Locked
    # in one order, so two sweeps queue rather than deadlock.
    list(
        Agent.objects.select_for_update()
        .filter(business_id=business_id, user_id__in=new.values("agent_id"))
        .order_by("user_id")
        .values_list("pk", flat=True)
    )
    new_flags = list(
        new.select_for_update().order_by("at", "id").values_list("id", "agent_id", "at")
    )
    if not new_flags:
        return  # a concurrent sweep judged them
    new.filter(pk__in=[flag_id for flag_id, _, _ in new_flags]).update(judged=True)
    # A flag without an agent (the account is gone): nobody to warn.
    judged = [(flag_id, agent_id, at) for flag_id, agent_id, at in new_flags if agent_id]
    if not judged:
        return
    business = Business.objects.get(pk=business_id)
    policy = support_settings(business).policy
    window = timedelta(days=policy.window_days)
    new_ids = {flag_id for flag_id, _, _ in judged}
    agents = {agent_id for _, agent_id, _ in judged}
    first = min(at for _, _, at in judged)
    last = max(at for _, _, at in judged)
    # The business's flags of the span; other agents' are skipped below (cheaper than a list
    # of thousands of agents sent back).
    rows = (
        OverdueFlag.objects.filter(business_id=business_id, at__gt=first - window, at__lte=last)
        .order_by("agent_id", "at", "id")
        .values_list("agent_id", "id", "at")
    )
    reviewing = set(
        PerformanceReview.objects.filter(
            business_id=business_id, status=PerformanceReview.Status.OPEN
        ).values_list("agent_id", flat=True)
    )
    earlier: deque[datetime] = deque()
    current = None
    decided: list[tuple[Action, uuid.UUID, int, datetime]] = []
    for agent_id, flag_id, at in rows:
        if agent_id not in agents:
            continue
        if agent_id != current:
            current, earlier = agent_id, deque()
        # Flags come in time order: those out of this flag's window are out of every later
        # one's too.
        while earlier and earlier[0] <= at - window:
            earlier.popleft()
        if flag_id in new_ids:
            before = flags_in_window(earlier, at, policy.window_days)
            actions = threshold_actions(
                count_before=before,
                count_after=before + 1,
                warning_threshold=policy.warning_threshold,
                review_threshold=policy.review_threshold,
                review_open=agent_id in reviewing,
            )
            # A warning before a review, as the rule orders them.
            decided += [
                (action, agent_id, before + 1, at) for action in Action if action in actions
            ]
            if Action.OPEN_REVIEW in actions:
                reviewing.add(agent_id)
        earlier.append(at)
    if decided:
        _thresholds_act(business, decided, days=policy.window_days)


def _thresholds_act(
    business: Business, decided: list[tuple[Action, uuid.UUID, int, datetime]], *, days: int
) -> None:
    """Write the warnings and reviews the thresholds decided, and tell the agents and the
    admins: the rows and notices the decisions would write one at a time, in a few inserts
    (a sweep may warn thousands of agents)."""
    names = agent_names(business.id, {agent_id for _, agent_id, _, _ in decided})
    reviewed = any(action is Action.OPEN_REVIEW for action, _, _, _ in decided)
    admins = staff_user_ids(business.id, *ADMIN_ROLES) if reviewed else []
    warnings, reviews, notices = [], [], []
    for action, agent_id, count, at in decided:
        if action is Action.WARN:
            warning, notice = _warn_automatically(
                business, agent_id, names[agent_id], count=count, days=days, at=at
            )
            warnings.append(warning)
            notices.append(notice)
        else:
            review, told = _review_open(
                business, agent_id, names[agent_id], admins, count=count, days=days, at=at
            )
            reviews.append(review)
            notices += told
    AgentWarning.objects.bulk_create(warnings, batch_size=BATCH)
    PerformanceReview.objects.bulk_create(reviews, batch_size=BATCH)
    notices_send(notices)


def _warn_automatically(
    business: Business, agent_id: uuid.UUID, name: str, *, count: int, days: int, at: datetime
) -> tuple[AgentWarning, Notice]:
    message = (
        f"{count} of your tickets at {business.name} went past their SLA deadlines in the last "
        f"{days} days. Answer on time, or tell the business in advance when you are unavailable."
    )
    warning = AgentWarning(
        business=business,
        agent_id=agent_id,
        kind=AgentWarning.Kind.AUTOMATIC,
        message=message,
        at=at,
    )
    notice = Notice(
        user_ids=[agent_id],
        business_id=business.id,
        kind="sla_warning",
        text=message,
        link=f"/b/{business.id}/",
        at=at,
        event="sla.warning",
        data={
            "agent_id": agent_id,
            "agent_name": name,
            "overdue_flags": count,
            "window_days": days,
        },
    )
    return warning, notice


def _review_open(
    business: Business,
    agent_id: uuid.UUID,
    name: str,
    admins: list[uuid.UUID],
    *,
    count: int,
    days: int,
    at: datetime,
) -> tuple[PerformanceReview, list[Notice]]:
    review = PerformanceReview(
        business=business,
        agent_id=agent_id,
        opened_at=at,
        trigger=f"{count} overdue flags in {days} days",
    )
    data = {
        "agent_id": agent_id,
        "agent_name": name,
        "review_id": review.id,
        "trigger": review.trigger,
    }
    opened = Notice(
        user_ids=[agent_id],
        business_id=business.id,
        kind="performance_review_opened",
        text=f"{business.name} opened a support performance review after {count} overdue "
        f"tickets in {days} days.",
        link=f"/b/{business.id}/",
        at=at,
        event="performance_review.opened",
        data=data,
    )
    to_decide = Notice(
        user_ids=admins,
        business_id=business.id,
        kind="performance_review_to_decide",
        text=f"A support performance review of {name} is waiting for your decision.",
        link=f"/b/{business.id}/",
        at=at,
        event="performance_review.to_decide",
        data=data,
    )
    return review, [opened, to_decide]


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
        event="support.warning",
        data={
            "agent_id": agent.user_id,
            "agent_name": agent.user.name or agent.user.email,
            "message": message,
        },
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
        event="performance_review.decided",
        data={
            "agent_id": review.agent_id,
            "agent_name": agent_name(actor.business_id, review.agent_id),
            "review_id": review.id,
            "trigger": review.trigger,
            "outcome": "remove_support" if outcome == "remove_support" else "keep",
            "reason": reason,
        },
    )
    return review
