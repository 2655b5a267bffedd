"""How much a bank question may hold: one set of limits for the JSON API, the pages and the
GIFT import, so a file cannot store what the API refuses (a 2.4-million-character prompt,
600,001 choices)."""

from __future__ import annotations

from collections.abc import Sequence

PROMPT_MAX = 20_000
RUBRIC_MAX = 20_000
CHOICES_MAX = 50
CHOICE_TEXT_MAX = 2_000
FEEDBACK_MAX = 2_000
TITLE_MAX = 200
TOPIC_MAX = 120
MAX_POINTS = 1000


def question_limits_problem(
    *,
    prompt: str,
    choices: Sequence[tuple[str, str]],
    points: int,
    title: str = "",
    topic: str = "",
    rubric: str = "",
) -> tuple[str, str] | None:
    """The first limit a question breaks, as (field, message), or None. ``choices`` are
    (text, feedback) pairs."""
    for field, value, limit in (
        ("prompt", prompt, PROMPT_MAX),
        ("title", title, TITLE_MAX),
        ("topic", topic, TOPIC_MAX),
        ("rubric", rubric, RUBRIC_MAX),
    ):
        if len(value) > limit:
            return field, f"is longer than {limit} characters"
    if not 1 <= points <= MAX_POINTS:
        return "points", f"must be from 1 to {MAX_POINTS}"
    if len(choices) > CHOICES_MAX:
        return "choices", f"holds more than {CHOICES_MAX} choices"
    for index, (text, feedback) in enumerate(choices):
        if len(text) > CHOICE_TEXT_MAX:
            return f"choices.{index}.text", f"is longer than {CHOICE_TEXT_MAX} characters"
        if len(feedback) > FEEDBACK_MAX:
            return f"choices.{index}.feedback", f"is longer than {FEEDBACK_MAX} characters"
    return None
