"""Issue 12 item 5 in the browser: a track goes draft → published → edited → archived, and the
dashboard's "fully certified" figure is unchanged by the draft (and by the archived track).
Screenshots at desktop (1366×900) and phone (390×844) sizes; the track pages pass the
accessibility checks at phone width."""

from __future__ import annotations

import re
from typing import Any

import pytest

from refairn.certification.tests.journeys import certify, make_track
from refairn.programs.models import Agent
from refairn.programs.services import business_create
from refairn.training.models import Module, Track
from tests.browser.conftest import JOURNEY_DESKTOP as DESKTOP
from tests.browser.conftest import JOURNEY_PHONE as PHONE
from tests.browser.test_accessibility import CHECKS
from tests.support import T0, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"  # the one make_user gives every test user


def test_a_track_goes_from_draft_to_archived_without_moving_the_dashboard(journey: Any) -> None:
    from playwright.sync_api import expect

    owner = make_user("olivia@northwind.test", "Olivia Owner")
    sam = make_user("sam@agents.test", "Sam Agent")
    business = business_create(user=owner, name="Northwind Support")
    Agent.objects.create(business=business, user=sam, status="approved", decided_at=T0)
    fundamentals = make_track(business, owner)
    certify(fundamentals, sam, owner)

    page = journey.page
    page.set_viewport_size(DESKTOP)
    b = f"/b/{business.id}"

    def fully_certified() -> str:
        journey.go(f"{b}/dashboard/")
        tile = page.locator(".tile", has_text="fully certified")
        return " ".join(tile.inner_text().split())

    def check_accessibility(label: str) -> None:
        page.set_viewport_size(PHONE)
        journey.shot(f"{label} on a phone")
        problems = page.evaluate(CHECKS)
        assert not problems, f"{label}: {problems}"
        page.set_viewport_size(DESKTOP)

    journey.login("olivia@northwind.test", PASSWORD)
    before = fully_certified()
    assert before.startswith("1 fully certified")
    journey.shot("the dashboard before")

    # A new required track starts as a draft: the dashboard does not move.
    journey.go(f"{b}/tracks/")
    page.get_by_label("Name", exact=True).fill("Returns Handling")
    page.get_by_label("Requirement").select_option("required")
    page.get_by_label("Passing score").fill("80")
    page.get_by_label(re.compile("Recertification")).fill("12")
    page.get_by_role("button", name="Create track").click()
    expect(page.get_by_role("status")).to_contain_text("created as a draft")
    journey.shot("a new track is a draft")
    check_accessibility("the draft track")
    track = Track.objects.get(name="Returns Handling")
    assert track.status == "draft"
    assert fully_certified() == before
    journey.shot("the dashboard ignores the draft")

    # Edited while a draft: a module, added as a draft and published.
    journey.go(f"{b}/tracks/{track.id}/")
    page.locator("summary", has_text="Video").click()
    page.get_by_label("Title").first.fill("Returns walkthrough")
    page.get_by_label(re.compile("Duration")).first.fill("120")
    page.get_by_role("button", name="Add video module").click()
    expect(page.get_by_role("status")).to_contain_text("added as a draft")
    page.get_by_role("button", name="Publish Returns walkthrough").click()
    expect(page.get_by_role("status")).to_contain_text("“Returns walkthrough” published.")
    assert Module.objects.get(track=track).status == "published"

    # Published: agents see it, and the dashboard counts it (Sam does not hold it yet).
    page.get_by_role("button", name="Publish track").click()
    expect(page.get_by_role("status")).to_contain_text("published: agents see it")
    journey.shot("the track is published")
    check_accessibility("the published track")
    assert fully_certified().startswith("0 fully certified")
    journey.shot("the dashboard counts the published track")

    # Edited once published: reordered to the top of the list.
    journey.go(f"{b}/tracks/")
    page.get_by_role("button", name="Move Returns Handling up").click()
    expect(page.get_by_role("status")).to_contain_text("moved up")
    first_row = page.locator("tbody tr").first
    expect(first_row).to_contain_text("Returns Handling")
    journey.shot("the track list reordered")
    check_accessibility("the track list")

    # Archived: gone from agents and from the dashboard again.
    journey.go(f"{b}/tracks/{track.id}/")
    page.get_by_role("button", name="Archive track").click()
    expect(page.get_by_role("status")).to_contain_text("archived")
    journey.shot("the track is archived")
    assert fully_certified() == before
    page.set_viewport_size(PHONE)
    journey.shot("the dashboard after archiving on a phone")
