"""The routing rows of the reports (PRODUCT.md §7 "every routing decision is recorded", §8
routing impact): one counting query over the window's tickets, and one for the rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connections
from django.db.models import Case, Count, F, Q, QuerySet, When, Window
from django.db.models.functions import RowNumber

from refairn.programs.models import Business
from refairn.reporting.domain.inputs import RoutingRow, RuleRef, TrackRow
from refairn.reporting.domain.periods import Period
from refairn.routing.models import RoutingDecision, RoutingRuleSet
from refairn.support.domain.tickets import Party
from refairn.support.models import Ticket, TicketEvent, TicketMessage

# What a rule that was removed (or renamed) since it routed a ticket requires: unknown now.
REMOVED_RULE = "a removed rule's"

# Per (rule, route): the figures of ``inputs.RoutingRow``. A ticket is closed at ``as_of`` when
# it has been resolved more often than reopened: the ticket machine (support.domain.tickets)
# alternates resolve and reopen, so that is when its latest status change was a resolution.
# Only Django's compiled SQL is put in; values travel as params.
_CLOSED = "e.resolves > e.reopens"
_COUNTS = (
    "SELECT t.route_rule, t.route_certified, COUNT(*), "  # noqa: S608
    f"SUM(CASE WHEN {_CLOSED} THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN e.escalations > 0 THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN {_CLOSED} AND e.reopens = 0 AND e.escalations = 0 AND r.replies = 1 "
    "THEN 1 ELSE 0 END), "
    "SUM(t.rated_overall), COUNT(t.rated_overall) "
    "FROM (SELECT f.id, f.rated_overall, d.rule_name AS route_rule, "
    "CASE WHEN d.by_certification THEN 1 ELSE 0 END AS route_certified "
    "FROM ({facts}) f LEFT JOIN ({decisions}) d ON d.ticket_id = f.id AND d.latest = 1) t "
    "LEFT JOIN ({events}) e ON e.ticket_id = t.id "
    "LEFT JOIN ({replies}) r ON r.ticket_id = t.id "
    "GROUP BY t.route_rule, t.route_certified"
)


def _requires(rule: dict[str, Any], track_names: dict[str, str]) -> str:
    """A rule's requirement in words: the track's name, or "3+ certifications"."""
    require = rule.get("require") or {}
    if "track_id" in require:
        return track_names.get(str(require["track_id"]), "an unknown track")
    return f"{require.get('min_certifications')}+ certifications"


def rule_refs(business: Business, tracks: Sequence[TrackRow]) -> list[RuleRef]:
    """The business's routing rules in their order, with what each requires. One query."""
    stored = RoutingRuleSet.objects.filter(business=business).values_list("rules", flat=True)
    names = {track.track_id: track.name for track in tracks}
    return [RuleRef(str(rule["name"]), _requires(rule, names)) for rule in stored.first() or []]


def _window_tickets(business: Business, window: Period, as_of: datetime) -> QuerySet[Ticket]:
    return Ticket.objects.filter(
        business=business,
        created_at__gte=window.start,
        created_at__lt=window.end,
        created_at__lte=as_of,
    )


def _counts_sql(business: Business, window: Period, as_of: datetime) -> tuple[str, list[Any]]:
    """The counting query: the window's tickets with their standing decision and rating,
    joined to their event and reply counts at ``as_of`` (each aggregated once per ticket, which
    is what keeps this fast: a correlated subquery per ticket and figure is not)."""
    tickets = _window_tickets(business, window, as_of)
    # The decision that stood for each ticket at ``as_of``: its latest by then (a ticket
    # reopened later is routed again, which must not rewrite a past quarter). Ranked in one
    # pass over the window's decisions: a correlated subquery per ticket and column was not.
    decisions = (
        RoutingDecision.objects.filter(
            business=business, at__lte=as_of, ticket_id__in=tickets.values("id")
        )
        .annotate(
            latest=Window(
                RowNumber(),
                partition_by=[F("ticket_id")],
                order_by=[F("at").desc(), F("id").desc()],
            )
        )
        .order_by()
        .values("ticket_id", "rule_name", "by_certification", "latest")
    )
    facts = (
        tickets.values("id")
        .annotate(
            rated_overall=Case(
                When(rating__created_at__lte=as_of, then=F("rating__overall")), default=None
            ),
        )
        .order_by()
    )
    # A ticket's events and messages come no earlier than the ticket, so those of the window's
    # tickets come after the window's start: bounded by it, each reads its index on (ticket,
    # time) for the business's tickets of the window, never the whole table (issue 17).
    events = (
        TicketEvent.objects.filter(
            ticket__in=tickets.values("id"), at__gte=window.start, at__lte=as_of
        )
        .values("ticket_id")
        .annotate(
            resolves=Count("pk", filter=Q(event="resolve")),
            reopens=Count("pk", filter=Q(event="reopen")),
            escalations=Count("pk", filter=Q(event="escalate")),
        )
        .order_by()
    )
    replies = (
        TicketMessage.objects.filter(
            ticket__in=tickets.values("id"),
            party__in=[Party.AGENT, Party.STAFF],
            # An internal note answers nobody: first-contact resolution counts replies.
            internal=False,
            created_at__gte=window.start,
            created_at__lte=as_of,
        )
        .values("ticket_id")
        .annotate(replies=Count("pk"))
        .order_by()
    )
    parts = [query.query.sql_with_params() for query in (facts, decisions, events, replies)]
    sql = _COUNTS.format(
        facts=parts[0][0], decisions=parts[1][0], events=parts[2][0], replies=parts[3][0]
    )
    return sql, [param for _, params in parts for param in params]


def routing_rows(
    business: Business, *, window: Period, as_of: datetime, rules: Sequence[RuleRef]
) -> list[RoutingRow]:
    """PRODUCT.md §8: ticket counts per (rule, routed by certification) for the tickets opened
    in ``window``, each with the routing decision that stood at ``as_of`` (a reopened ticket is
    routed again: its latest decision by then counts). A ticket without a decision was routed
    before certification-based routing existed: no rule, not by certification. Figures are
    ``inputs.RoutingRow``'s at ``as_of``; "replies" are the support side's messages (agent or
    staff). Rows come in rule order, rules no longer configured next, tickets no rule matched
    last. One query."""
    sql, params = _counts_sql(business, window, as_of)
    with connections[Ticket.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    refs = {rule.name: rule for rule in rules}
    order = {rule.name: index for index, rule in enumerate(rules)}
    result = [
        RoutingRow(
            rule=None if rule is None else refs.get(rule, _removed(rule)),
            by_certification=bool(certified),
            tickets=tickets,
            resolved=int(resolved),
            escalated=int(escalated),
            first_contact_resolved=int(first_contact),
            csat_total=int(rated[0] or 0),
            csat_count=rated[1],
        )
        for rule, certified, tickets, resolved, escalated, first_contact, *rated in rows
    ]
    return sorted(result, key=lambda row: _position(row, order))


def _removed(name: str) -> RuleRef:
    return RuleRef(name, REMOVED_RULE)


def _position(row: RoutingRow, order: dict[str, int]) -> tuple[int, int, str, bool]:
    """Configured rules in their order, then removed ones by name, then no rule; a rule's
    certified row before its fallback row."""
    if row.rule is None:
        return (2, 0, "", False)
    if row.rule.name in order:
        return (0, order[row.rule.name], "", not row.by_certification)
    return (1, 0, row.rule.name.casefold(), not row.by_certification)
