"""The question bank page of a track (PRODUCT.md §4): the active questions with their answers,
a new question, GIFT import and export, retiring a question. Staff who write or grade questions
see it; owners and managers change it. Thin: the same selectors and services as the API's
``/tracks/{t}/questions`` operations.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from refairn.assessments import selectors, services
from refairn.assessments.schemas import QuestionIn
from refairn.assessments.staff_forms import GiftImportForm, QuestionForm
from refairn.core.errors import NotFound
from refairn.core.forms import REFUSALS
from refairn.core.pagination import page_links
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.edge import page_user, staff_actor
from refairn.programs.selectors import business_get_for
from refairn.training.models import Track
from refairn.training.selectors import module_rows_for, track_get_for


def _choices(rows: list[dict[str, Any]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The module and FAQ item choices of the question editor."""
    modules = [(str(m["id"]), m["title"]) for m in rows]
    items = [
        (str(item["id"]), f"{m['title']}: {item['question']}")
        for m in rows
        for item in m["items"] or []
    ]
    return modules, items


def _bank_page(
    request: HttpRequest,
    actor: Actor,
    track: Track,
    *,
    status: int = 200,
    question_form: QuestionForm | None = None,
    import_form: GiftImportForm | None = None,
) -> HttpResponse:
    modules, items = _choices(module_rows_for(actor, track))
    questions = selectors.questions_page_for(
        actor,
        track,
        limit=None,
        cursor=request.GET.get("cursor"),
        before=request.GET.get("before"),
    )
    total = selectors.questions_count_for(actor, track)
    # An attempt draws question_count questions: a smaller bank refuses every start (409
    # bank_too_small), which the person writing the bank must learn here, not from an agent.
    # An adaptive attempt stops early, so its bank is judged by the curve instead.
    short = 0 if track.assessment_mode == "adaptive" else max(0, track.question_count - total)
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "track": track,
        "questions": questions.items,
        "question_total": total,
        "questions_short": short,
        "pager": page_links(request.GET, questions),
        "question_form": question_form or QuestionForm(modules=modules, faq_items=items),
        "import_form": import_form or GiftImportForm(),
        "can_edit": actor.has(*ADMIN_ROLES),
        "curve": selectors.bank_information_curve(track),
    }
    return render(request, "assessments/bank.html", context, status=status)


def _back_to_bank(business_id: str, track_id: object) -> HttpResponse:
    return redirect("assessments:bank", business_id=business_id, track_id=track_id)


@login_required
@require_http_methods(["GET", "POST"])
def bank(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """PRODUCT.md §4: the track's bank (graders), and a new question through the API's
    ``QuestionIn`` (owners and managers)."""
    actor = staff_actor(request, business_id)
    actor.require(*selectors.GRADERS)
    track = track_get_for(actor, track_id)
    if request.method != "POST":
        return _bank_page(request, actor, track)
    actor.require(*selectors.BANK_EDITORS)
    modules, items = _choices(module_rows_for(actor, track))
    form = QuestionForm(request.POST, modules=modules, faq_items=items)
    if form.is_valid() and (payload := form.validated(QuestionIn, form.api_body())):
        try:
            services.question_create(
                actor=actor,
                track=track,
                question_type=payload.type,
                prompt=payload.prompt,
                choices=[
                    services.ChoiceSpec(c.text, c.correct, c.feedback) for c in payload.choices
                ],
                points=payload.points,
                critical=payload.critical,
                topic=payload.topic,
                rubric=payload.rubric,
                module_id=payload.module_id,
                title=payload.title,
                faq_item_ids=payload.faq_item_ids,
            )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _bank_page(request, actor, track, status=exc.status, question_form=form)
        messages.success(request, "Question added to the bank.")
        return _back_to_bank(business_id, track.id)
    return _bank_page(request, actor, track, status=422, question_form=form)


@login_required
@require_POST
def question_retire(
    request: HttpRequest, business_id: str, track_id: str, question_id: str
) -> HttpResponse:
    """PRODUCT.md §4: the question leaves the bank; attempts that drew it keep it."""
    actor = staff_actor(request, business_id)
    track = track_get_for(actor, track_id)
    owner, question = selectors.question_actor(page_user(request), question_id)
    if owner.business_id != actor.business_id or question.track_id != track.id:
        raise NotFound("question")
    services.question_retire(actor=actor, question=question)
    messages.success(request, "Question retired: it will not be drawn again.")
    return _back_to_bank(business_id, track.id)


@login_required
@require_POST
def questions_import(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """PRODUCT.md §4: bulk import from Moodle GIFT, all or nothing; an error names its line."""
    actor = staff_actor(request, business_id)
    actor.require(*selectors.BANK_EDITORS)
    track = track_get_for(actor, track_id)
    form = GiftImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.questions_import(actor=actor, track=track, body=form.body())
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _bank_page(request, actor, track, status=exc.status, import_form=form)
        messages.success(request, f"{count} questions imported.")
        return _back_to_bank(business_id, track.id)
    return _bank_page(request, actor, track, status=422, import_form=form)


@login_required
@require_GET
def questions_export(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """PRODUCT.md §4: the track's active bank as a GIFT file."""
    actor = staff_actor(request, business_id)
    track = track_get_for(actor, track_id)
    text = selectors.questions_export_for(actor, track)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    name = slugify(track.name) or "questions"
    response["Content-Disposition"] = f'attachment; filename="{name}.gift.txt"'
    return response
