"""Tracks and modules as content people edit (issue 12 item 5): each is a draft until
published, and a published one can be archived (and published again). Agents see only
published content; the dashboard counts only published tracks.

The lifecycle is a small state machine: ``TRANSITIONS`` lists every legal move; any other
(publishing what is already published, archiving an archived track) is refused with
``invalid_transition``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar

from refairn.training.domain.completion import TrainingRuleViolation

Item = TypeVar("Item")


class ContentStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class LifecycleAction(StrEnum):
    PUBLISH = "publish"
    ARCHIVE = "archive"


TRANSITIONS: dict[tuple[ContentStatus, LifecycleAction], ContentStatus] = {
    (ContentStatus.DRAFT, LifecycleAction.PUBLISH): ContentStatus.PUBLISHED,
    (ContentStatus.ARCHIVED, LifecycleAction.PUBLISH): ContentStatus.PUBLISHED,
    (ContentStatus.PUBLISHED, LifecycleAction.ARCHIVE): ContentStatus.ARCHIVED,
    # A draft nobody needs can be put away without ever being shown.
    (ContentStatus.DRAFT, LifecycleAction.ARCHIVE): ContentStatus.ARCHIVED,
}


def next_status(current: str, action: str) -> ContentStatus:
    """The status after ``action``, or ``invalid_transition`` when the move is not legal."""
    status, move = ContentStatus(current), LifecycleAction(action)
    after = TRANSITIONS.get((status, move))
    if after is None:
        raise TrainingRuleViolation(
            "invalid_transition", f"Cannot {move.value} content that is {status.value}."
        )
    return after


def move_in_order(items: Sequence[Item], moved: Item, step: int) -> list[Item]:
    """``items`` with ``moved`` one place earlier (``step`` -1) or later (+1): the staff pages'
    reorder buttons. At either end the order stays as it is."""
    order = list(items)
    index = order.index(moved)
    other = index + step
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return order
