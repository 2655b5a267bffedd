"""The dashboard as plain text in the third seed's layout (PRODUCT.md §8; API.md
``Accept: text/plain``). Section names, their order and the table columns are the seed's; figure
formats are ``text_layout``'s. The agent matrix shows its first ``matrix_rows`` agents (most
certified first) and then "... (K more agents)"; JSON and CSV list every agent.
"""

from __future__ import annotations

from collections.abc import Sequence

from refairn.certification.domain.levels import Level
from refairn.certification.domain.standing import Standing
from refairn.reporting.domain.dashboard import Dashboard
from refairn.reporting.domain.overview import CompletionStatus, TrackCompletion
from refairn.reporting.domain.recognition import FirstCertification, Recognition
from refairn.reporting.domain.renewals import Priority, RenewalTracking, TrackRenewals
from refairn.reporting.domain.routing_impact import RouteStats, RoutingImpact
from refairn.reporting.domain.text_layout import (
    MISSING,
    count,
    money,
    month_title,
    percent,
    period_text,
    plural,
    rating,
    share,
    table,
    title,
    utc_minute,
    whole_percent,
)

MATRIX_ROWS = 10
_NAMES_SHOWN = 5
LEVEL_LABELS = {
    Level.MASTER: "🌟 Master",
    Level.STRONG: "Strong",
    Level.DEVELOPING: "Developing",
    Level.NEEDS_ATTENTION: "Needs Attention",
}


def completion_status_text(row: TrackCompletion) -> str:
    """The completion table's Status column (``overview`` module docs)."""
    return {
        CompletionStatus.MET: "✓",
        CompletionStatus.ABOVE_TARGET: "✓ Above target",
        CompletionStatus.PENDING: f"⚠ {row.missing_agents} pending",
        CompletionStatus.BELOW_TARGET: "⚠ Below target",
        CompletionStatus.NOT_APPLICABLE: MISSING,
    }[row.status]


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_NAMES_SHOWN])
    hidden = len(names) - _NAMES_SHOWN
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def _overview(d: Dashboard) -> list[str]:
    o = d.overview
    new_hires = o.new_hires_not_yet_certified
    not_yet = f"  Not yet certified: {o.not_yet_certified.part} ({share(o.not_yet_certified)})"
    if new_hires and new_hires == o.not_yet_certified.part:
        not_yet += f" — new hires (<{d.new_hire_days} days)"
    elif new_hires:
        not_yet += f" — {plural(new_hires, 'new hire')} (<{d.new_hire_days} days)"
    flagged = plural(o.agents_flagged_for_renewal, "agent")
    return [
        "CERTIFICATION OVERVIEW:",
        f"  Total active agents: {count(o.active_agents)}",
        f"  Fully certified (all required): {o.fully_certified.part} ({share(o.fully_certified)})",
        f"  Partially certified: {o.partially_certified.part} ({share(o.partially_certified)})",
        not_yet,
        "",
        f"  Total certifications earned: {count(o.certifications_held)} (currently held)",
        f"  Certifications expiring in 30 days: {count(o.expiring_within_30_days)}",
        f"  Certifications expired: {count(o.expired)} ({flagged} flagged for renewal)",
    ]


def _completion(d: Dashboard) -> list[str]:
    rows = [
        [
            row.name,
            count(row.completed.part),
            share(row.completed),
            percent(row.target_percent),
            completion_status_text(row),
        ]
        for row in d.completion
    ]
    headers = ["Track", "Completed", "Rate", "Target", "Status"]
    return ["CERTIFICATION COMPLETION BY TRACK:", *table(headers, rows)]


def _matrix(d: Dashboard, limit: int) -> list[str]:
    headers = ["Agent", *(track.label for track in d.tracks), "Total", "Status"]
    rows = [
        [
            row.name,
            *(
                "✅" if row.standings[track.track_id] is Standing.CERTIFIED else "❌"
                for track in d.tracks
            ),
            f"{row.certified}/{row.track_count}",
            LEVEL_LABELS[row.level],
        ]
        for row in d.matrix[:limit]
    ]
    lines = ["AGENT CERTIFICATION STATUS:", *table(headers, rows)]
    hidden = len(d.matrix) - limit
    if hidden > 0:
        lines.append(f"  ... ({plural(hidden, 'more agent')})")
    return lines


def _versus(certified: str, non_certified: str) -> str:
    return f"{certified} (vs {non_certified} non-certified)"


def _rule_line(certified: RouteStats, fallback: RouteStats) -> str:
    fcr = f"{share(certified.first_contact, 0)} FCR"
    if fallback.tickets == 0:
        return f"{fcr} (no non-certified tickets)"
    return _versus(fcr, share(fallback.first_contact, 0))


def _routing(r: RoutingImpact) -> list[str]:
    c, n = r.certified, r.non_certified
    lines = [
        "CERTIFICATION-BASED ROUTING IMPACT:",
        f"  Tickets routed: {count(r.tickets)} ({period_text(r.window)})",
    ]
    if not r.tickets:
        return lines
    lines += [
        f"  Tickets routed by certification: {share(r.by_certification, 0)} of all tickets",
        "  Certified agent resolution rate: "
        + _versus(share(c.resolution, 0), share(n.resolution, 0)),
        f"  Certified agent CSAT: {_versus(rating(c.csat), rating(n.csat))}",
        "  Escalation rate for certified agents: "
        + _versus(share(c.escalation), share(n.escalation)),
        "  First-contact resolution for certified agents: "
        + _versus(share(c.first_contact, 0), share(n.first_contact, 0)),
    ]
    if r.rules:
        lines += ["", "  CERTIFICATION ROUTING EFFECTIVENESS:"]
        lines += [
            f"    {impact.rule.name} → {impact.rule.requires} agents: "
            + _rule_line(impact.certified, impact.fallback)
            for impact in r.rules
        ]
    return lines


def _priority_line(row: TrackRenewals) -> str:
    parts = []
    if row.overdue:
        parts.append(f"{plural(row.overdue, 'agent')} overdue")
    if row.due_within_30_days:
        due = row.due_within_30_days
        parts.append(f"{due if parts else plural(due, 'agent')} due within 30 days")
    detail = ", ".join(parts)
    if row.priority is Priority.HIGH:
        detail += " — access restricted until renewed"
    elif row.priority is Priority.LOW:
        detail += f" — {row.requirement.value}, flexible timeline"
    label = row.priority.value.upper() if row.priority else ""
    return f"    {label}: {row.name} ({detail})"


def _renewals(r: RenewalTracking) -> list[str]:
    overdue = f"{plural(r.overdue_agents, 'agent')} flagged ⚠" if r.overdue_agents else "none"
    lines = [
        "RENEWAL TRACKING:",
        f"  Certifications expiring this quarter: {count(r.expiring_this_quarter)}",
        f"  Completed renewals: {r.completed.part} ({share(r.completed)})",
        f"  Pending renewals: {r.pending.part} ({share(r.pending)})",
        f"  Overdue: {overdue}",
        "",
        "  Renewal priority:",
    ]
    lines += [_priority_line(row) for row in r.priorities] or ["    none"]
    return lines


def _analytics(d: Dashboard) -> list[str]:
    a = d.analytics
    lines = ["ASSESSMENT ANALYTICS:", "  Average passing score by track:"]
    lines += [f"    {s.name}: {percent(s.average_passing_score)}" for s in a.track_scores]
    lines += ["", f"  Most difficult questions (pass rate <{percent(a.below_percent)}):"]
    lines += [
        f"    {rank}. {q.prompt} ({q.track_name}) — {whole_percent(q.percent_correct)} pass"
        for rank, q in enumerate(a.difficult_questions, start=1)
    ] or ["    none"]
    topics = a.training_gap_topics
    if topics:
        lines += [
            "",
            f"  TRAINING GAP: Create supplemental training for the top {len(topics)} "
            f"difficult {'topic' if len(topics) == 1 else 'topics'}: {', '.join(topics)}",
        ]
    return lines


def _first_certifications(firsts: Sequence[FirstCertification]) -> str:
    if not firsts:
        return "0"
    tracks = ", ".join(sorted({name for first in firsts for name in first.track_names}))
    if all(first.new_hire for first in firsts):
        # The seed's "2 (new hires, Product Fundamentals)".
        who = "new hires" if len(firsts) > 1 else "new hire"
        return f"{len(firsts)} ({who}, {tracks})" if tracks else f"{len(firsts)} ({who})"
    who = _names([first.name for first in firsts])
    return f"{len(firsts)} ({who} — {tracks})" if tracks else f"{len(firsts)} ({who})"


def _recognition(r: Recognition, track_count: int) -> list[str]:
    top = r.top_agent
    top_text = MISSING
    if top is not None:
        top_text = f"{top.name} ({top.certified}/{top.track_count} certifications"
        if top.renewed_early and top.renewed_early == top.certified:
            top_text += ", all renewed early"
        elif top.renewed_early:
            top_text += f", {top.renewed_early} renewed early"
        top_text += ")"
    masters = f"{len(r.masters)}"
    if r.masters:
        masters += f" ({_names([m.name for m in r.masters])})"
    return [
        "RECOGNITION:",
        f'  "Top Certified Agent" this month: {top_text}',
        f"  New certifications this month: {count(r.new_certifications)}",
        f'  Agents achieving "Master" status ({track_count}/{track_count}): {masters}',
        f"  Agents achieving first certification: {_first_certifications(r.first_certifications)}",
    ]


def _costs(d: Dashboard) -> list[str]:
    c = d.costs
    impact = MISSING
    if c.revenue_impact is not None:
        sign = "+" if c.revenue_impact >= 0 else ""
        impact = f"{sign}{money(c.revenue_impact, c.currency)}/year"
    return [
        "COST ANALYSIS:",
        f"  Certification program annual cost: {money(c.annual_cost, c.currency)}",
        f"  Revenue impact from certified routing: {impact}",
        f"  Certification ROI: {percent(c.roi_percent)}",
    ]


def render_dashboard_text(d: Dashboard, *, matrix_rows: int = MATRIX_ROWS) -> str:
    """PRODUCT.md §8: the dashboard in the third seed's plain-text layout (module docs)."""
    if matrix_rows < 0:
        raise ValueError(f"matrix_rows cannot be negative, got {matrix_rows}")
    blocks = [
        [
            *title(f"AGENT CERTIFICATION DASHBOARD — {month_title(d.month)}"),
            f"{d.business_name} — as of {utc_minute(d.as_of)}",
        ],
        _overview(d),
        _completion(d),
        _matrix(d, matrix_rows),
        _routing(d.routing),
        _renewals(d.renewals),
        _analytics(d),
        _recognition(d.recognition, len(d.tracks)),
        _costs(d),
    ]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
