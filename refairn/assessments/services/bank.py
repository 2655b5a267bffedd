"""Writes for the question bank: questions by hand, GIFT import, retirement (PRODUCT.md §4)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import NamedTuple

from django.db import transaction

from refairn.assessments import domain
from refairn.assessments.domain.irt import ItemParameters
from refairn.assessments.domain.limits import question_limits_problem
from refairn.assessments.domain.sources import IrtSource
from refairn.assessments.gift import GiftError, GiftQuestion, parse_gift
from refairn.assessments.models import AttemptQuestion, Question
from refairn.assessments.selectors import BANK_EDITORS
from refairn.assessments.services.text import clean_text
from refairn.core import clock
from refairn.core.errors import Conflict, InvalidInput, field_error
from refairn.core.tenancy import Actor
from refairn.training.models import FaqItem, Module, Track

log = logging.getLogger(__name__)


class ChoiceSpec(NamedTuple):
    text: str
    correct: bool
    feedback: str = ""


def new_choice_ids(count: int) -> list[str]:
    """Short ids in the author's order: a..z, then aa, ab... (stable for the question's life)."""
    ids = []
    for n in range(1, count + 1):
        label = ""
        while n:
            n, rest = divmod(n - 1, 26)
            label = chr(ord("a") + rest) + label
        ids.append(label)
    return ids


@transaction.atomic
def question_create(
    *,
    actor: Actor,
    track: Track,
    question_type: domain.QuestionType,
    prompt: str,
    choices: Sequence[ChoiceSpec] = (),
    points: int = 1,
    critical: bool = False,
    topic: str = "",
    rubric: str = "",
    module_id: uuid.UUID | None = None,
    title: str = "",
    faq_item_ids: Sequence[uuid.UUID] = (),
    irt: dict[str, float] | None = None,
) -> Question:
    """PRODUCT.md §4: a bank question with points, critical flag, topic and the module it draws
    from; choices are checked by ``domain.choices_problem`` (the GIFT import uses it too).
    ``irt`` ({"a", "b", "c"}, issue 15) are its 3PL parameters, set by hand."""
    actor.require(*BANK_EDITORS)
    prompt, topic, title, rubric = (
        clean_text(prompt),
        clean_text(topic),
        clean_text(title),
        clean_text(rubric),
    )
    if not prompt:
        raise field_error("prompt", "must not be blank")
    if "\n" in topic:
        raise field_error("topic", "is one line")
    cleaned = [ChoiceSpec(clean_text(c.text), c.correct, clean_text(c.feedback)) for c in choices]
    for index, choice in enumerate(cleaned):
        if not choice.text:
            raise field_error(f"choices.{index}.text", "must not be blank")
    if broken := question_limits_problem(
        prompt=prompt,
        choices=[(c.text, c.feedback) for c in cleaned],
        points=points,
        title=title,
        topic=topic,
        rubric=rubric,
    ):
        raise field_error(*broken)
    if problem := domain.choices_problem(question_type, [c.correct for c in cleaned]):
        raise field_error("choices", problem)
    if module_id is not None and not Module.objects.filter(pk=module_id, track=track).exists():
        raise field_error("module_id", "is not a module of this track")
    faq_items = list(FaqItem.objects.filter(pk__in=set(faq_item_ids), module__track=track))
    if len(faq_items) != len(set(faq_item_ids)):
        raise field_error("faq_item_ids", "must be FAQ items of this track's modules")
    parameters = None
    if irt is not None:
        try:
            parameters = ItemParameters.from_json(irt)
        except ValueError as exc:
            raise field_error("irt", str(exc), code="invalid_irt_parameters") from None
    question = Question.objects.create(
        business_id=actor.business_id,
        track=track,
        module_id=module_id,
        type=question_type,
        title=title,
        prompt=prompt,
        choices=[
            {"id": cid, "text": c.text, "correct": c.correct, "feedback": c.feedback}
            for cid, c in zip(new_choice_ids(len(cleaned)), cleaned, strict=True)
        ],
        points=points,
        critical=critical,
        topic=topic,
        rubric=rubric,
        **irt_fields(parameters, IrtSource.MANUAL),
    )
    question.faq_items.set(faq_items)
    return question


def irt_fields(parameters: ItemParameters | None, source: IrtSource) -> dict[str, object]:
    """A question's IRT columns for ``parameters`` (none at all when None)."""
    if parameters is None:
        return {}
    return {
        "irt_a": parameters.a,
        "irt_b": parameters.b,
        "irt_c": parameters.c,
        "irt_source": source,
    }


def _invalid_gift(line: int, message: str) -> InvalidInput:
    return InvalidInput(
        f"line {line}: {message}",
        code="invalid_gift",
        fields={"body": f"line {line}: {message}"},
        extra={"line": line},
    )


def _decode(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise _invalid_gift(line, "the text is not UTF-8") from None
    # PostgreSQL stores no NUL in text, and no question has a use for one.
    if (at := text.find("\x00")) >= 0:
        raise _invalid_gift(text.count("\n", 0, at) + 1, "the text holds a NUL character")
    return text


def _storage_problem(question: GiftQuestion) -> str | None:
    """The limit a parsed question breaks, in the words of a GIFT author."""
    broken = question_limits_problem(
        prompt=question.prompt,
        choices=[(a.text, a.feedback) for a in question.answers],
        points=question.points,
        title=question.title,
        topic=question.topic,
        rubric=question.rubric,
    )
    if broken is None:
        return None
    field, message = broken
    name = {"topic": "the category", "choices": "the answers"}.get(field, field)
    if field.startswith("choices."):
        index, part = field.split(".")[1:]
        name = f"answer {int(index) + 1}'s {part}"
    return f"{name} {message}"


def _question_lines(text: str) -> list[int]:
    """Where each question of a parsed GIFT text starts: GIFT ends a question at a blank line,
    and a block holding no question (a category or comments alone) yields nothing when parsed
    on its own. Only needed to name the line of a limit the parser itself does not know."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    starts: list[int] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            block.append((number, line))
            continue
        if block and parse_gift("\n".join(text for _, text in block)):
            starts.append(block[0][0])
        block = []
    return starts


@transaction.atomic
def questions_import(*, actor: Actor, track: Track, body: bytes) -> int:
    """PRODUCT.md §4: bulk import from Moodle GIFT (UTF-8 text), all or nothing; a problem
    names its line."""
    actor.require(*BANK_EDITORS)
    text = _decode(body)
    try:
        parsed = parse_gift(text)
    except GiftError as exc:
        raise _invalid_gift(exc.line, exc.message) from None
    if not parsed:
        raise _invalid_gift(1, "the text holds no questions")
    for index, gift in enumerate(parsed):
        if problem := _storage_problem(gift):
            raise _invalid_gift(_question_lines(text)[index], problem)
    now = clock.now()
    Question.objects.bulk_create(
        Question(
            business_id=actor.business_id,
            track=track,
            type=gift.type,
            title=gift.title,
            prompt=gift.prompt,
            choices=[
                {"id": cid, "text": a.text, "correct": a.correct, "feedback": a.feedback}
                for cid, a in zip(new_choice_ids(len(gift.answers)), gift.answers, strict=True)
            ],
            points=gift.points,
            critical=gift.critical,
            topic=gift.topic,
            rubric=gift.rubric,
            **irt_fields(gift.irt, IrtSource.IMPORTED),
            # A microsecond apart, so the bank (ordered by creation) keeps the file's order.
            created_at=now + timedelta(microseconds=index),
        )
        for index, gift in enumerate(parsed)
    )
    return len(parsed)


@transaction.atomic
def question_retire(*, actor: Actor, question: Question) -> Question:
    """PRODUCT.md §4: a question leaves the bank but stays for the attempts that drew it."""
    actor.require(*BANK_EDITORS)
    question.active = False
    question.save(update_fields=["active"])
    return question


# What a revision carries over from the draft row ``question_create`` validated.
_CONTENT_FIELDS = ("type", "title", "prompt", "choices", "points", "critical", "topic", "rubric")


@transaction.atomic
def question_revise(
    *,
    actor: Actor,
    question: Question,
    question_type: domain.QuestionType,
    prompt: str,
    choices: Sequence[ChoiceSpec] = (),
    points: int = 1,
    critical: bool = False,
    topic: str = "",
    rubric: str = "",
    module_id: uuid.UUID | None = None,
    title: str = "",
    faq_item_ids: Sequence[uuid.UUID] = (),
    irt: dict[str, float] | None = None,
) -> Question:
    """Issue 12 item 5: edit a question with the same rules as creating one. A question no
    attempt has drawn is changed in place. One that was drawn is retired and a new version
    takes its place, so past attempts and the analytics keep the wording they were answered
    with; the new version starts without the old IRT calibration unless ``irt`` is given.
    A retired question is not edited (409 ``question_retired``)."""
    actor.require(*BANK_EDITORS)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.active:
        raise Conflict(
            "This question is retired; edit its current version.", code="question_retired"
        )
    revised = question_create(
        actor=actor,
        track=question.track,
        question_type=question_type,
        prompt=prompt,
        choices=choices,
        points=points,
        critical=critical,
        topic=topic,
        rubric=rubric,
        module_id=module_id,
        title=title,
        faq_item_ids=faq_item_ids,
        irt=irt,
    )
    if AttemptQuestion.objects.filter(question=question).exists():
        revised.version, revised.replaces = question.version + 1, question
        revised.save(update_fields=["version", "replaces"])
        question.active = False
        question.save(update_fields=["active"])
        return revised
    for name in _CONTENT_FIELDS:
        setattr(question, name, getattr(revised, name))
    question.module_id = revised.module_id
    fields = [*_CONTENT_FIELDS, "module"]
    if irt is not None:
        for name in ("irt_a", "irt_b", "irt_c", "irt_source"):
            setattr(question, name, getattr(revised, name))
        fields += ["irt_a", "irt_b", "irt_c", "irt_source"]
    question.save(update_fields=fields)
    question.faq_items.set(revised.faq_items.all())
    revised.delete()
    return question
