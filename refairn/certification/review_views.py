"""The review queue (PRODUCT.md §4–§5): submitted attempts whose reviewer-graded questions
need points, or whose outcome waits for a reviewer's pass or fail. Thin: the same selectors and
services as ``GET /businesses/{b}/reviews`` and ``POST /attempts/{id}/grade``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from refairn.assessments import selectors as exam
from refairn.assessments import services as engine
from refairn.assessments.domain import AttemptOutcome
from refairn.certification import selectors, services
from refairn.certification.schemas import GradingIn
from refairn.core.forms import REFUSALS, ApiForm
from refairn.core.pagination import page_links
from refairn.core.tenancy import Actor
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import agents_list_for, business_get_for
from refairn.training.selectors import tracks_list_for


class GradingForm(ApiForm):
    """Points and feedback for each question still to grade, and, for an attempt awaiting
    manual review, the decision. A question left without points stays ungraded."""

    def __init__(self, *args: Any, review: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"g-{review['attempt_id']}")
        super().__init__(*args, **kwargs)
        self.questions = review["questions_to_grade"]
        for q in self.questions:
            key = q["question_id"]
            simulation = q["type"] == "simulation"
            self.fields[f"points_{key}"] = forms.DecimalField(
                label="Score (0–100)" if simulation else f"Points (0–{q['grade_max']})",
                required=False,
                min_value=0,
                max_value=q["grade_max"],
                max_digits=7,
                decimal_places=2,
            )
            self.fields[f"feedback_{key}"] = forms.CharField(
                label="Feedback to the agent",
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.awaiting = review["status"] == AttemptOutcome.AWAITING_MANUAL_REVIEW
        if self.awaiting:
            self.fields["decision"] = forms.ChoiceField(
                label="Decision",
                required=False,
                choices=[("", "Follow the score"), ("pass", "Pass"), ("fail", "Fail")],
                help_text="A pass below the passing score or with a critical miss is refused.",
            )

    @property
    def api_paths(self) -> dict[str, str]:  # type: ignore[override]
        # ``grades.N.points`` names the N-th grade sent, i.e. the N-th question given points.
        graded = [q["question_id"] for q in self.questions if self._points(q) is not None]
        paths = {f"grades.{n}.points": f"points_{key}" for n, key in enumerate(graded)}
        return paths | {f"grades.{n}": f"points_{key}" for n, key in enumerate(graded)}

    def _points(self, question: dict[str, Any]) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get(f"points_{question['question_id']}")
        return value

    def rows(self) -> list[dict[str, Any]]:
        """Each question with its two bound fields, for the template."""
        return [
            {
                **q,
                "points_field": self[f"points_{q['question_id']}"],
                "feedback_field": self[f"feedback_{q['question_id']}"],
            }
            for q in self.questions
        ]

    def api_body(self) -> dict[str, Any]:
        """The ``POST /attempts/{id}/grade`` body this form describes."""
        data = self.cleaned_data
        return {
            "grades": [
                {
                    "question_id": q["question_id"],
                    "points": self._points(q),
                    "feedback": data[f"feedback_{q['question_id']}"],
                }
                for q in self.questions
                if self._points(q) is not None
            ],
            "decision": data.get("decision") or None,
        }


def _queue_page(
    request: HttpRequest,
    actor: Actor,
    *,
    status: int = 200,
    bound: GradingForm | None = None,
    bound_review: dict[str, Any] | None = None,
) -> HttpResponse:
    services.attempts_settle(business_id=actor.business_id)
    page = exam.reviews_page_for(
        actor, limit=None, cursor=request.GET.get("cursor"), before=request.GET.get("before")
    )
    reviews = page.items
    bound_id = bound_review and bound_review["attempt_id"]
    if bound_review and all(r["attempt_id"] != bound_id for r in reviews):
        # The refused grading shows with its errors wherever its attempt falls in the queue.
        reviews = [bound_review, *reviews]
    tracks = {t.id: t for t in tracks_list_for(actor)}
    agents = {a.user_id: a.user for a in agents_list_for(actor)}
    items = []
    for review in reviews:
        form = bound if bound and review["attempt_id"] == bound_id else None
        items.append(
            {
                **review,
                "track": tracks.get(review["track_id"]),
                "agent": agents.get(review["agent_id"]),
                "form": form or GradingForm(review=review),
            }
        )
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "reviews": items,
        "pager": page_links(request.GET, page),
    }
    return render(request, "certification/staff_reviews.html", context, status=status)


@login_required
@require_GET
def reviews(request: HttpRequest, business_id: str) -> HttpResponse:
    """The queue, oldest submission first: owners, managers and reviewers."""
    actor = staff_actor(request, business_id)
    actor.require(*exam.GRADERS)
    return _queue_page(request, actor)


@login_required
@require_POST
def grade(request: HttpRequest, business_id: str, attempt_id: str) -> HttpResponse:
    """PRODUCT.md §4–§5: points and feedback for reviewer-graded questions, and the pass/fail
    decision of an attempt awaiting manual review."""
    actor = staff_actor(request, business_id)
    actor.require(*exam.GRADERS)
    attempt = services.attempt_settle(exam.attempt_get_for(actor, attempt_id))
    review = next((r for r in exam.reviews_list_for(actor) if r["attempt_id"] == attempt.id), None)
    if review is None:
        messages.error(request, "This attempt no longer waits for a review.")
        return redirect("certification:reviews", business_id=business_id)
    form = GradingForm(request.POST, review=review)
    if form.is_valid() and (payload := form.validated(GradingIn, form.api_body())):
        try:
            services.attempt_grade(
                actor=actor,
                attempt=attempt,
                grades=[
                    engine.GradeSpec(g.question_id, g.points, g.feedback) for g in payload.grades
                ],
                decision=payload.decision,
            )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _queue_page(request, actor, status=exc.status, bound=form, bound_review=review)
        messages.success(request, "Grades saved.")
        return redirect("certification:reviews", business_id=business_id)
    return _queue_page(request, actor, status=422, bound=form, bound_review=review)


@login_required
@require_GET
def attempt(request: HttpRequest, business_id: str, attempt_id: str) -> HttpResponse:
    """One attempt with every question, answer, correct choice and rubric, for the reviewer."""
    actor = staff_actor(request, business_id)
    actor.require(*exam.GRADERS)
    attempt = services.attempt_settle(exam.attempt_get_for(actor, attempt_id))
    view = selectors.attempt_view_for(actor, attempt)
    agents = {a.user_id: a.user for a in agents_list_for(actor)}
    tracks = {t.id: t for t in tracks_list_for(actor)}
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "attempt": view,
        "agent": agents.get(view["agent_id"]),
        "track": tracks.get(view["track_id"]),
    }
    return render(request, "certification/staff_attempt.html", context)
