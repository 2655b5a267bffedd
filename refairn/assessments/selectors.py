"""Reads for the question bank, attempts and the review queue (PRODUCT.md §4), scoped to the
caller's business; agents see only their own attempts, and never answers or rubrics."""

from __future__ import annotations

import math
import uuid
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.db.models import Prefetch, QuerySet

from refairn.accounts.models import User
from refairn.assessments import domain
from refairn.assessments.domain.irt import (
    BankArrays,
    CutUnreachable,
    ItemParameters,
    cut_theta,
    total_information,
)
from refairn.assessments.gift import export_gift, gift_from_question
from refairn.assessments.models import Attempt, AttemptQuestion, Question
from refairn.core.errors import Forbidden
from refairn.core.pagination import Page, keyset_window, page_limit
from refairn.core.tenancy import Actor, Role
from refairn.programs.selectors import actor_for_row_of
from refairn.training.domain import AssessmentMode
from refairn.training.models import Track

if TYPE_CHECKING:
    from refairn.assessments.services.adaptive import AdaptiveAnswer

BANK_EDITORS = (Role.OWNER, Role.MANAGER)
GRADERS = (Role.OWNER, Role.MANAGER, Role.REVIEWER)
_REVIEWER_GRADED = [t.value for t in domain.REVIEWER_GRADED]
_FINAL = frozenset({domain.AttemptOutcome.PASSED, domain.AttemptOutcome.FAILED})


def domain_question(question: Question) -> domain.Question:
    """A stored question as the pure domain's value (stored questions were validated by it)."""
    return domain.Question(
        id=str(question.id),
        type=domain.QuestionType(question.type),
        prompt=question.prompt,
        choices=tuple(
            domain.Choice(c["id"], c["text"], c["correct"], c.get("feedback", ""))
            for c in question.choices
        ),
        points=question.points,
        critical=question.critical,
        topic=question.topic,
        module_id=str(question.module_id) if question.module_id else None,
        rubric=question.rubric,
    )


def question_parameters(question: Question) -> ItemParameters | None:
    """The question's 3PL parameters (issue 15), None when it has none."""
    if question.irt_a is None or question.irt_b is None or question.irt_c is None:
        return None
    return ItemParameters(question.irt_a, question.irt_b, question.irt_c)


def shown_question(attempt_id: uuid.UUID, question: domain.Question) -> domain.Question:
    """The question as attempt ``attempt_id`` shows it: each choice under that attempt's
    opaque key, never its authored id (issue 18)."""
    return domain.keyed_choices(
        question, secret=settings.SECRET_KEY.encode(), attempt_id=str(attempt_id)
    )


# --- the question bank ---------------------------------------------------------------------


def question_actor(user: User, question_id: object) -> tuple[Actor, Question]:
    """For ``/questions/{q}``: the caller as an actor in the question's business."""
    actor, key = actor_for_row_of(user, Question, question_id, what="question")
    return actor, Question.objects.get_for(actor, key, what="question")


QUESTION_ORDER = ("created_at", "id")


def _bank_of(actor: Actor, track: Track, *, include_retired: bool) -> QuerySet[Question]:
    """The track's bank with its answers and rubrics: staff who write or grade only."""
    actor.require(*GRADERS)
    qs = Question.objects.for_actor(actor).filter(track=track).prefetch_related("faq_items")
    if not include_retired:
        qs = qs.filter(active=True)
    return qs


def questions_count_for(actor: Actor, track: Track) -> int:
    """The number of active questions of the track's bank (the bank page pages the list)."""
    return _bank_of(actor, track, include_retired=False).count()


def questions_page_for(
    actor: Actor,
    track: Track,
    *,
    include_retired: bool = False,
    limit: int | None,
    cursor: str | None,
    before: str | None = None,
) -> Page[Question]:
    """``GET /tracks/{t}/questions``: the bank, oldest first, a page at a time (``before``:
    the bank page's "previous" link)."""
    return keyset_window(
        _bank_of(actor, track, include_retired=include_retired),
        order=QUESTION_ORDER,
        limit=page_limit(limit),
        cursor=cursor,
        before=before,
    )


def questions_export_for(actor: Actor, track: Track) -> str:
    """PRODUCT.md §4: the track's active bank as Moodle GIFT (title kept; see ``gift``)."""
    actor.require(*BANK_EDITORS)
    questions = Question.objects.for_actor(actor).filter(track=track, active=True)
    return export_gift(
        replace(gift_from_question(domain_question(q)), title=q.title, irt=question_parameters(q))
        for q in questions.order_by("topic", "created_at", "id")
    )


# --- attempts --------------------------------------------------------------------------------


def attempt_get_for(actor: Actor, attempt_id: object, *, lock: bool = False) -> Attempt:
    """Staff see every attempt of the business; anyone else only their own."""
    qs = Attempt.objects.select_related("track")
    if not actor.is_staff:
        qs = qs.filter(agent_id=actor.user_id)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.get_for(actor, attempt_id, what="attempt")


def attempt_actor(user: User, attempt_id: object) -> tuple[Actor, Attempt]:
    """For ``/attempts/{id}``: the caller as an actor in the attempt's business."""
    actor, key = actor_for_row_of(user, Attempt, attempt_id, what="attempt")
    return actor, attempt_get_for(actor, key)


def attempts_overdue(*, now: datetime, **scope: object) -> list[uuid.UUID]:
    """Open attempts past their deadline, oldest deadline first; ``scope`` narrows them (a
    business, an agent)."""
    return list(
        Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lt=now, **scope)
        .order_by("deadline")
        .values_list("id", flat=True)
    )


def attempt_opening(attempt: Attempt, questions: list[domain.Question]) -> dict[str, Any]:
    """POST /tracks/{t}/attempts: the drawn questions as the agent may see them."""
    return {
        "id": attempt.id,
        "track_id": attempt.track_id,
        "number": attempt.number,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "adaptive": attempt.adaptive_state is not None,
        "questions": [domain.agent_view(shown_question(attempt.id, q)) for q in questions],
    }


def adaptive_answer_view(answer: AdaptiveAnswer) -> dict[str, Any]:
    """PUT /attempts/{id}/answers/{q} on an adaptive attempt: the next question as the agent
    may see it, never its parameters."""
    item, following = answer.item, answer.next_question
    return {
        **answer_view(item),
        "next_question": (
            None
            if following is None
            else domain.agent_view(shown_question(item.attempt_id, following))
        ),
        "finished": answer.finished,
    }


def attempt_items(attempt: Attempt) -> list[AttemptQuestion]:
    return list(attempt.items.select_related("question"))


def attempt_status(attempt: Attempt) -> str:
    """``in_progress`` while open, then the attempt's outcome (failed, awaiting_manual_review,
    passed)."""
    return attempt.state if attempt.state == Attempt.State.IN_PROGRESS else attempt.outcome


def attempt_is_final(attempt: Attempt) -> bool:
    """The agent sees the score and per-question results once the outcome is decided."""
    return attempt.outcome in _FINAL


def _shown_choices(
    item: AttemptQuestion, question: domain.Question, shown: domain.Question
) -> list[domain.Choice]:
    """The choices in the order the attempt shows them, under their shown ids."""
    if question.type is not domain.QuestionType.MULTIPLE_CHOICE:
        return []
    by_id = dict(zip((c.id for c in question.choices), shown.choices, strict=True))
    return [by_id[cid] for cid in item.choice_order]


def _shown_ids(item: AttemptQuestion, question: domain.Question) -> list[str] | None:
    """The agent's saved choices under the ids the attempt shows (stored as authored ids)."""
    if item.answer_choice_ids is None:
        return None
    shown = domain.authored_ids(question, shown_question(item.attempt_id, question))
    key_of = {authored: key for key, authored in shown.items()}
    return sorted(key_of[cid] for cid in item.answer_choice_ids)


def answer_view(item: AttemptQuestion) -> dict[str, Any]:
    """``PUT /attempts/{id}/answers/{q}``: the answer as saved, under the ids shown."""
    return {
        "question_id": item.question_id,
        "choice_ids": _shown_ids(item, domain_question(item.question)),
        "text": item.answer_text,
        "answered_at": item.answered_at,
    }


def _feedback(item: AttemptQuestion, question: domain.Question) -> str:
    """A reviewer's feedback, or for multiple choice the authored feedback of the picks."""
    if question.type is not domain.QuestionType.MULTIPLE_CHOICE:
        return item.feedback
    picked = set(item.answer_choice_ids or [])
    return "\n".join(c.feedback for c in question.choices if c.id in picked and c.feedback)


def _item_view(item: AttemptQuestion, *, staff: bool, final: bool) -> dict[str, Any]:
    question = domain_question(item.question)
    choices = _shown_choices(item, question, shown_question(item.attempt_id, question))
    graded = item.points_awarded is not None
    row: dict[str, Any] = {
        "id": item.question_id,
        "position": item.position,
        "type": question.type.value,
        "prompt": question.prompt,
        "choices": [{"id": c.id, "text": c.text} for c in choices],
        # One correct choice: the page asks for one answer (radio buttons, issue 12 item 8).
        "single_answer": question.type is domain.QuestionType.MULTIPLE_CHOICE
        and sum(c.correct for c in question.choices) == 1,
        "choice_ids": _shown_ids(item, question),
        "text": item.answer_text,
        "answered_at": item.answered_at,
        "max_points": item.max_points,
        "points": item.points_awarded if final or staff else None,
        "feedback": _feedback(item, question) if final or staff else None,
        "answered_correctly": (
            item.points_awarded == item.max_points if graded and (final or staff) else None
        ),
    }
    if staff:
        row["choices"] = [
            {"id": c.id, "text": c.text, "correct": c.correct, "feedback": c.feedback}
            for c in choices
        ]
        row |= {
            "critical": item.critical,
            "rubric": question.rubric,
            "accepted_answers": (
                [c.text for c in question.choices]
                if question.type is domain.QuestionType.SHORT_ANSWER
                else []
            ),
            "suggested_points": item.suggested_points,
            "matched_keywords": item.matched_keywords,
            "graded_by": item.graded_by_id,
            "graded_at": item.graded_at,
        }
    return row


def reads_answers(actor: Actor) -> bool:
    """Correct choices, rubrics and open attempts are for those who write or grade the bank;
    the security role is not one of them (issue 18)."""
    return actor.has(*GRADERS)


def attempt_view(actor: Actor, attempt: Attempt) -> dict[str, Any]:
    """GET /attempts/{id}: graders see everything; the agent sees their questions and answers,
    and the score and per-question results only once the outcome is final (PRODUCT.md §4:
    never correct flags, choice feedback before the end, or rubrics). Other staff (security)
    see a handed-in attempt without its per-question results, and no attempt in progress."""
    staff = reads_answers(actor)
    own = attempt.agent_id == actor.user_id
    if not (staff or own or attempt.state != Attempt.State.IN_PROGRESS):
        raise Forbidden("An attempt in progress is for its agent and the graders only.")
    final = attempt_is_final(attempt)
    view: dict[str, Any] = {
        "id": attempt.id,
        "track_id": attempt.track_id,
        "agent_id": attempt.agent_id,
        "number": attempt.number,
        "status": attempt_status(attempt),
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "auto_submitted": attempt.auto_submitted,
        "score": attempt.score if final or staff else None,
        "passed": attempt.passed,
        "questions": [
            _item_view(item, staff=staff, final=final and own) for item in attempt_items(attempt)
        ],
    }
    if staff:
        view |= {
            "state": attempt.state,
            "earned_points": attempt.earned_points,
            "total_points": attempt.total_points,
            "pending_points": attempt.pending_points,
            "critical_missed": attempt.critical_missed,
            "needs_review": attempt.needs_review,
            "graded_by": attempt.graded_by_id,
            "graded_at": attempt.graded_at,
        }
    return view


# --- the review queue ------------------------------------------------------------------------


REVIEW_ORDER = ("submitted_at", "id")


def _review_queue(actor: Actor) -> QuerySet[Attempt]:
    """PRODUCT.md §4–5: handed-in attempts whose outcome awaits a reviewer (questions to grade,
    or the pass/fail decision). An attempt whose fail was decided at submission is not waiting
    on anyone: its remaining questions may still be graded (``POST /attempts/{id}/grade``) but
    it is not queued (issue 11 item 8)."""
    actor.require(*GRADERS)
    to_grade = (
        AttemptQuestion.objects.filter(
            question__type__in=_REVIEWER_GRADED, points_awarded__isnull=True
        )
        .select_related("question")
        .order_by("position")
    )
    return (
        Attempt.objects.for_actor(actor)
        .filter(outcome=domain.AttemptOutcome.AWAITING_MANUAL_REVIEW)
        # Handed in, so the keyset order's instant is present.
        .filter(submitted_at__isnull=False)
        .prefetch_related(Prefetch("items", queryset=to_grade))
    )


def reviews_list_for(actor: Actor) -> list[dict[str, Any]]:
    """The review queue, oldest first, in two queries."""
    return _review_rows(list(_review_queue(actor).order_by(*REVIEW_ORDER)))


def reviews_waiting_count(actor: Actor) -> int:
    """How many attempts wait on a grader (the work queue's count, issue 12 item 3)."""
    return _review_queue(actor).count()


def reviews_page_for(
    actor: Actor, *, limit: int | None, cursor: str | None, before: str | None = None
) -> Page[dict[str, Any]]:
    """``GET /businesses/{b}/reviews``: a page of the review queue, oldest first (``before``:
    the queue page's "previous" link)."""
    page = keyset_window(
        _review_queue(actor),
        order=REVIEW_ORDER,
        limit=page_limit(limit),
        cursor=cursor,
        before=before,
    )
    return page.map(_review_rows)


def _review_rows(attempts: list[Attempt]) -> list[dict[str, Any]]:
    return [
        {
            "attempt_id": attempt.id,
            "agent_id": attempt.agent_id,
            "track_id": attempt.track_id,
            "submitted_at": attempt.submitted_at,
            "status": attempt.outcome,
            "auto_submitted": attempt.auto_submitted,
            "questions_to_grade": [_to_grade(item) for item in attempt.items.all()],
        }
        for attempt in attempts
    ]


def _to_grade(item: AttemptQuestion) -> dict[str, Any]:
    question = item.question
    simulation = question.type == domain.QuestionType.SIMULATION
    return {
        "question_id": item.question_id,
        "type": question.type,
        "prompt": question.prompt,
        "answer_text": item.answer_text,
        "points": item.max_points,
        # PRODUCT.md §4: a simulation is scored 0-100, scaled to its points on grading.
        "grade_max": 100 if simulation else item.max_points,
        "critical": item.critical,
        "rubric": question.rubric,
        "accepted_answers": (
            [c["text"] for c in question.choices]
            if question.type == domain.QuestionType.SHORT_ANSWER
            else []
        ),
        "suggested_points": item.suggested_points,
        "matched_keywords": item.matched_keywords,
    }


# --- the adaptive bank ----------------------------------------------------------------------

# The information curve spans the cut ± this many ability units, in CURVE_STEP steps.
CURVE_SPAN, CURVE_STEP = 3.0, 0.1
# The table under the chart lists every CURVE_TABLE_EVERY-th point.
CURVE_TABLE_EVERY = 5


def bank_information_curve(track: Track) -> dict[str, Any] | None:
    """Issue 15 item 5: the adaptive bank's test information around the cut (active,
    calibrated multiple-choice questions), with the standard error it allows, 1/√I. None for a
    fixed track, or a bank without parameters or cut."""
    if track.assessment_mode != AssessmentMode.ADAPTIVE:
        return None
    questions = Question.objects.filter(
        track=track,
        active=True,
        type=domain.QuestionType.MULTIPLE_CHOICE,
        irt_a__isnull=False,
    )
    items = {str(q.id): p for q in questions if (p := question_parameters(q)) is not None}
    if not items:
        return None
    bank = BankArrays.of(items)
    try:
        cut = cut_theta(bank, float(track.passing_score))
    except CutUnreachable:
        return None
    steps = round(2 * CURVE_SPAN / CURVE_STEP)
    thetas = [round(cut - CURVE_SPAN + n * CURVE_STEP, 3) for n in range(steps + 1)]
    info = [round(float(i), 3) for i in total_information(np.array(thetas), bank)]
    return {
        "cut": round(cut, 3),
        "items": len(items),
        "theta": thetas,
        "information": info,
        "table": [
            {"theta": t, "information": i, "se": round(1 / math.sqrt(i), 3) if i > 0 else None}
            for t, i in list(zip(thetas, info, strict=True))[::CURVE_TABLE_EVERY]
        ],
    }
