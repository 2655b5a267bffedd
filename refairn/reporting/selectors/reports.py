"""The reports a business's staff read (PRODUCT.md §8; API.md "Reports"): the certification
dashboard, the quarterly report and the assessment analytics, each built from a fixed number
of aggregate queries (issue 6: no per-agent or per-ticket query loops)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from refairn.core import clock
from refairn.core.errors import field_error
from refairn.core.instants import bounded_instant
from refairn.core.tenancy import Actor
from refairn.programs.models import Business
from refairn.reporting.domain.analytics import build_analytics
from refairn.reporting.domain.dashboard import (
    DIFFICULT_LIMIT,
    DIFFICULT_MIN_ANSWERED,
    Dashboard,
    build_dashboard,
)
from refairn.reporting.domain.inputs import (
    CostInputs,
    QuestionStatRow,
    TrackRow,
    TrackScoreRow,
)
from refairn.reporting.domain.periods import (
    Period,
    parse_quarter,
    previous_quarter,
    quarter_name,
    quarter_of,
    trailing_window,
)
from refairn.reporting.domain.quarterly import QuarterlyReport, build_quarterly
from refairn.reporting.domain.question_counts import QuestionCounts
from refairn.reporting.selectors.assessments import (
    QuestionInfo,
    TrackAttempts,
    question_answers,
    question_counts,
    questions_of,
    track_attempts,
)
from refairn.reporting.selectors.certifications import agent_rows, track_rows
from refairn.reporting.selectors.routing import routing_rows, rule_refs
from refairn.reporting.settings_section import report_settings

# Reports start here: earlier instants are typing mistakes, and 90-day windows before year 1
# are not representable.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# A question's label in the reports: its title, else its prompt on one line, this long at most.
LABEL_LENGTH = 100


def report_as_of(as_of: datetime | None) -> datetime:
    """API.md ``?as_of=``: now by default; else an instant with a UTC offset in the accepted
    range (``core.instants``), not in the future (a report describes what was recorded) and not
    before 2000. 422 ``invalid_as_of``."""
    now = clock.now()
    if as_of is None:
        return now
    try:
        as_of = bounded_instant(as_of)
    except ValueError as exc:
        raise field_error("as_of", str(exc), code="invalid_as_of") from None
    if as_of > now:
        raise field_error("as_of", "cannot be in the future", code="invalid_as_of")
    if as_of < EARLIEST:
        raise field_error("as_of", "must be in 2000 or later", code="invalid_as_of")
    return as_of


def report_quarter(quarter: str | None) -> str:
    """API.md ``?quarter=2026-Q4``: the current quarter by default; a quarter that has started,
    from 2000 on. 422 ``invalid_quarter``."""
    now = clock.now()
    if quarter is None:
        return quarter_name(quarter_of(now))
    try:
        period = parse_quarter(quarter)
    except ValueError:
        raise field_error("quarter", "must look like 2026-Q4", code="invalid_quarter") from None
    if period.start > now:
        raise field_error("quarter", "has not started yet", code="invalid_quarter")
    if period.start < EARLIEST:
        raise field_error("quarter", "must be in 2000 or later", code="invalid_quarter")
    return quarter


def _question_label(info: QuestionInfo) -> str:
    text = " ".join((info.title or info.prompt).split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def question_stat_rows(
    counts: Mapping[uuid.UUID, QuestionCounts],
    questions: Sequence[QuestionInfo],
    tracks: Sequence[TrackRow],
) -> list[QuestionStatRow]:
    """The questions answered at least once, with their figures, in ``questions``' order."""
    known = {track.track_id for track in tracks}
    rows = []
    for info in questions:
        found = counts.get(info.question_id)
        if found is None or found.percent_correct is None or str(info.track_id) not in known:
            continue
        rows.append(
            QuestionStatRow(
                question_id=str(info.question_id),
                track_id=str(info.track_id),
                topic=info.topic,
                prompt=_question_label(info),
                answered=found.answered,
                percent_correct=found.percent_correct,
                discrimination=found.discrimination,
            )
        )
    return rows


def track_score_rows(attempts: Mapping[uuid.UUID, TrackAttempts]) -> list[TrackScoreRow]:
    return [
        TrackScoreRow(str(track_id), row.average_passing_score)
        for track_id, row in attempts.items()
    ]


def _dashboard_questions(
    business: Business, as_of: datetime, tracks: Sequence[TrackRow]
) -> list[QuestionStatRow]:
    """The answered questions with their figures; discrimination only for those the dashboard
    lists as most difficult (``analytics.build_analytics`` picks them from the counts alone),
    since ranking every attempt per question is the costly part. Three queries."""
    questions = questions_of(business)
    answers = question_answers(business, as_of=as_of)
    listed = build_analytics(
        tracks=tracks,
        question_stats=question_stat_rows(answers, questions, tracks),
        track_scores=(),
        limit=DIFFICULT_LIMIT,
        min_answered=DIFFICULT_MIN_ANSWERED,
    ).difficult_questions
    ranked = question_counts(
        business, as_of=as_of, question_ids=[uuid.UUID(q.question_id) for q in listed]
    )
    return question_stat_rows({**answers, **ranked}, questions, tracks)


def dashboard_build(
    business: Business,
    *,
    as_of: datetime,
    routing_window: Period | None = None,
    with_costs: bool = True,
) -> Dashboard:
    """PRODUCT.md §8: the certification dashboard of ``business`` as of ``as_of``; routing
    figures cover ``routing_window`` (the 90 days before ``as_of`` by default). Ten queries,
    whatever the number of agents, tickets or attempts. For callers that already decided the
    business may be read (the API's selectors below, the operator's command line), and whether
    the business's cost figures may be (``with_costs``: left unknown when not)."""
    settings = report_settings(business)
    tracks = track_rows(business)
    window = routing_window or trailing_window(as_of)
    return build_dashboard(
        as_of=as_of,
        business_name=business.name,
        tracks=tracks,
        agents=agent_rows(business, as_of=as_of, tracks=tracks),
        routing=routing_rows(
            business, window=window, as_of=as_of, rules=rule_refs(business, tracks)
        ),
        routing_window=window,
        question_stats=_dashboard_questions(business, as_of, tracks),
        track_scores=track_score_rows(track_attempts(business, as_of=as_of)),
        costs=CostInputs(
            annual_cost=settings.report.annual_cost if with_costs else None,
            revenue_impact=settings.report.revenue_impact if with_costs else None,
            currency=business.currency,
        ),
    )


def quarterly_report_build(
    business: Business, *, quarter: str, with_costs: bool = True
) -> QuarterlyReport:
    """PRODUCT.md §8: the quarterly report, comparing with the previous quarter (none when the
    business did not exist before the previous quarter ended).

    Both dashboards are taken at their quarter's end with the quarter as routing window
    (``reporting.domain.quarterly``). A quarter still running is reported as of now, so it
    agrees with the dashboard: the renewals it still needs are the dashboard's to show."""
    period = parse_quarter(quarter)
    before = previous_quarter(period)
    previous = None
    if business.created_at < before.end:
        previous = dashboard_build(
            business, as_of=before.end, routing_window=before, with_costs=with_costs
        )
    as_of = min(period.end, clock.now())
    current = dashboard_build(business, as_of=as_of, routing_window=period, with_costs=with_costs)
    return build_quarterly(quarter=quarter, current=current, previous=previous)


def staff_business(actor: Actor) -> Business:
    """The actor's business, for its staff only (403 for agents and customers)."""
    actor.require_staff()
    return Business.objects.get(pk=actor.business_id)


def dashboard_get_for(actor: Actor, *, as_of: datetime | None = None) -> Dashboard:
    """API.md: the certification dashboard, for the business's staff (403 otherwise); the
    program's cost and revenue impact only for its owners and managers (issue 18 item 6)."""
    business = staff_business(actor)
    return dashboard_build(business, as_of=report_as_of(as_of), with_costs=actor.is_admin)


def quarterly_report_get_for(actor: Actor, *, quarter: str | None = None) -> QuarterlyReport:
    """API.md: the quarterly report (``?quarter=``, the current one by default), for staff;
    the costs as on the dashboard."""
    business = staff_business(actor)
    return quarterly_report_build(
        business, quarter=report_quarter(quarter), with_costs=actor.is_admin
    )
