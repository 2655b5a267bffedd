"""Periodic assessment jobs (issue 15)."""

from refairn.assessments.services.calibration import adaptive_tracks_calibrate
from refairn.core.periodic import WeeklyAt, periodic_job


@periodic_job(WeeklyAt(weekday=0, hour=3), catches_up=True)
def adaptive_tracks_calibrate_task() -> int:
    """Issue 15 item 2: recalibrate the adaptive banks weekly from the attempts since; the
    whole history is read each time, so one run catches up alone."""
    return adaptive_tracks_calibrate()
