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
