"""Who may open the training library, and when the assessment opens (PRODUCT.md §2, §3)."""

from __future__ import annotations

from enum import StrEnum


class TrainingAccess(StrEnum):
    ON_REQUEST = "on_request"
    AUTOMATIC = "automatic"


class GateCode(StrEnum):
    NO_TRAINING_ACCESS = "no_training_access"
    TRAINING_NOT_PUBLISHED = "training_not_published"
    TRAINING_INCOMPLETE = "training_incomplete"
    PREREQUISITE_MISSING = "prerequisite_missing"


def has_training_access(*, training_access: str, agent_approved: bool, library_open: bool) -> bool:
    """PRODUCT.md §2: ``automatic`` opens training to every approved agent; ``on_request`` once
    the library is open to the agent (their support access request opens it at once; support
    keeps ``library_open`` in step with their access)."""
    if not agent_approved:
        return False
    if TrainingAccess(training_access) is TrainingAccess.AUTOMATIC:
        return True
    return library_open


def training_published(*, published_modules: int, draft_modules: int) -> bool:
    """Whether a track's training exists for agents (issue 12). A track whose modules are all
    still drafts is being written: its assessment must not open just because an agent has
    nothing to complete yet. A track without modules (an assessment on its own) and one whose
    modules were all archived (withdrawn on purpose) stand on their assessment."""
    return published_modules > 0 or draft_modules == 0


def assessment_gate(
    *,
    required_modules_complete: bool,
    prerequisites_certified: bool,
    has_training_access: bool,
    training_published: bool = True,
) -> GateCode | None:
    """PRODUCT.md §3: the assessment opens only with training access, published training
    (``training_published``), every required module complete and every prerequisite track
    currently certified. Returns the API error code of the first unmet condition, or ``None``."""
    if not has_training_access:
        return GateCode.NO_TRAINING_ACCESS
    if not training_published:
        return GateCode.TRAINING_NOT_PUBLISHED
    if not required_modules_complete:
        return GateCode.TRAINING_INCOMPLETE
    if not prerequisites_certified:
        return GateCode.PREREQUISITE_MISSING
    return None
