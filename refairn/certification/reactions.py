"""What certification does when a lower app announces something (``refairn.core.events``);
registered in ``CertificationConfig.ready``."""

from __future__ import annotations

from refairn.certification.services import certification_start_training
from refairn.training.events import TrainingProgressed
from refairn.training.models import Track


def on_training_progressed(event: TrainingProgressed) -> None:
    """PRODUCT.md §5: the first module started moves the track's certification to
    ``in_progress`` (later progress changes nothing)."""
    track = Track.objects.get(pk=event.track_id)
    certification_start_training(track=track, agent_id=event.agent_id)
