"""The routing rows of the reports (PRODUCT.md §7 "every routing decision is recorded", §8
routing impact): one query over the stored outcomes of the window's tickets (``support.models.
TicketOutcome``), a recount of the few whose stored figures are not the ones that stood at the
report's instant, and one query for the rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connections
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber

from refairn.programs.models import Business
from refairn.reporting.domain.inputs import RoutingRow, RuleRef, TrackRow
from refairn.reporting.domain.periods import Period
from refairn.routing.models import RoutingDecision, RoutingRuleSet
from refairn.support.domain.tickets import Party
from refairn.support.models import Ticket, TicketEvent, TicketMessage, TicketOutcome

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


def _counts_sql(
    business: Business, tickets: QuerySet[Ticket], window: Period, as_of: datetime
) -> tuple[str, list[Any]]:
    """The counting query: ``tickets`` (of the window) with their standing decision and rating,
    joined to their event and reply counts at ``as_of`` (each aggregated once per ticket: a
    correlated subquery per ticket and figure is not)."""
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


# The figures of a (rule, routed by certification) group, as ``_COUNTS`` selects them after
# those two: tickets, resolved, escalated, first contact resolved, rating total and count.
Figures = list[int]


def _stored_fresh(window: Period, as_of: datetime) -> Q:
    """A stored outcome holds the figures that stood at ``as_of`` over ``window`` when every
    counted event and reply falls between the window's start and ``as_of`` (the recount's
    bounds) and no decision or rating came after ``as_of``."""
    fresh = Q()
    for earliest, latest in (("events_from", "events_to"), ("replies_from", "replies_to")):
        fresh &= Q(**{f"{earliest}__isnull": True}) | Q(**{f"{earliest}__gte": window.start})
        fresh &= Q(**{f"{latest}__isnull": True}) | Q(**{f"{latest}__lte": as_of})
    for latest in ("decided_at", "rated_at"):
        fresh &= Q(**{f"{latest}__isnull": True}) | Q(**{f"{latest}__lte": as_of})
    return fresh


def _stored_counts(
    business: Business, window: Period, as_of: datetime
) -> tuple[dict[tuple[str | None, bool], Figures], QuerySet[TicketOutcome] | None]:
    """The window's stored outcomes grouped like ``_COUNTS``, and those not fresh at ``as_of``
    (None when all are), whose tickets the caller recounts. One query."""
    outcomes = TicketOutcome.objects.filter(
        business=business,
        created_at__gte=window.start,
        created_at__lt=window.end,
        created_at__lte=as_of,
    ).annotate(fresh=Case(When(_stored_fresh(window, as_of), then=Value(1)), default=Value(0)))
    # Grouped by rule and route only (a handful of groups, hashed), the freshness filtering
    # each figure: grouping by it too made the planner expect a group per ticket and sort.
    fresh, closed = Q(fresh=1), Q(resolves__gt=F("reopens"))
    rows = (
        outcomes.values("rule_name", "by_certification")
        .annotate(
            tickets=Count("pk", filter=fresh),
            resolved=Count("pk", filter=fresh & closed),
            escalated=Count("pk", filter=fresh & Q(escalations__gt=0)),
            first_contact=Count(
                "pk", filter=fresh & closed & Q(reopens=0, escalations=0, replies=1)
            ),
            csat_total=Sum("rating_overall", filter=fresh),
            csat_count=Count("rating_overall", filter=fresh),
            stale=Count("pk", filter=Q(fresh=0)),
        )
        .order_by()
        .values_list(
            "rule_name",
            "by_certification",
            "tickets",
            "resolved",
            "escalated",
            "first_contact",
            "csat_total",
            "csat_count",
            "stale",
        )
    )
    counts: dict[tuple[str | None, bool], Figures] = {}
    stale = False
    for rule, certified, *figures, unfresh in rows:
        stale = stale or unfresh > 0
        if figures[0]:
            _add_figures(counts, (rule, bool(certified)), figures)
    return counts, outcomes.filter(fresh=0) if stale else None


def _add_figures(
    counts: dict[tuple[str | None, bool], Figures],
    key: tuple[str | None, bool],
    figures: Sequence[int | None],
) -> None:
    total = counts.setdefault(key, [0] * len(figures))
    for index, value in enumerate(figures):
        total[index] += int(value or 0)


def routing_rows(
    business: Business, *, window: Period, as_of: datetime, rules: Sequence[RuleRef]
) -> list[RoutingRow]:
    """PRODUCT.md §8: ticket counts per (rule, routed by certification) for the tickets opened
    in ``window``, each with the routing decision that stood at ``as_of`` (a reopened ticket is
    routed again: its latest decision by then counts). A ticket without a decision was routed
    before certification-based routing existed: no rule, not by certification. Figures are
    ``inputs.RoutingRow``'s at ``as_of``; "replies" are the support side's messages (agent or
    staff). Rows come in rule order, rules no longer configured next, tickets no rule matched
    last. One query from the stored outcomes; a second recounts the tickets whose stored
    figures moved after ``as_of`` (a past report), if any."""
    counts, stale = _stored_counts(business, window, as_of)
    if stale is not None:
        # The stale outcomes alone name the tickets (an outcome is its ticket's, of the same
        # window). Filtering the tickets' window as well let PostgreSQL, without statistics
        # (a freshly loaded demo), probe the window's outcomes once per decision and ticket:
        # 3 s for the previous quarter's few hundred tickets on the quarterly report.
        tickets = Ticket.objects.filter(pk__in=stale.values("ticket_id"))
        for rule, certified, *figures in _recounted(business, tickets, window, as_of):
            _add_figures(counts, (rule, bool(certified)), figures)
    return _routing_rows(counts, rules)


def routing_rows_recounted(
    business: Business, *, window: Period, as_of: datetime, rules: Sequence[RuleRef]
) -> list[RoutingRow]:
    """``routing_rows`` counted from the tickets' events, replies, decisions and ratings, not
    from their stored outcomes: what the stored figures must agree with. One query."""
    counts: dict[tuple[str | None, bool], Figures] = {}
    tickets = _window_tickets(business, window, as_of)
    for rule, certified, *figures in _recounted(business, tickets, window, as_of):
        _add_figures(counts, (rule, bool(certified)), figures)
    return _routing_rows(counts, rules)


def _recounted(
    business: Business, tickets: QuerySet[Ticket], window: Period, as_of: datetime
) -> list[tuple[Any, ...]]:
    sql, params = _counts_sql(business, tickets, window, as_of)
    with connections[Ticket.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _routing_rows(
    counts: dict[tuple[str | None, bool], Figures], rules: Sequence[RuleRef]
) -> list[RoutingRow]:
    refs = {rule.name: rule for rule in rules}
    order = {rule.name: index for index, rule in enumerate(rules)}
    result = [
        RoutingRow(
            rule=None if rule is None else refs.get(rule, _removed(rule)),
            by_certification=certified,
            tickets=tickets,
            resolved=resolved,
            escalated=escalated,
            first_contact_resolved=first_contact,
            csat_total=csat_total,
            csat_count=csat_count,
        )
        for (rule, certified), (
            tickets,
            resolved,
            escalated,
            first_contact,
            csat_total,
            csat_count,
        ) in counts.items()
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
