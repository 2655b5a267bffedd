"""The agent's assessment pages (PRODUCT.md §4): start an attempt, answer under a countdown that
follows the server's deadline, hand it in, read the result. Thin: the same services and
selectors as ``POST /tracks/{t}/attempts``, ``PUT /attempts/{id}/answers/{q}``,
``POST /attempts/{id}/submit`` and ``GET /attempts/{id}``. The staff's review pages are
``review_views``."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from refairn.assessments import selectors as exam
from refairn.assessments import services as engine
from refairn.assessments.models import Attempt
from refairn.certification import selectors, services
from refairn.certification.domain import Status
from refairn.certification.schemas import status_meaning
from refairn.certification.views import STATUS_LABELS
from refairn.core import clock
from refairn.core.errors import Conflict, DomainError, InvalidInput, NotFound
from refairn.core.tenancy import Actor, Role
from refairn.programs.edge import page_actor
from refairn.programs.selectors import business_get_for
from refairn.training.selectors import track_get_for

ATTEMPT_STATUS_LABELS: dict[str, str] = {
    "in_progress": "In progress",
    "failed": "Failed",
    "awaiting_manual_review": "Awaiting manual review",
    "passed": "Passed",
}

QUESTION_TYPE_LABELS: dict[str, str] = {
    "multiple_choice": "Multiple choice",
    "short_answer": "Short answer",
    "scenario": "Scenario",
    "practical": "Practical exercise",
    "simulation": "Simulation",
}


def _agent(request: HttpRequest, business_id: str) -> Actor:
    """The caller as the agent taking assessments: these pages show the agent's view (never
    answers or rubrics), even to an agent who is also staff of the business."""
    actor = page_actor(request, business_id)
    actor.require(Role.AGENT)
    return dataclasses.replace(actor, roles=frozenset({Role.AGENT}))


def _own_attempt(actor: Actor, attempt_id: str) -> Attempt:
    """The agent's attempt, handed in already if its deadline has passed (issue 11 item 4)."""
    return services.attempt_settle(exam.attempt_get_for(actor, attempt_id))


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_POST
def start(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """The certification page's "Take assessment": start, then answer on the attempt's page. A
    refusal (training incomplete, retry period...) goes back with the server's reason."""
    actor = _agent(request, business_id)
    track = track_get_for(actor, track_id)
    try:
        attempt, _ = services.attempt_start(actor=actor, track=track)
    except DomainError as exc:
        if exc.code == "attempt_in_progress" and exc.extra.get("attempt_id"):
            return redirect("certification:take", actor.business_id, exc.extra["attempt_id"])
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.detail)
        return redirect("certification:agent", business_id=actor.business_id)
    return redirect("certification:take", actor.business_id, attempt.id)


def _remaining(attempt: Attempt, now: Any) -> str:
    seconds = max(0, int((attempt.deadline - now).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@login_required
def take(request: HttpRequest, business_id: str, attempt_id: str) -> HttpResponse:
    """Every question on one page; answers are saved one by one while the countdown runs."""
    actor = _agent(request, business_id)
    attempt = _own_attempt(actor, attempt_id)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("certification:result", actor.business_id, attempt.id)
    now = clock.now()
    if attempt.adaptive_state is not None:
        return _take_adaptive(request, actor, attempt, now)
    view = selectors.attempt_view_for(actor, attempt)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "attempt": attempt,
        "track": attempt.track,
        "questions": [
            {**q, "type_label": QUESTION_TYPE_LABELS[q["type"]]} for q in view["questions"]
        ],
        "now": now,
        "open": now <= attempt.deadline,
        "remaining": _remaining(attempt, now),
    }
    return render(request, "certification/take.html", context)


def _take_adaptive(request: HttpRequest, actor: Actor, attempt: Attempt, now: Any) -> HttpResponse:
    """Issue 15: one question at a time; answering it brings the next, until the test has
    what it needs."""
    current = engine.adaptive_current(attempt)
    question = None
    if current is not None:
        view = selectors.attempt_view_for(actor, attempt)
        shown = next(q for q in view["questions"] if q["id"] == current.question_id)
        question = {**shown, "type_label": QUESTION_TYPE_LABELS[shown["type"]]}
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "attempt": attempt,
        "track": attempt.track,
        "question": question,
        "answered": attempt.items.filter(answered_at__isnull=False).count(),
        "now": now,
        "open": now <= attempt.deadline,
        "remaining": _remaining(attempt, now),
    }
    return render(request, "certification/take_adaptive.html", context)


def _answer_adaptive(
    request: HttpRequest, actor: Actor, attempt: Attempt, question_id: str
) -> HttpResponse:
    try:
        engine.adaptive_attempt_answer(
            actor=actor,
            attempt=attempt,
            question_id=question_id,
            choice_ids=request.POST.getlist("choice_ids"),
        )
    except (Conflict, InvalidInput) as exc:
        messages.error(
            request,
            "Time is over: this answer was not saved."
            if exc.code == "attempt_closed"
            else exc.detail,
        )
    return redirect("certification:take", actor.business_id, attempt.id)


def _save_status(
    request: HttpRequest, question_id: str, *, saved_at: Any = None, error: str = "", status: int
) -> HttpResponse:
    response = render(
        request,
        "certification/_save_status.html",
        {"question_id": question_id, "saved_at": saved_at, "error": error},
        status=status,
    )
    if status == 409:
        # The countdown script shows the time-over state at once, whatever this device's clock.
        response["HX-Trigger"] = "attempt-closed"
    return response


@login_required
@require_POST
def answer(
    request: HttpRequest, business_id: str, attempt_id: str, question_id: str
) -> HttpResponse:
    """Save one answer: the choices ticked, or the text written (``PUT /attempts/{id}/answers/
    {q}``). After the deadline the server refuses it (409)."""
    actor = _agent(request, business_id)
    attempt = _own_attempt(actor, attempt_id)
    if attempt.adaptive_state is not None:
        return _answer_adaptive(request, actor, attempt, question_id)
    text = request.POST.get("text")
    choice_ids = None if text is not None else request.POST.getlist("choice_ids")
    try:
        item = engine.attempt_answer(
            actor=actor, attempt=attempt, question_id=question_id, choice_ids=choice_ids, text=text
        )
    except (Conflict, InvalidInput) as exc:
        status = 409 if isinstance(exc, Conflict) else 422
        error = (
            "Time is over: this answer was not saved."
            if exc.code == "attempt_closed"
            else exc.detail
        )
        if _is_htmx(request):
            return _save_status(request, question_id, error=error, status=status)
        messages.error(request, error)
    else:
        if _is_htmx(request):
            return _save_status(request, question_id, saved_at=item.answered_at, status=200)
        messages.success(request, f"Answer to question {item.position} saved.")
    url = reverse("certification:take", args=[actor.business_id, attempt.id])
    return redirect(f"{url}#q-{question_id}")


def _submit_confirm(request: HttpRequest, actor: Actor, attempt: Attempt) -> HttpResponse:
    if attempt.agent_id != actor.user_id or attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("certification:result", actor.business_id, attempt.id)
    questions = selectors.attempt_view_for(actor, attempt)["questions"]
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "attempt": attempt,
        "track": attempt.track,
        "total": len(questions),
        "unanswered": [q for q in questions if q["answered_at"] is None],
        "open": clock.now() <= attempt.deadline,
        "adaptive": attempt.adaptive_state is not None,
    }
    if context["adaptive"]:
        # One question at a time: nothing is skipped, but submitting early ends the test
        # before the questions it would still have asked.
        context["answered"] = attempt.items.filter(answered_at__isnull=False).count()
        context["finished"] = engine.adaptive_current(attempt) is None
    return render(request, "certification/submit_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, business_id: str, attempt_id: str) -> HttpResponse:
    """Hand the attempt in; past the deadline it counts as submitted at the deadline. The GET
    is the confirm step (issue 12 item 7's pattern: a page, no script under the strict CSP),
    naming the questions still unanswered."""
    actor = _agent(request, business_id)
    attempt = exam.attempt_get_for(actor, attempt_id)
    if request.method == "GET":
        return _submit_confirm(request, actor, attempt)
    try:
        services.attempt_submit(actor=actor, attempt=attempt)
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Assessment submitted.")
    return redirect("certification:result", actor.business_id, attempt.id)


@login_required
def result(request: HttpRequest, business_id: str, attempt_id: str) -> HttpResponse:
    """Status, score (or "awaiting review"), and once final each question's result and
    feedback, with the certification status it led to."""
    actor = _agent(request, business_id)
    attempt = _own_attempt(actor, attempt_id)
    if attempt.state == Attempt.State.IN_PROGRESS:
        # Still open (or past its deadline and not yet handed in): the attempt's page says which.
        return redirect("certification:take", actor.business_id, attempt.id)
    view = selectors.attempt_view_for(actor, attempt)
    certification_status = Status(view["certification_status"])
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "attempt": attempt,
        "track": attempt.track,
        "view": view,
        "final": exam.attempt_is_final(attempt),
        "status_label": ATTEMPT_STATUS_LABELS.get(view["status"], view["status"]),
        "questions": [
            {**q, "type_label": QUESTION_TYPE_LABELS[q["type"]]} for q in view["questions"]
        ],
        "certification_label": STATUS_LABELS[certification_status],
        "certification_meaning": status_meaning(
            certification_status, view["certification_declined_reason"]
        ),
    }
    return render(request, "certification/result.html", context)
