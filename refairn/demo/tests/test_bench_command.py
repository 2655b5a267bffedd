"""``refairn bench`` at a tiny scale (issue 17): the table and the JSON have their shape, and
the benchmark's database is gone afterwards. Timings are never asserted (STYLE.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

HEADERS = ("measure", "min", "median", "max", "floor", "ratio", "queries", "rows")
MEASURES = [
    "ticket list, page of 100",
    "workspace, 50 customers, 300 tickets",
    "SLA sweep, 200 open, 1% due",
    "SLA sweep, 2,000 open, 1% due",
    "ticket create, routing p50",
    "ticket create, routing p99",
    "dashboard, 80 agents",
    "dashboard, 1 of 3 businesses (280 agents)",
    "commission run",
    "commission rerun (no-op)",
]
FIELDS = {
    "measure",
    "floor_name",
    "runs",
    "min_s",
    "median_s",
    "max_s",
    "floor_s",
    "ratio",
    "queries",
    "rows",
    "note",
}


# Run in a directory outside the checkout, with every module an installed package lacks refused:
# the repository's ``bench`` scripts and any ``tests`` package (the wheel leaves them out).
_AS_INSTALLED = """
import sys


class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        parts = name.split(".")
        if parts[0] == "bench" or "tests" in parts:
            raise ModuleNotFoundError(f"{name} is not in the installed package", name=name)
        return None


sys.meta_path.insert(0, _NotInstalled())
from refairn.cli import main

sys.exit(main(["refairn", *sys.argv[1:]]))
"""


@pytest.mark.django_db
def test_the_benchmark_prints_one_table_and_writes_the_json(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    # Its own process, as an operator runs it from the installed package (it once imported
    # the repository's bench/dashboard.py and the report tests' row writers): the benchmark
    # creates and drops a database on the server the suite uses (or a SQLite file), never
    # the suite's test database.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "refairn.settings"}
    env["REFAIRN_DATA_DIR"] = str(tmp_path)
    env.pop("PYTHONPATH", None)
    argv = ["bench", "--scale", "tiny", "--runs", "3", "--json", str(figures)]
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-c", _AS_INSTALLED, *argv],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("measure "))
    assert tuple(header.split()) == HEADERS
    for measure in MEASURES:
        assert any(line.startswith(measure + " ") for line in lines), done.stdout
    assert "seeding customers: 200/200" in done.stdout.replace("\r", "\n")

    report = json.loads(figures.read_text())
    assert report["runs"] == 3 and report["scale"] == 0.002
    assert len(report["load_average"]) == 3
    assert report["database"] == connection.vendor
    assert [m["measure"] for m in report["measures"]] == MEASURES
    for measure in report["measures"]:
        assert set(measure) == FIELDS
        assert measure["runs"] == 3
        assert measure["min_s"] <= measure["median_s"] <= measure["max_s"]
        assert measure["floor_s"] > 0 and measure["ratio"] > 0
    by_name = {measure["measure"]: measure for measure in report["measures"]}
    first_run, rerun = by_name["commission run"], by_name["commission rerun (no-op)"]
    assert first_run["note"] == "same rows and sums per kind"
    assert first_run["rows"] > 0 and rerun["rows"] == 0
    # Each sweep raised the flags its floor computed: 1% of the open tickets.
    small, large = by_name["SLA sweep, 200 open, 1% due"], by_name["SLA sweep, 2,000 open, 1% due"]
    assert (small["rows"], large["rows"]) == (2, 20)
    assert small["note"] == large["note"] == "same flag count"
    # Routing chose the agent the SQL pick names, every time.
    assert by_name["ticket create, routing p50"]["note"].endswith("SQL pick agreed 60/60")
    assert by_name["ticket list, page of 100"]["rows"] == 100

    # "<vendor> database <name>, scale ...": that database no longer exists.
    name = lines[0].split(" database ", 1)[1].split(",", 1)[0]
    if connection.vendor == "sqlite":
        assert not Path(name).exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            assert cursor.fetchone() is None
