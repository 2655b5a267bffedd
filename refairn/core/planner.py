"""Planner settings for the few statements PostgreSQL misjudges (issue 17)."""

from __future__ import annotations

from django.db import connection


def jit_off() -> None:
    """Until the current transaction ends, PostgreSQL runs its plans without compiling them.

    For a statement whose estimate is far above what it reads (conditions comparing two
    columns, which the planner can only guess): past ``jit_above_cost`` it compiles the plan
    first, which at a million tickets takes seconds for a query that reads a few thousand
    rows. SQLite has no compiler to turn off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
