"""Issue 12 item 3: the work queue clears as each item is decided. The owner's program home
lists an application, a pass awaiting approval and an open performance review, with the count
in the navigation; the owner follows each link, decides, and comes back to a shorter queue,
until nothing waits. Screenshots at desktop and phone sizes; the accessibility checks pass on
the home at each step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from refairn.certification.models import Certification
from refairn.programs.models import Agent
from refairn.programs.services import business_create
from refairn.support.models import PerformanceReview
from refairn.support.tests.conftest import support_track
from tests.browser.conftest import JOURNEY_DESKTOP as DESKTOP
from tests.browser.conftest import JOURNEY_PHONE as PHONE
from tests.support import T0, make_user, set_support_access

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"  # tests.support.make_user's
CHECKS = (Path(__file__).parent / "accessibility.js").read_text()


def test_the_work_queue_clears_as_each_item_is_decided(journey: Any) -> None:
    from playwright.sync_api import expect

    owner = make_user("olivia@northwind.test", "Olivia Owner")
    business = business_create(user=owner, name="Northwind Support")
    track = support_track(business)
    pat = make_user("pat@agents.test", "Pat Applicant")
    Agent.objects.create(business=business, user=pat, status="pending")
    sam = make_user("sam@agents.test", "Sam Agent")
    Agent.objects.create(business=business, user=sam, status="approved")
    set_support_access(sam, "active", business=business)
    Certification.objects.create(business=business, track=track, agent=sam, status="passed")
    PerformanceReview.objects.create(business=business, agent=sam, opened_at=T0)

    page = journey.page
    home = f"/b/{business.id}/"
    queue = page.locator("#work-queue")

    def count_of(kind: str) -> Any:
        return queue.locator(f".queue-{kind} .badge")

    def check_home(label: str) -> None:
        journey.go(home)
        journey.settle()
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            journey.shot(f"{label} {size}")
            assert page.evaluate(CHECKS) == [], label
        page.set_viewport_size(DESKTOP)

    journey.login("olivia@northwind.test", PASSWORD)
    check_home("three items wait")
    expect(page.locator(".queue-link .badge")).to_have_text("3")
    expect(count_of("applications")).to_have_text("1")

    # The application, decided on the agents page the queue links to.
    queue.get_by_role("link", name="Applications").click()
    page.get_by_label("Decision", exact=True).select_option("approve")
    page.get_by_role("button", name="Send the decision on Pat Applicant").click()
    expect(page.get_by_role("status")).to_contain_text("application was approved")
    check_home("the application is decided")
    expect(count_of("applications")).to_have_text("0")
    expect(page.locator(".queue-link .badge")).to_have_text("2")

    # The pass, approved on its certification page.
    queue.get_by_role("link", name="Sam Agent · Support Fundamentals").click()
    page.get_by_role("button", name="Approve").click()
    journey.settle()
    check_home("the pass is approved")
    expect(count_of("approvals")).to_have_text("0")

    # The performance review, decided on the agent's page.
    queue.get_by_role("link", name="Sam Agent").click()
    page.get_by_label("Outcome", exact=True).select_option("keep")
    page.get_by_label("Reason").last.fill("Two late replies during a holiday; back on track.")
    page.get_by_role("button", name="Decide the review").click()
    journey.settle()
    check_home("nothing waits")
    expect(queue).to_contain_text("Nothing waits on you.")
    expect(page.locator(".queue-link .badge")).to_have_count(0)
    assert PerformanceReview.objects.get().status == "kept"
    assert Certification.objects.get().status == "certified"

    # Issue 12 item 11: on a phone the agents list keeps the name, level and support access
    # in view; the per-track columns step aside.
    page.set_viewport_size(PHONE)
    journey.go(f"/b/{business.id}/agents/")
    journey.settle()
    matrix = page.locator("table.matrix")
    expect(matrix.get_by_role("columnheader", name="Support Fundamentals")).to_be_hidden()
    expect(matrix.get_by_role("columnheader", name="Level")).to_be_visible()
    expect(matrix.get_by_role("columnheader", name="Support access")).to_be_visible()
    journey.shot("agents list phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(CHECKS) == []
