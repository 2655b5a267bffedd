"""Issue 12, joining from the browser alone: a brand-new business invites a reviewer by e-mail
(an address with no account yet) and shares its agent invite link; both people sign up through
their links and the owner approves the agent from the People page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from refairn.programs.models import Agent, Business, StaffMembership
from tests.browser.conftest import DESKTOP, PHONE
from tests.support import make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"  # the one make_user gives every test user
NEW_PASSWORD = "a fresh password 2026"


def test_a_new_business_gets_a_reviewer_and_an_agent_in(journey: Any, settings: Any) -> None:
    from playwright.sync_api import expect

    make_user("olivia@northwind.test", "Olivia Owner")
    page = journey.page

    def log_out() -> None:
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/login/")

    def sign_up(name: str, email: str | None = None) -> None:
        page.get_by_role("link", name=re.compile("Create an account")).click()
        if email is not None:  # an invitation fills in its address itself
            page.get_by_label("Email").fill(email)
        page.get_by_label("Name").fill(name)
        page.get_by_label("Password").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        journey.settle()

    # The owner creates the business and opens its People page.
    journey.login("olivia@northwind.test", PASSWORD)
    page.get_by_text("Olivia Owner").click()  # the account menu
    page.get_by_role("link", name="Create business").click()
    page.get_by_label("Business name").fill("Northwind Support")
    page.get_by_role("button", name=re.compile("Create")).click()
    expect(page.get_by_role("status")).to_contain_text("You are its owner")
    page.get_by_role("link", name="People").first.click()
    join_link = page.get_by_test_id("join-link").input_value()
    business = Business.objects.get(name="Northwind Support")
    assert join_link.endswith(f"/join/{business.join_token}/")

    # A reviewer who has no account yet is invited by e-mail.
    page.get_by_label("E-mail address", exact=True).fill("rita@reviewers.test")
    page.get_by_label("Role").select_option("reviewer")
    page.get_by_role("button", name="Send invitation").first.click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to rita@reviewers.test")
    journey.shot("owner invites a reviewer")
    invitation = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    log_out()

    journey.go(invitation.removeprefix(settings.REFAIRN_PUBLIC_URL))
    journey.shot("the reviewer opens the invitation")
    sign_up("Rita Reviewer")
    expect(page.get_by_label("Email")).to_have_count(0)  # back on the invitation, signed in
    page.get_by_role("button", name=re.compile("Accept as")).click()
    expect(page.get_by_role("status")).to_contain_text("Welcome to Northwind Support")
    journey.shot("the reviewer is in")
    assert StaffMembership.objects.filter(
        business=business, user__email="rita@reviewers.test", role="reviewer"
    ).exists()
    log_out()

    # An agent follows the invite link, signs up and applies.
    page.set_viewport_size(PHONE)
    journey.go(join_link.removeprefix(settings.REFAIRN_PUBLIC_URL))
    journey.shot("the agent opens the invite link on a phone")
    page.set_viewport_size(DESKTOP)
    sign_up("Sam Agent", "sam@agents.test")
    page.get_by_role("button", name=re.compile("Apply as")).click()
    expect(page.get_by_role("status")).to_contain_text("You applied to Northwind Support")
    log_out()

    # The owner approves the application from the People page.
    journey.login("olivia@northwind.test", PASSWORD)
    page.get_by_role("link", name="Northwind Support").first.click()
    page.get_by_role("link", name="People").first.click()
    page.get_by_role("button", name="Approve Sam Agent").click()
    expect(page.get_by_role("status")).to_contain_text("is now an approved agent")
    journey.shot("the owner approved the agent")
    assert Agent.objects.get(business=business, user__name="Sam Agent").status == "approved"
