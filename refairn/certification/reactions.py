"""What certification does when a lower app announces something (``refairn.core.events``);
registered in ``CertificationConfig.ready``."""

from __future__ import annotations

from refairn.certification.domain import Status
from refairn.certification.models import Certification
from refairn.certification.services import certification_start_training
from refairn.training.events import TrainingProgressed
from refairn.training.models import Track


def on_training_progressed(event: TrainingProgressed) -> None:
    """PRODUCT.md §5: the first module started moves the track's certification to
    ``in_progress`` (later progress changes nothing)."""
    # Every progress report announces this; once the row is past ``not_started`` nothing is to
    # do, and a read without the lock tells so in one statement instead of five. A reopening
    # committed meanwhile is as if it came after this progress.
    started = Certification.objects.filter(track_id=event.track_id, agent_id=event.agent_id)
    if started.exclude(status=Status.NOT_STARTED).exists():
        return
    track = Track.objects.get(pk=event.track_id)
    certification_start_training(track=track, agent_id=event.agent_id)
