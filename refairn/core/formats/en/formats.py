"""The project's one way to print a time on a page (issue 12 item 7), found by Django through
``FORMAT_MODULE_PATH``: templates write ``|date:"DATETIME_FORMAT"`` and the value is already in
the viewer's zone (accounts.middleware). ``T`` is the zone's abbreviation, so the reader knows
which zone they read: "Mon 2 Nov 2026, 10:00 CET"."""

DATETIME_FORMAT = "D j M Y, H:i T"
# A time of day to the second, where seconds matter (an attempt's deadline, "saved at").
TIME_FORMAT = "H:i:s T"
DATE_FORMAT = "j M Y"
