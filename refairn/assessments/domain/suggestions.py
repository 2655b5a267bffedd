"""The platform's suggested score for short answers and scenarios (PRODUCT.md §4: "the
platform may suggest a score"). A suggestion only; the reviewer's grade decides.

How a suggestion is made:

1. A short answer that contains every word of one of its accepted answers suggests full points.
2. Otherwise the expected keywords are the rubric's ``keywords:`` lines (comma or semicolon
   separated phrases, e.g. ``keywords: refund, escalate, billing team``), or, without such a
   line, the rubric's distinct content words (common words dropped).
3. A keyword matches when every one of its words occurs in the answer, in any order. Words
   compare lowercased, without punctuation, through a deliberately small suffix stripper
   (``-ing``, ``-ed``, ``-es``, ``-s``, ``-e``, ``-ies``/``-y`` → ``-i``), not a real stemmer.
4. Suggested points = points * matched / expected, rounded half up to the nearest 0.5.

Practical and simulation questions get no suggestion: keyword overlap says little about an
exercise or a role-play. Neither does a question with no rubric words and no accepted answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from refairn.assessments.domain.questions import Question, QuestionType

_SUGGESTED_TYPES = frozenset({QuestionType.SHORT_ANSWER, QuestionType.SCENARIO})
_SUFFIXES = ("ing", "ed", "es", "s", "e")
_MIN_STEM = 3
_KEYWORDS_LINE = re.compile(r"^\s*keywords\s*:(.*)$", re.IGNORECASE | re.MULTILINE)
_WORD = re.compile(r"[^\W_]+")
# Rubric prose words that say how to grade rather than what a good answer contains.
_STOPWORD_TEXT = """
a about after all also an and answer any are as at be because been before both but by can
could credit did do does each explain for from full give good has have how if in into is it its
mention more must no not of on one only or should so such than that the their them then there
these they this to very was what when where which who why will with would you your
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class Suggestion:
    """Suggested points and, for the reviewer, which expected keywords the answer contains."""

    points: Decimal
    matched: tuple[str, ...]
    expected: tuple[str, ...]


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith("ss"):
            continue
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)]
            break
    if word.endswith("y") and len(word) > _MIN_STEM:
        word = word[:-1] + "i"
    return word


def words(text: str) -> list[str]:
    """Lowercased words without punctuation (apostrophes dropped: "don't" → "dont")."""
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


def stems(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in words(text))


def expected_keywords(rubric: str) -> tuple[str, ...]:
    """The rubric's ``keywords:`` phrases, else its distinct content words, in rubric order."""
    phrases = [
        phrase.strip()
        for line in _KEYWORDS_LINE.findall(rubric)
        for phrase in re.split(r"[,;]", line)
    ]
    if not phrases:
        phrases = [w for w in words(rubric) if w not in _STOPWORDS and len(w) >= _MIN_STEM]
    seen: set[frozenset[str]] = set()
    keywords: list[str] = []
    for phrase in phrases:
        key = stems(phrase)
        if key and key not in seen:
            seen.add(key)
            keywords.append(phrase)
    return tuple(keywords)


def _to_half(value: Decimal) -> Decimal:
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def suggest_score(question: Question, answer: str) -> Suggestion | None:
    """PRODUCT.md §4: a suggested score for a short answer or scenario answer (module docs)."""
    if question.type not in _SUGGESTED_TYPES:
        return None
    given = stems(answer)
    accepted = tuple(c.text for c in question.choices)
    for text in accepted:
        needed = stems(text)
        if needed and needed <= given:
            return Suggestion(Decimal(question.points), (text,), (text,))
    keywords = expected_keywords(question.rubric)
    if not keywords:
        return Suggestion(Decimal(0), (), accepted) if accepted else None
    matched = tuple(k for k in keywords if stems(k) <= given)
    points = _to_half(Decimal(question.points) * len(matched) / len(keywords))
    return Suggestion(points, matched, keywords)
