"""Module completion (PRODUCT.md §3): pure rules, no Django.

Decisions where the product text is silent:

- Video positions are exact ``Decimal`` seconds (a float from JSON is read through its shortest
  decimal form, so 0.1 stays 0.1); coverage compares exactly, without rounding.
- Touching intervals merge ([0, 10] and [10, 20] cover 20 seconds); intervals are clamped to the
  video and empty ones are dropped; a non-finite position is refused (``invalid_interval``).
- Progress percentages are floored, and a completed module shows 100 (a video completes at 95%).
- Completing an already completed text section again succeeds and changes nothing, so a client
  may retry; its quiz is not asked again.
- A text section with a quiz needs an answer (``quiz_answer_required``); any correct choice of a
  multi-answer quiz completes it.
- A FAQ with no items, and a text module with no sections, are complete.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

COMPLETE_COVERAGE_PERCENT = Decimal(95)
_HUNDRED = Decimal(100)

Interval = tuple[Decimal, Decimal]


class Format(StrEnum):
    VIDEO = "video"
    PDF = "pdf"
    TEXT = "text"
    DEMO_SCRIPT = "demo_script"
    FAQ = "faq"


class TrainingRuleViolation(Exception):
    """Progress that breaks a completion rule; ``code`` is a stable API error code."""

    def __init__(self, code: str, detail: str) -> None:
        self.code = code
        self.detail = detail
        super().__init__(detail)


@dataclass(frozen=True)
class ModuleProgress:
    completed: bool
    progress_percent: int


def _percent(done: Decimal, whole: Decimal, completed: bool) -> int:
    if completed:
        return 100
    return min(99, int(done * _HUNDRED // whole))


# -- video -----------------------------------------------------------------------------------


def _seconds(value: int | float | Decimal) -> Decimal:
    seconds = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not seconds.is_finite():
        raise TrainingRuleViolation("invalid_interval", f"{value!r} is not a position in seconds")
    return seconds


def merge_intervals(
    intervals: Iterable[tuple[int | float | Decimal, int | float | Decimal]], duration: int
) -> list[Interval]:
    """PRODUCT.md §3: the server merges the watched intervals the client reports.

    Each interval is clamped to [0, duration]; empty or reversed ones are dropped; overlapping
    and touching intervals merge. The result is sorted and disjoint.
    """
    if duration <= 0:
        raise ValueError("a video must last at least one second")
    end_of_video = Decimal(duration)
    clamped = []
    for raw_start, raw_end in intervals:
        start = max(_seconds(raw_start), Decimal(0))
        end = min(_seconds(raw_end), end_of_video)
        if end > start:
            clamped.append((start, end))
    merged: list[Interval] = []
    for start, end in sorted(clamped):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covered(intervals: Iterable[Interval], duration: int) -> Decimal:
    return sum((end - start for start, end in merge_intervals(intervals, duration)), Decimal(0))


MAX_PLAYBACK_SPEED = 2


def watch_budget(seconds_since_opened: Decimal) -> Decimal:
    """Issue 11 item 7: how much of a video an agent can have watched, at most, since they
    opened the module: the time since then at the fastest allowed speed (2×)."""
    return max(Decimal(0), seconds_since_opened) * MAX_PLAYBACK_SPEED


def add_watched(
    stored: Iterable[Interval],
    reported: Iterable[tuple[int | float | Decimal, int | float | Decimal]],
    duration: int,
    budget: Decimal,
) -> list[Interval]:
    """Issue 11 item 7: merge newly reported intervals into the stored ones, clipped to the
    video and to ``budget`` (``watch_budget``): the total watched never exceeds it.

    What is already stored stays. Of the new coverage (what the report adds beyond the stored
    intervals), the earliest positions are kept first, up to what the budget leaves, so a
    client that reports ahead of real time keeps the part it could have watched."""
    kept = merge_intervals(stored, duration)
    remaining = budget - sum((end - start for start, end in kept), Decimal(0))
    additions: list[Interval] = []
    for start, end in merge_intervals(reported, duration):
        for piece_start, piece_end in _minus(start, end, kept):
            if remaining <= 0:
                break
            piece_end = min(piece_end, piece_start + remaining)
            additions.append((piece_start, piece_end))
            remaining -= piece_end - piece_start
    return merge_intervals([*kept, *additions], duration)


def _minus(start: Decimal, end: Decimal, covered: Sequence[Interval]) -> list[Interval]:
    """The parts of [start, end] outside the sorted, disjoint ``covered`` intervals."""
    pieces: list[Interval] = []
    cursor = start
    for covered_start, covered_end in covered:
        if covered_end <= cursor or covered_start >= end:
            continue
        if covered_start > cursor:
            pieces.append((cursor, covered_start))
        cursor = max(cursor, covered_end)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def video_complete(merged: Iterable[Interval], duration: int) -> bool:
    """PRODUCT.md §3: a video is complete when the watched union covers >= 95% of it, so
    skipping to the end does not complete it."""
    return _covered(merged, duration) * _HUNDRED >= COMPLETE_COVERAGE_PERCENT * duration


def video_progress(merged: Iterable[Interval], duration: int) -> ModuleProgress:
    """PRODUCT.md §3: the progress tracker's state for a video."""
    merged = list(merged)
    completed = video_complete(merged, duration)
    covered = _covered(merged, duration)
    return ModuleProgress(completed, _percent(covered, Decimal(duration), completed))


# -- text ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextSection:
    id: str
    order: int
    quiz_correct_index: frozenset[int] | None = None


def _ordered(sections: Iterable[TextSection]) -> list[TextSection]:
    return sorted(sections, key=lambda section: (section.order, section.id))


def text_progress(
    sections: Iterable[TextSection], completed_ids: Collection[str]
) -> ModuleProgress:
    """PRODUCT.md §3: a text module is complete when all its sections are."""
    ids = {section.id for section in sections}
    done = len(ids.intersection(completed_ids))
    completed = done == len(ids)
    return ModuleProgress(completed, _percent(Decimal(done), Decimal(len(ids) or 1), completed))


def complete_section(
    sections: Sequence[TextSection],
    completed_ids: Collection[str],
    section_id: str,
    quiz_choice_index: int | None,
) -> frozenset[str]:
    """PRODUCT.md §3: a section is completed only after the previous one, and only when its quiz
    is answered correctly. Returns the new set of completed section ids."""
    ordered = _ordered(sections)
    position = next((i for i, s in enumerate(ordered) if s.id == section_id), None)
    if position is None:
        raise TrainingRuleViolation("unknown_section", f"No section {section_id!r} here.")
    if section_id in completed_ids:
        return frozenset(completed_ids)
    if any(earlier.id not in completed_ids for earlier in ordered[:position]):
        raise TrainingRuleViolation("section_out_of_order", "Complete the previous section first.")
    correct = ordered[position].quiz_correct_index
    if correct is not None:
        if quiz_choice_index is None:
            raise TrainingRuleViolation("quiz_answer_required", "Answer the section's quiz.")
        if quiz_choice_index not in correct:
            raise TrainingRuleViolation("quiz_answer_wrong", "That answer is not correct.")
    return frozenset(completed_ids) | {section_id}


# -- pdf, demo script, faq -------------------------------------------------------------------


def pdf_progress(downloaded: bool) -> ModuleProgress:
    """PRODUCT.md §3: a PDF is complete once downloaded through the platform."""
    return ModuleProgress(downloaded, 100 if downloaded else 0)


def demo_progress(practice_runs: int, required_runs: int = 1) -> ModuleProgress:
    """PRODUCT.md §3: a demo script is complete after the required practice runs (default 1)."""
    if required_runs < 1:
        raise ValueError("a demo script needs at least one practice run")
    completed = practice_runs >= required_runs
    return ModuleProgress(
        completed, _percent(Decimal(practice_runs), Decimal(required_runs), completed)
    )


def review_faq_items(
    item_ids: Collection[str], reviewed_ids: Collection[str], newly_reviewed: Iterable[str]
) -> frozenset[str]:
    """PRODUCT.md §3: record FAQ items as reviewed; an id not in this FAQ is refused
    (``unknown_item``) rather than silently ignored. Returns the new reviewed set."""
    new = frozenset(newly_reviewed)
    unknown = sorted(new.difference(item_ids))
    if unknown:
        raise TrainingRuleViolation("unknown_item", f"No FAQ items {', '.join(unknown)} here.")
    return frozenset(reviewed_ids) | new


def faq_progress(item_ids: Collection[str], reviewed_ids: Collection[str]) -> ModuleProgress:
    """PRODUCT.md §3: a FAQ is complete when every item has been reviewed."""
    items = set(item_ids)
    done = len(items.intersection(reviewed_ids))
    completed = done == len(items)
    return ModuleProgress(completed, _percent(Decimal(done), Decimal(len(items) or 1), completed))
