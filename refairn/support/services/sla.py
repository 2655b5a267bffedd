"""Overdue flags, warnings and performance reviews (PRODUCT.md §2 "SLA policy", §6)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q

from refairn.core import clock
from refairn.core.bulk import rows_insert
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
    TrailingWindow,
    deadline_missed,
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


# A flag to raise: (ticket, business, agent, kind, deadline).
Due = tuple[uuid.UUID, uuid.UUID, uuid.UUID | None, BreachKind, datetime]


def _due(now: datetime) -> list[Due]:
    """The deadlines to flag: past, unflagged, missed. One lookup per kind, each by its own
    index of unmet deadlines (one condition over both kinds was planned as a check of every
    flag); SQL only narrows the rows, so a sweep never rereads settled tickets, and
    ``deadline_missed`` decides. Ordered by ticket and kind: two sweeps at once insert the
    same flags in one order, and the later one waits instead of deadlocking."""
    due: list[Due] = []
    with transaction.atomic():
        # The unmet-deadline conditions compare two columns: PostgreSQL can only guess how
        # many tickets pass, and its guess at a million tickets is costly enough to compile.
        jit_off()
        for kind, (deadline, done) in _DUE_FIELD.items():
            rows = (
                Ticket.objects.filter(**{f"{deadline}__lt": now})
                .filter(Q(**{f"{done}__isnull": True}) | Q(**{f"{done}__gt": F(deadline)}))
                .filter(Q(escalated_at__isnull=True) | Q(escalated_at__gt=F(deadline)))
                # A pending ticket's clock is stopped (issue 12 item 7): a deadline it missed
                # before the pause is flagged once the customer or the support side resumes it.
                .exclude(status=TicketStatus.PENDING)
                .exclude(Exists(OverdueFlag.objects.filter(ticket=OuterRef("pk"), kind=kind)))
                .order_by()
                .values_list(
                    "id", "business_id", "assigned_agent_id", deadline, done, "escalated_at"
                )
            )
            due += [
                (ticket_id, business_id, agent_id, kind, at)
                for ticket_id, business_id, agent_id, at, done_at, escalated_at in rows
                if deadline_missed(due=at, done_at=done_at, escalated_at=escalated_at, now=now)
            ]
    due.sort(key=lambda flag: (flag[0], flag[3]))
    return due


def _flags_insert(due: list[Due], now: datetime) -> int:
    """Insert the flags, skipping any a concurrent sweep raised first (the
    one-flag-per-ticket-and-kind constraint); returns how many this sweep inserted, as the
    database counted them. A queue ticket's flag counts toward no agent's thresholds: it is
    judged as it is raised."""
    flags = [
        OverdueFlag(
            business_id=business_id,
            ticket_id=ticket_id,
            agent_id=agent_id,
            kind=kind.value,
            at=at,
            raised_at=now,
            judged=agent_id is None,
        )
        for ticket_id, business_id, agent_id, kind, at in due
    ]
    return rows_insert(OverdueFlag, flags, ignore_conflicts=True)


def overdue_flags_raise() -> int:
    """PRODUCT.md §6: flag every missed first-response or resolution deadline, once per ticket
    and kind, dated at the deadline itself; then apply the SLA policy's thresholds to every
    flag not judged yet. Safe to run twice, or twice at once, and a run killed half-way is
    completed by the next (issue 18 item 3). Returns the flags raised."""
    now = clock.now()
    raised = _flags_insert(_due(now), now)
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
    new_flags = _flags_claim(business_id)
    if not new_flags:
        return  # a concurrent sweep judged them
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
    current = None
    earlier = TrailingWindow(policy.window_days)
    decided: list[tuple[Action, uuid.UUID, int, datetime]] = []
    for agent_id, flag_id, at in rows:
        if agent_id not in agents:
            continue
        if agent_id != current:
            current, earlier = agent_id, TrailingWindow(policy.window_days)
        before = earlier.add(at)
        if flag_id in new_ids:
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
    if decided:
        _thresholds_act(business, decided, days=policy.window_days)


def _flags_claim(business_id: uuid.UUID) -> list[tuple[int, uuid.UUID | None, datetime]]:
    """Mark the business's flags not judged yet as judged, in the caller's transaction; their
    ``(id, agent, at)``. A concurrent sweep claiming the same flags waits for
    this transaction, then finds them judged."""
    new = OverdueFlag.objects.filter(business_id=business_id, judged=False)
    flags: list[tuple[int, uuid.UUID | None, datetime]]
    if connection.vendor != "postgresql":
        flags = list(new.select_for_update().values_list("id", "agent_id", "at"))
        new.filter(pk__in=[flag_id for flag_id, _, _ in flags]).update(judged=True)
    else:
        # One statement claims and reads them: no list of thousands of ids sent back.
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE support_overdueflag SET judged = true
                    WHERE business_id = %s AND NOT judged RETURNING id, agent_id, at""",
                [business_id],
            )
            flags = cursor.fetchall()
    return flags


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
    rows_insert(AgentWarning, warnings)
    rows_insert(PerformanceReview, reviews)
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
