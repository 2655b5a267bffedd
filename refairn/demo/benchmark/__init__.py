"""``refairn bench`` (issue 17): seeded programs at scale, each measure timed against a floor
measured in the same run and database. Figures are printed, never asserted (STYLE.md)."""
