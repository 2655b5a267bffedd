"""Issue 17: a served process exempts what it loaded at start from the garbage collector's
full passes (``refairn.core.heap``), which otherwise walk it all: the p99 of ticket creation."""

from __future__ import annotations

import os
import subprocess
import sys

_PROBE = """
import gc
import refairn.wsgi
gc.collect()
print(gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_the_web_process_settles_what_it_loaded() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "refairn.settings"}
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout
    frozen, walked = out.split()
    # Django, the apps and every view the URLs import: over 100,000 objects, left for
    # a full pass to walk: a few hundred.
    assert int(frozen) > 100_000
    assert int(walked) < 1_000
