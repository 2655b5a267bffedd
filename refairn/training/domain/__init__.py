"""Pure training rules (PRODUCT.md §2–§3): tracks, module completion, and the gates to the
library and the assessment. No Django; ``now`` and plain values are passed in.

Services may import the submodules or use the names re-exported here
(``from refairn.training import domain; domain.merge_intervals(...)``).
"""

from refairn.training.domain.access import (
    GateCode,
    TrainingAccess,
    assessment_gate,
    has_training_access,
    training_published,
)
from refairn.training.domain.completion import (
    COMPLETE_COVERAGE_PERCENT,
    MAX_PLAYBACK_SPEED,
    Format,
    Interval,
    ModuleProgress,
    TextSection,
    TrainingRuleViolation,
    add_watched,
    complete_section,
    demo_progress,
    faq_progress,
    merge_intervals,
    pdf_progress,
    review_faq_items,
    text_progress,
    video_complete,
    video_progress,
    watch_budget,
)
from refairn.training.domain.lifecycle import (
    TRANSITIONS,
    ContentStatus,
    LifecycleAction,
    move_in_order,
    next_status,
)
from refairn.training.domain.tracks import (
    AgentLevel,
    AssessmentMode,
    Requirement,
    composition_problem,
    creates_cycle,
)

__all__ = [
    "COMPLETE_COVERAGE_PERCENT",
    "MAX_PLAYBACK_SPEED",
    "TRANSITIONS",
    "AgentLevel",
    "AssessmentMode",
    "ContentStatus",
    "Format",
    "GateCode",
    "Interval",
    "LifecycleAction",
    "ModuleProgress",
    "Requirement",
    "TextSection",
    "TrainingAccess",
    "TrainingRuleViolation",
    "add_watched",
    "assessment_gate",
    "complete_section",
    "composition_problem",
    "creates_cycle",
    "demo_progress",
    "faq_progress",
    "has_training_access",
    "merge_intervals",
    "move_in_order",
    "next_status",
    "pdf_progress",
    "review_faq_items",
    "text_progress",
    "training_published",
    "video_complete",
    "video_progress",
    "watch_budget",
]
