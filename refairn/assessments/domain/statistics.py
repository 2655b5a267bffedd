"""Question analytics (PRODUCT.md §4: "per question times answered, percent correct,
discrimination; per track average passing score; most difficult questions").

Definitions:

- An attempt is one sequence of ``QuestionResult``; attempts with a result still awaiting a
  reviewer are left out (their total is not known yet).
- ``times_answered`` counts the final attempts that drew the question; a blank answer counts
  as answered wrongly. Correct means full points (``QuestionResult.correct``).
- ``discrimination`` is the classic upper-lower discrimination index D = p_upper - p_lower
  (Kelley's 27% groups): among the attempts that drew the question, ranked by their total
  percentage, the upper and lower groups are the top and bottom 27% (rounded half up, at least
  one attempt each); p is the share of each group that got the question right. Ties in the
  ranking keep the order the attempts were given. None with fewer than two attempts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from refairn.assessments.domain.scoring import QuestionResult

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_GROUP_SHARE = Decimal("0.27")


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    times_answered: int
    times_correct: int
    percent_correct: Decimal
    discrimination: Decimal | None


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal:
    return (Decimal(part) * _HUNDRED / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _attempt_ratio(results: Sequence[QuestionResult]) -> Decimal:
    earned = sum((r.earned for r in results if r.earned is not None), Decimal(0))
    return earned / Decimal(sum(r.points for r in results))


def _discrimination(ranked: Sequence[bool]) -> Decimal | None:
    """``ranked``: whether each attempt got the question right, lowest total score first."""
    n = len(ranked)
    if n < 2:
        return None
    size = max(1, int((_GROUP_SHARE * n).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    p_upper = Decimal(sum(ranked[-size:])) / size
    p_lower = Decimal(sum(ranked[:size])) / size
    return (p_upper - p_lower).quantize(_CENT, rounding=ROUND_HALF_UP)


def question_statistics(
    attempts: Iterable[Sequence[QuestionResult]],
) -> dict[str, QuestionStats]:
    """PRODUCT.md §4 analytics: per question times answered, percent correct, discrimination
    (module docs). Keyed by question id in order of first appearance."""
    final = [a for a in attempts if a and all(r.earned is not None for r in a)]
    order = sorted(range(len(final)), key=lambda i: _attempt_ratio(final[i]))
    by_question: dict[str, list[bool]] = {}
    for question_id in (r.question_id for a in final for r in a):
        by_question.setdefault(question_id, [])
    for i in order:
        for r in final[i]:
            by_question[r.question_id].append(r.correct)
    return {
        question_id: QuestionStats(
            question_id=question_id,
            times_answered=len(ranked),
            times_correct=sum(ranked),
            percent_correct=_percent(sum(ranked), len(ranked)),
            discrimination=_discrimination(ranked),
        )
        for question_id, ranked in by_question.items()
    }


def most_difficult(
    stats: Iterable[QuestionStats], threshold: Decimal | int = 70
) -> list[QuestionStats]:
    """PRODUCT.md §4: "most difficult questions" — percent correct below ``threshold`` (70),
    hardest first (ties by question id)."""
    limit = Decimal(threshold)
    hard = [s for s in stats if s.percent_correct < limit]
    return sorted(hard, key=lambda s: (s.percent_correct, s.question_id))


def average_percent(percents: Iterable[Decimal]) -> Decimal | None:
    """PRODUCT.md §4: the per-track average score (e.g. of passing attempts), 2 dp half up;
    None when there is nothing to average."""
    values = list(percents)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(_CENT, rounding=ROUND_HALF_UP)
