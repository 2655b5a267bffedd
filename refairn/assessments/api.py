from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from refairn.accounts.auth import request_user
from refairn.assessments import selectors, services
from refairn.assessments.models import Question
from refairn.assessments.schemas import (
    ImportOut,
    QuestionIn,
    QuestionOut,
)
from refairn.core.errors import InvalidInput
from refairn.core.pagination import DEFAULT_PAGE, paged
from refairn.training.selectors import track_actor

router = Router(tags=["assessments"])

_GIFT = {"text/plain": {"schema": {"type": "string", "description": "Moodle GIFT, UTF-8"}}}


def _question_content(payload: QuestionIn) -> dict[str, Any]:
    """A question's content as ``question_create`` and ``question_revise`` both take it."""
    return {
        "question_type": payload.type,
        "prompt": payload.prompt,
        "choices": [services.ChoiceSpec(c.text, c.correct, c.feedback) for c in payload.choices],
        "points": payload.points,
        "critical": payload.critical,
        "topic": payload.topic,
        "rubric": payload.rubric,
        "module_id": payload.module_id,
        "title": payload.title,
        "faq_item_ids": payload.faq_item_ids,
        "irt": payload.irt.model_dump() if payload.irt else None,
    }


@router.post("/tracks/{t}/questions", response={201: QuestionOut})
def create_question(request: HttpRequest, t: str, payload: QuestionIn) -> Status[Question]:
    actor, track = track_actor(request_user(request), t)
    question = services.question_create(
        actor=actor,
        track=track,
        **_question_content(payload),
    )
    return Status(201, question)


@router.get("/tracks/{t}/questions", response=list[QuestionOut])
def list_questions(
    request: HttpRequest,
    response: HttpResponse,
    t: str,
    include_retired: bool = False,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[Question]:
    """Oldest first; when more remain, ``X-Next-Cursor`` carries the ``cursor`` of the next
    page."""
    actor, track = track_actor(request_user(request), t)
    page = selectors.questions_page_for(
        actor, track, include_retired=include_retired, limit=limit, cursor=cursor
    )
    return paged(response, page)


@router.post(
    "/tracks/{t}/questions/import",
    response={201: ImportOut},
    openapi_extra={"requestBody": {"required": True, "content": _GIFT}},
)
def import_questions(request: HttpRequest, t: str) -> Status[dict[str, int]]:
    """The body is the GIFT text itself (``text/plain``), not JSON."""
    actor, track = track_actor(request_user(request), t)
    try:
        body = request.body
    except RequestDataTooBig:
        raise InvalidInput("The GIFT text is too large to import at once.") from None
    return Status(201, {"imported": services.questions_import(actor=actor, track=track, body=body)})


@router.get(
    "/tracks/{t}/questions/export",
    openapi_extra={"responses": {200: {"description": "Moodle GIFT", "content": _GIFT}}},
)
def export_questions(request: HttpRequest, t: str) -> HttpResponse:
    actor, track = track_actor(request_user(request), t)
    text = selectors.questions_export_for(actor, track)
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@router.put("/questions/{q}", response=QuestionOut)
def revise_question(request: HttpRequest, q: str, payload: QuestionIn) -> Question:
    """The question's new content (the body of ``POST /tracks/{t}/questions``). Unanswered, it
    changes in place; once an attempt drew it, it is retired and the answer is a new version
    (new ``id``, ``version`` + 1, ``replaces_id``), so past attempts and analytics keep the
    wording they were answered with. 409 ``question_retired`` (issue 12 item 5)."""
    actor, question = selectors.question_actor(request_user(request), q)
    return services.question_revise(
        actor=actor,
        question=question,
        **_question_content(payload),
    )


@router.delete("/questions/{q}", response={204: None})
def retire_question(request: HttpRequest, q: str) -> Status[None]:
    """Retires the question: attempts that drew it keep it; it is never drawn again."""
    actor, question = selectors.question_actor(request_user(request), q)
    services.question_retire(actor=actor, question=question)
    return Status(204, None)
