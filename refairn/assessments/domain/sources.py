"""Where a question's IRT parameters came from (issue 15 item 1)."""

from enum import StrEnum


class IrtSource(StrEnum):
    MANUAL = "manual"  # typed in with the question
    IMPORTED = "imported"  # read from a GIFT file
    CALIBRATED = "calibrated"  # estimated from the attempt history
