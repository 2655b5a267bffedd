"""Timing a measure and its floor, and the one table (and JSON) they are reported in."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection


@dataclass
class Timed:
    seconds: float = 0.0
    queries: int = 0


@contextmanager
def timed() -> Iterator[Timed]:
    """Wall time and the number of SQL statements sent inside the block (counted by an
    execute wrapper: nothing is kept of the statements themselves)."""
    result = Timed()

    def count(execute: Callable[..., Any], *args: Any) -> Any:
        result.queries += 1
        return execute(*args)

    start = time.perf_counter()
    with connection.execute_wrapper(count):
        yield result
    result.seconds = time.perf_counter() - start


@dataclass
class Measure:
    """One line of the table: the runs of a measure and of its floor, in seconds."""

    name: str
    floor_name: str
    runs: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    rows: int = 0
    note: str = ""

    def add(self, run: Timed, floor: Timed) -> None:
        self.runs.append(run.seconds)
        self.floors.append(floor.seconds)
        self.queries.append(run.queries)

    def summary(self) -> dict[str, Any]:
        floor = statistics.median(self.floors)
        median = statistics.median(self.runs)
        return {
            "measure": self.name,
            "floor_name": self.floor_name,
            "runs": len(self.runs),
            "min_s": min(self.runs),
            "median_s": median,
            "max_s": max(self.runs),
            "floor_s": floor,
            "ratio": median / floor if floor else None,
            "queries": int(statistics.median(self.queries)),
            "rows": self.rows,
            "note": self.note,
        }


HEADERS = ("measure", "min", "median", "max", "floor", "ratio", "queries", "rows")


def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def table(summaries: list[dict[str, Any]]) -> str:
    """Fixed-width text: one line per measure, its floor named below it."""
    lines = []
    for s in summaries:
        ratio = "-" if s["ratio"] is None else f"{s['ratio']:.1f}x"
        lines.append(
            (
                s["measure"],
                _ms(s["min_s"]),
                _ms(s["median_s"]),
                _ms(s["max_s"]),
                _ms(s["floor_s"]),
                ratio,
                f"{s['queries']:,}",
                f"{s['rows']:,}",
            )
        )
    widths = [max(len(row[i]) for row in [HEADERS, *lines]) for i in range(len(HEADERS))]
    out = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    for s, row in zip(summaries, lines, strict=True):
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        floor = f"    floor: {s['floor_name']}"
        out.append(f"{floor}; {s['note']}" if s["note"] else floor)
    return "\n".join(out)


def report(
    *, database: str, scale: float, runs: int, measures: list[Measure], seeded: dict[str, int]
) -> dict[str, Any]:
    return {
        "database": database,
        # The machine's load while measuring: figures from a busy machine are read with it.
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "scale": scale,
        "runs": runs,
        "seeded": seeded,
        "measures": [m.summary() for m in measures],
    }
