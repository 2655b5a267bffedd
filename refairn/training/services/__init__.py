"""Training writes (PRODUCT.md §3): tracks, their modules, and each agent's progress. Other
apps import from this package."""

from refairn.training.services.library import library_access_set
from refairn.training.services.modules import (
    module_create,
    module_download,
    module_file_upload,
    module_move,
    module_open,
    module_progress_record,
    module_transition,
    module_update,
)
from refairn.training.services.tracks import (
    track_create,
    track_move,
    track_transition,
    track_update,
    tracks_from_template,
)

__all__ = [
    "library_access_set",
    "module_create",
    "module_download",
    "module_file_upload",
    "module_move",
    "module_open",
    "module_progress_record",
    "module_transition",
    "module_update",
    "track_create",
    "track_move",
    "track_transition",
    "track_update",
    "tracks_from_template",
]
