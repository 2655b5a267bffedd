"""Training reads (PRODUCT.md §3), scoped to the caller's business: tracks, modules and each
agent's progress. Other apps import from this package."""

from refairn.training.selectors.modules import (
    computed_state,
    faq_item_ids,
    has_training_access,
    module_actor,
    module_get_for,
    module_row,
    module_rows_for,
    module_rows_page_for,
    module_states_for,
    progress_state,
    required_modules_complete,
    stored_intervals,
    text_sections,
)
from refairn.training.selectors.tracks import (
    next_track_position,
    prerequisite_edges,
    track_actor,
    track_get_for,
    track_ids_by_name,
    track_name_taken,
    tracks_by_id,
    tracks_list_for,
    tracks_page_for,
)

__all__ = [
    "computed_state",
    "faq_item_ids",
    "has_training_access",
    "module_actor",
    "module_get_for",
    "module_row",
    "module_rows_for",
    "module_rows_page_for",
    "module_states_for",
    "next_track_position",
    "prerequisite_edges",
    "progress_state",
    "required_modules_complete",
    "stored_intervals",
    "text_sections",
    "track_actor",
    "track_get_for",
    "track_ids_by_name",
    "track_name_taken",
    "tracks_by_id",
    "tracks_list_for",
    "tracks_page_for",
]
