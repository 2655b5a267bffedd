"""A business owner changes program settings, meets a validation error in the form, fixes it."""

from typing import Any

import pytest

from refairn.programs.models import Business
from tests.support import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_business_changes_settings_with_a_validation_error(journey: Any) -> None:
    from playwright.sync_api import expect

    owner = make_user("owner@shop.test", "Olivia Owner")
    page = journey.page

    journey.login("owner@shop.test", "a-long-test-password")
    page.get_by_text("Olivia Owner").click()  # the account menu
    page.get_by_role("link", name="Create business").click()
    page.get_by_label("Business name").fill("Northwind Support")
    page.get_by_role("button", name="Create business").click()
    expect(page.get_by_role("heading", name="Northwind Support")).to_be_visible()
    journey.shot("business created")

    page.get_by_role("link", name="Program settings").click()
    expect(page.get_by_role("heading", name="Program settings")).to_be_visible()
    page.get_by_label("Overdue flags in 30 days before a warning").fill("6")
    page.get_by_label("Overdue flags in 30 days before a review").fill("4")
    page.get_by_label("Retry period (days)").fill("3")
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    expect(page.locator(".field.invalid")).to_contain_text("must be at least the warning threshold")
    journey.shot("validation error shown")
    business = Business.objects.get(name="Northwind Support")
    assert business.settings["retry_period_days"] == 7  # nothing written

    page.get_by_label("Overdue flags in 30 days before a review").fill("8")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    journey.shot("settings saved")
    business.refresh_from_db()
    assert business.settings["retry_period_days"] == 3
    assert business.settings["sla_policy"] == {"warning_threshold": 6, "review_threshold": 8}
    assert owner.is_active
