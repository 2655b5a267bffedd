"""Certification tracks as the business defines them (PRODUCT.md §3): how much a track is
required, from which agent level, in which assessment mode, and the rule that prerequisites never
form a cycle."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from enum import StrEnum
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


class Requirement(StrEnum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"
    OPTIONAL = "optional"


class AgentLevel(StrEnum):
    """A track's minimum agent level ("Required — L2+" in the third seed)."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"


class AssessmentMode(StrEnum):
    FIXED = "fixed"
    ADAPTIVE = "adaptive"


def composition_problem(composition: Iterable[tuple[str, int]], question_count: int) -> str | None:
    """Why an assessment's mix of question types (``(type, count)`` pairs) doesn't fit, or
    None: each type once, each count at least one, counts summing to ``question_count``. An
    empty mix is no mix: any type may be drawn. Whether the bank holds enough of each type is
    the exam engine's check."""
    pairs = list(composition)
    if not pairs:
        return None
    types = [t for t, _ in pairs]
    if len(set(types)) != len(types):
        return "each question type appears once"
    if any(count < 1 for _, count in pairs):
        return "each count is at least 1"
    total = sum(count for _, count in pairs)
    if total != question_count:
        return f"the counts sum to {total}, not to question_count ({question_count})"
    return None


def creates_cycle(
    track: Key, prerequisites: Iterable[Key], edges: Mapping[Key, Collection[Key]]
) -> bool:
    """PRODUCT.md §3: would requiring ``prerequisites`` for ``track`` make a track its own
    prerequisite? ``edges`` maps each track to its current prerequisites. Requiring ``p`` makes
    a cycle exactly when ``track`` is ``p`` or one of ``p``'s prerequisites, at any depth."""
    stack, seen = list(prerequisites), set()
    while stack:
        node = stack.pop()
        if node == track:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return False
