"""Agent level in a program (PRODUCT.md §5; the third seed's status matrix).

Decisions where the product text is silent: a program without tracks gives Needs Attention (there
is nothing to be a master of), and Strong and Developing need at least one certification, so
with a single track the levels are Master (1/1) or Needs Attention (0/1), and with two tracks 1/2
is Strong ("all but one").
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    MASTER = "master"
    STRONG = "strong"
    DEVELOPING = "developing"
    NEEDS_ATTENTION = "needs_attention"


def agent_level(certified_count: int, track_count: int) -> Level:
    """PRODUCT.md §5: all tracks = Master; all but one = Strong; at least half = Developing;
    fewer = Needs Attention. ``certified_count`` counts currently certified tracks only."""
    if not 0 <= certified_count <= track_count:
        raise ValueError(f"{certified_count} certified of {track_count} tracks is impossible")
    if certified_count == 0:
        return Level.NEEDS_ATTENTION
    if certified_count == track_count:
        return Level.MASTER
    if certified_count == track_count - 1:
        return Level.STRONG
    if 2 * certified_count >= track_count:
        return Level.DEVELOPING
    return Level.NEEDS_ATTENTION
