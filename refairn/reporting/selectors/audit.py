"""The business audit log (issue 18 item 9; ``reporting.domain.audit``): the history rows of
every app below reporting, scoped to the caller's business, newest first, one page at a time.
Owners and managers only: it names every decision and its reason."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

from refairn.accounts.models import ApiToken, User
from refairn.certification.models import AttemptGrant, CertificationEvent
from refairn.commissions.models import CommissionRun, ReferralEntry, SupportEntry
from refairn.core.errors import field_error
from refairn.core.instants import bounded_instant
from refairn.core.pagination import Page, cursor_decode, cursor_encode, page_limit
from refairn.core.tenancy import Actor, Role
from refairn.credentials.models import Credential
from refairn.programs.models import Agent, StaffMembership, SupportLevelChange
from refairn.reporting.domain.audit import AuditEntry, AuditKind, merge_newest
from refairn.routing.models import RoutingDecision, RoutingRuleSet
from refairn.support.models import (
    AgentWarning,
    EscalationTopic,
    PerformanceReview,
    SupportAccessEvent,
    SupportPolicy,
    TicketEvent,
)

AUDIT_PAGE = 50

# What one row says: action, target type, target id, target, reason.
Described = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class Source:
    """One kind of history row: its rows in a business, which column holds the instant and
    which the user who acted (None: the platform acts), and how a row reads in the log."""

    name: str
    kind: AuditKind
    rows: Callable[[uuid.UUID], QuerySet[Any]]
    at: str
    by: str | None
    describe: Callable[[Any], Described]


def user_label(user: User | None) -> str:
    return "" if user is None else user.name or user.email


def _transition(row: Any) -> str:
    return f"{row.event} ({row.from_status or '-'} → {row.to_status})"


def _certification(certification: Any) -> tuple[str, str, str]:
    label = f"{user_label(certification.agent)} · {certification.track.name}"
    return "certification", str(certification.id), label


def _ledger_reversal(row: Any) -> Described:
    reason = f"{row.reversal_label}: {row.reason}" if row.reversal_label else row.reason
    target = f"{row.ledger} {row.kind} {row.period} {row.amount} {row.currency}"
    return (
        f"{row.ledger} entry reversed",
        "ledger_entry",
        str(row.reverses_id),
        f"{target} · {user_label(row.agent)}",
        reason,
    )


def _staff_tokens(business_id: uuid.UUID) -> QuerySet[ApiToken]:
    staff = StaffMembership.objects.filter(business_id=business_id).values("user_id")
    return ApiToken.objects.filter(user_id__in=staff).select_related("user")


SOURCES: tuple[Source, ...] = (
    Source(
        "ticket_event",
        AuditKind.TICKET,
        lambda b: TicketEvent.objects.filter(ticket__business_id=b).select_related("ticket", "by"),
        "at",
        "by",
        lambda r: (_transition(r), "ticket", str(r.ticket_id), r.ticket.subject, r.note),
    ),
    Source(
        "certification_event",
        AuditKind.CERTIFICATION,
        lambda b: CertificationEvent.objects.filter(business_id=b).select_related(
            "by", "certification__agent", "certification__track"
        ),
        "at",
        "by",
        lambda r: (_transition(r), *_certification(r.certification), r.reason),
    ),
    Source(
        "attempt_grant",
        AuditKind.CERTIFICATION,
        lambda b: AttemptGrant.objects.filter(business_id=b).select_related(
            "by", "certification__agent", "certification__track"
        ),
        "at",
        "by",
        lambda r: (f"granted {r.count} extra attempts", *_certification(r.certification), r.reason),
    ),
    Source(
        "support_access_event",
        AuditKind.SUPPORT_ACCESS,
        lambda b: SupportAccessEvent.objects.filter(business_id=b).select_related("by", "agent"),
        "at",
        "by",
        lambda r: (_transition(r), "agent", str(r.agent_id), user_label(r.agent), r.reason),
    ),
    Source(
        "agent_warning",
        AuditKind.SUPPORT_REVIEW,
        lambda b: AgentWarning.objects.filter(business_id=b).select_related("by", "agent"),
        "at",
        "by",
        lambda r: (f"{r.kind} warning", "agent", str(r.agent_id), user_label(r.agent), r.message),
    ),
    Source(
        "review_opened",
        AuditKind.SUPPORT_REVIEW,
        lambda b: PerformanceReview.objects.filter(business_id=b).select_related("agent"),
        "opened_at",
        None,
        lambda r: ("review opened", "agent", str(r.agent_id), user_label(r.agent), r.trigger),
    ),
    Source(
        "review_decided",
        AuditKind.SUPPORT_REVIEW,
        lambda b: PerformanceReview.objects.filter(
            business_id=b, decided_at__isnull=False
        ).select_related("decided_by", "agent"),
        "decided_at",
        "decided_by",
        lambda r: (
            f"review decided: {r.status}",
            "agent",
            str(r.agent_id),
            user_label(r.agent),
            r.decision_reason,
        ),
    ),
    Source(
        "routing_decision",
        AuditKind.ROUTING,
        lambda b: RoutingDecision.objects.filter(business_id=b).select_related("agent"),
        "at",
        None,
        lambda r: (
            f"routed to {user_label(r.agent) or 'the business queue'}",
            "ticket",
            str(r.ticket_id),
            r.subject,
            r.reason,
        ),
    ),
    Source(
        "routing_rules",
        AuditKind.SETTINGS,
        lambda b: RoutingRuleSet.objects.filter(business_id=b).select_related("updated_by"),
        "updated_at",
        "updated_by",
        lambda r: ("routing rules changed", "routing_rules", str(r.business_id), "Routing", ""),
    ),
    Source(
        "escalation_topic",
        AuditKind.SETTINGS,
        lambda b: EscalationTopic.objects.filter(business_id=b).select_related("updated_by"),
        "updated_at",
        "updated_by",
        lambda r: ("escalation topic changed", "escalation_topic", r.category, r.category, ""),
    ),
    Source(
        "support_policy",
        AuditKind.SETTINGS,
        lambda b: SupportPolicy.objects.filter(business_id=b).select_related("updated_by"),
        "updated_at",
        "updated_by",
        lambda r: (
            f"unavailability policy set to {r.unavailability_policy}",
            "support_policy",
            str(r.business_id),
            "Support policy",
            "",
        ),
    ),
    Source(
        "commission_run",
        AuditKind.COMMISSION,
        lambda b: CommissionRun.objects.filter(business_id=b).select_related("started_by"),
        "started_at",
        "started_by",
        lambda r: (
            f"commission run started ({r.trigger})",
            "commission_run",
            str(r.id),
            r.period,
            "",
        ),
    ),
    Source(
        "referral_reversal",
        AuditKind.COMMISSION,
        lambda b: ReferralEntry.objects.filter(
            business_id=b, reverses__isnull=False
        ).select_related("created_by", "agent"),
        "created_at",
        "created_by",
        _ledger_reversal,
    ),
    Source(
        "support_reversal",
        AuditKind.COMMISSION,
        lambda b: SupportEntry.objects.filter(business_id=b, reverses__isnull=False).select_related(
            "created_by", "agent"
        ),
        "created_at",
        "created_by",
        _ledger_reversal,
    ),
    Source(
        "staff_role",
        AuditKind.STAFF,
        lambda b: StaffMembership.objects.filter(business_id=b).select_related("user"),
        "created_at",
        None,
        lambda r: (f"{r.role} role granted", "user", str(r.user_id), user_label(r.user), ""),
    ),
    Source(
        "agent_applied",
        AuditKind.AGENT,
        lambda b: Agent.objects.filter(business_id=b).select_related("user"),
        "applied_at",
        "user",
        lambda r: ("applied to the program", "agent", str(r.user_id), user_label(r.user), ""),
    ),
    Source(
        "agent_decided",
        AuditKind.AGENT,
        lambda b: Agent.objects.filter(business_id=b, decided_at__isnull=False).select_related(
            "user", "decided_by"
        ),
        "decided_at",
        "decided_by",
        lambda r: (
            f"application {r.status}",
            "agent",
            str(r.user_id),
            user_label(r.user),
            r.decision_reason,
        ),
    ),
    Source(
        "support_level_set",
        AuditKind.AGENT,
        lambda b: SupportLevelChange.objects.filter(business_id=b).select_related("agent", "by"),
        "at",
        "by",
        lambda r: (
            f"support level {r.from_level} → {r.to_level}",
            "agent",
            str(r.agent_id),
            user_label(r.agent),
            "",
        ),
    ),
    Source(
        "credential_revoked",
        AuditKind.CREDENTIAL,
        lambda b: Credential.objects.filter(business_id=b, revoked_at__isnull=False),
        "revoked_at",
        None,
        lambda r: (
            "credential revoked",
            "credential",
            str(r.id),
            r.holder_name,
            r.revocation_reason,
        ),
    ),
    Source(
        "token_created",
        AuditKind.TOKEN,
        _staff_tokens,
        "created_at",
        "user",
        lambda r: ("API token created", "token", str(r.public_id), r.name, ""),
    ),
    Source(
        "token_revoked",
        AuditKind.TOKEN,
        lambda b: _staff_tokens(b).filter(revoked_at__isnull=False),
        "revoked_at",
        "user",
        lambda r: ("API token revoked", "token", str(r.public_id), r.name, ""),
    ),
)
SOURCE_NAMES = frozenset(source.name for source in SOURCES)


@dataclass(frozen=True)
class AuditFilter:
    """The log's filters: a kind, the user who acted, and a range of days (inclusive) as the
    calendar of ``zone`` has them: UTC for the API, the viewer's zone on the page."""

    kind: AuditKind | None = None
    actor_id: uuid.UUID | None = None
    since: date | None = None
    until: date | None = None
    zone: tzinfo = UTC


@dataclass(frozen=True)
class _Cursor:
    at: datetime
    source: str
    key: str


def _day_start(day: date, field: str, zone: tzinfo) -> datetime:
    try:
        return bounded_instant(datetime.combine(day, time.min, tzinfo=zone))
    except ValueError as exc:
        raise field_error(field, str(exc), code="invalid_date") from None


def _decoded(cursor: str | None) -> _Cursor | None:
    if not cursor:
        return None
    at, source, key = cursor_decode(cursor, 3)
    try:
        moment = bounded_instant(datetime.fromisoformat(at))
    except ValueError:
        moment = None
    if moment is None or source not in SOURCE_NAMES:
        raise field_error("cursor", "is not a cursor from this list", code="invalid_cursor")
    return _Cursor(moment, source, key)


def _after(source: Source, model: type[Model], cursor: _Cursor) -> Q:
    """The rows of ``source`` after ``cursor`` in the log's order (newest first; at one
    instant, sources by name downward, then keys downward)."""
    older = Q(**{f"{source.at}__lt": cursor.at})
    if source.name < cursor.source:
        return older | Q(**{source.at: cursor.at})
    if source.name > cursor.source:
        return older
    try:
        key = model._meta.pk.to_python(cursor.key)
    except ValidationError:
        raise field_error(
            "cursor", "is not a cursor from this list", code="invalid_cursor"
        ) from None
    return older | Q(**{source.at: cursor.at, "pk__lt": key})


def _entry(source: Source, row: Any) -> AuditEntry:
    actor: User | None = getattr(row, source.by) if source.by else None
    action, target_type, target_id, target, reason = source.describe(row)
    return AuditEntry(
        at=getattr(row, source.at),
        source=source.name,
        key=row.pk,
        kind=source.kind,
        action=action,
        actor_id=None if actor is None else str(actor.id),
        actor=user_label(actor),
        target_type=target_type,
        target_id=target_id,
        target=target,
        reason=reason,
    )


def _batch(
    source: Source, business_id: uuid.UUID, where: AuditFilter, cursor: _Cursor | None, size: int
) -> list[AuditEntry]:
    if where.kind is not None and where.kind != source.kind:
        return []
    rows = source.rows(business_id)
    if where.actor_id is not None:
        if source.by is None:
            return []
        rows = rows.filter(**{f"{source.by}_id": where.actor_id})
    if where.since is not None:
        rows = rows.filter(**{f"{source.at}__gte": _day_start(where.since, "since", where.zone)})
    if where.until is not None:
        _day_start(where.until, "until", where.zone)  # refuses a day out of range
        # The next day's start in the zone, not 24 hours on: a daylight saving day is 23 or 25.
        end = datetime.combine(where.until + timedelta(days=1), time.min, tzinfo=where.zone)
        end = end.astimezone(UTC)
        rows = rows.filter(**{f"{source.at}__lt": end})
    if cursor is not None:
        rows = rows.filter(_after(source, rows.model, cursor))
    rows = rows.filter(**{f"{source.at}__isnull": False}).order_by(f"-{source.at}", "-pk")
    return [_entry(source, row) for row in rows[:size]]


def audit_log_page_for(
    actor: Actor,
    *,
    where: AuditFilter | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> Page[AuditEntry]:
    """One page of the business's audit log, newest first (owners and managers; 403 for
    other roles). ``where`` narrows it; 422 for a bad limit, cursor or day."""
    actor.require(Role.OWNER, Role.MANAGER)
    size = page_limit(limit, default=AUDIT_PAGE)
    where = where or AuditFilter()
    if where.since and where.until and where.since > where.until:
        raise field_error("until", "must not be before since", code="invalid_date")
    after = _decoded(cursor)
    batches = [_batch(s, actor.business_id, where, after, size + 1) for s in SOURCES]
    items, last = merge_newest(batches, size)
    next_cursor = None
    if last is not None:
        next_cursor = cursor_encode([last.at.isoformat(), last.source, str(last.key)])
    return Page(items, next_cursor)


def audit_actors_for(actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """The people who may have acted in the business (its staff and agents), by name: the
    choices of the log page's ``actor`` filter. Owners and managers only."""
    actor.require(Role.OWNER, Role.MANAGER)
    staff = StaffMembership.objects.filter(business_id=actor.business_id).values("user_id")
    agents = Agent.objects.filter(business_id=actor.business_id).values("user_id")
    users = User.objects.filter(Q(id__in=staff) | Q(id__in=agents)).order_by("name", "email")
    return [(user.id, user_label(user)) for user in users]
