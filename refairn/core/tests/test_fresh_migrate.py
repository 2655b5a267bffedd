"""Issue 11: ``refairn migrate`` on a fresh database with the test clock on (an outside suite
starting a server this way used to stop at "no such table: core_testclock")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def test_a_fresh_database_migrates_with_the_test_clock_on(tmp_path: Any) -> None:
    env = {**os.environ, "REFAIRN_DATA_DIR": str(tmp_path), "REFAIRN_TEST_CLOCK": "1"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    refairn = Path(sys.executable).with_name("refairn")
    result = subprocess.run(  # noqa: S603 - our own command, fixed argv
        [str(refairn), "migrate"], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Applying core.0001_initial... OK" in result.stdout
