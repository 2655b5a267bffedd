"""Browser journeys: Playwright (Python) driving Debian's headless Chromium against a live server.

Chromium is never downloaded by Playwright here: the tests use the system's binary
(``/usr/bin/chromium``, or ``REFAIRN_CHROMIUM``) and skip with instructions when it is missing.
Screenshots of every step go to ``artifacts/screenshots/<journey>/`` (printed at the end).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the Django calls the tests make
# (fixtures, assertions on the database) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("REFAIRN_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(
    os.environ.get("REFAIRN_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts")
)
SCREENSHOTS = ARTIFACTS / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
# The sizes issue 12's journeys are photographed at.
JOURNEY_DESKTOP = {"width": 1366, "height": 900}
JOURNEY_PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Chromium at {CHROMIUM}: install it with "
        "`sudo apt-get install chromium` (Debian) or set REFAIRN_CHROMIUM=/path/to/chromium",
        allow_module_level=True,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Journey:
    """A page plus numbered screenshots under artifacts/screenshots/<name>/."""

    def __init__(self, page: Any, base_url: str, name: str) -> None:
        self.page, self.base_url, self.step = page, base_url, 0
        # What the browser refused under the Content-Security-Policy, and uncaught script
        # errors: a journey fails on either (the pages carry no inline script or style).
        self.problems: list[str] = []
        page.on(
            "console",
            lambda message: (
                self.problems.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def settle(self) -> None:
        """Wait until the page the last click led to has loaded and its scripts (htmx, the
        countdown) have run. Playwright acts as soon as an element exists; a step that relies on
        a script, such as htmx saving an answer, must not act before that script is there."""
        self.page.wait_for_load_state("load")

    def shot(self, label: str) -> None:
        self.step += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.page.screenshot(path=str(self.folder / f"{self.step:02d}-{slug}.png"), full_page=True)

    def both_sizes(self, label: str) -> None:
        """A screenshot at issue 12's desktop and phone sizes; the page stays at desktop size."""
        self.page.set_viewport_size(JOURNEY_DESKTOP)
        self.shot(label)
        self.page.set_viewport_size(JOURNEY_PHONE)
        self.shot(f"{label} on a phone")
        self.page.set_viewport_size(JOURNEY_DESKTOP)

    def login(self, email: str, password: str) -> None:
        self.go("/login/")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(re.compile(r".*/$"))


@pytest.fixture(scope="session")
def one_request_at_a_time(django_db_setup: Any) -> Iterator[None]:
    """On the in-memory SQLite test database, the live server's request threads all share one
    connection (Django passes it to them); two requests at once, such as the work queue's htmx
    count and the next page, then collide on it and one answers 500 now and then. Serving one
    request at a time there removes that artefact of the test set-up; PostgreSQL keeps the
    threaded server, with a connection per thread as in production."""
    from django.core.servers.basehttp import WSGIServer
    from django.db import connection
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        # The server thread itself already uses the shared connection (LiveServerThread.run).
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        LiveServerThread.server_class = OneAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture
def journey(
    browser: Any, one_request_at_a_time: None, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Journey]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    journey = Journey(page, live_server.url, request.node.name.removeprefix("test_"))
    yield journey
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:  # the page as the failing step left it
        journey.shot("failed here")
    context.close()
    assert not journey.problems, "\n".join(journey.problems)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SCREENSHOTS.exists():
        terminalreporter.write_line(f"Browser journey screenshots: {SCREENSHOTS}")
