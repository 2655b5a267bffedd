"""Every time on the ticket pages in the viewer's own zone, chosen on the account page (issue
12 item 7)."""

from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.support.tests.pages import browser, text, ticket_for

pytestmark = pytest.mark.django_db


def test_a_viewer_picks_a_time_zone_and_the_ticket_page_follows(
    bobs_customer: Any, dana: Any, certified_bob: Any
) -> None:
    ticket = ticket_for(bobs_customer, dana)
    agent = browser(certified_bob)
    assert "Mon 2 Nov 2026, 09:00 UTC" in text(agent.get(f"/tickets/{ticket.id}/"))
    response = agent.post("/account/time-zone/", {"time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    assert User.objects.get(pk=certified_bob.pk).time_zone == "Europe/Berlin"
    shown = text(agent.get(f"/tickets/{ticket.id}/"))
    assert "Mon 2 Nov 2026, 10:00 CET" in shown
    assert "09:00 UTC" not in shown
    # Another viewer of the same ticket still reads their own zone.
    assert "Mon 2 Nov 2026, 09:00 UTC" in text(browser(dana).get(f"/tickets/{ticket.id}/"))
    workspace = text(agent.get(f"/b/{ticket.business_id}/support/"))
    assert "Tue 3 Nov 2026, 10:00 CET" in workspace


def test_an_unknown_time_zone_is_refused_on_the_field(certified_bob: Any) -> None:
    response = browser(certified_bob).post("/account/time-zone/", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert response.context["form"].errors["time_zone"]
    assert User.objects.get(pk=certified_bob.pk).time_zone == "UTC"


def test_the_staff_ticket_list_reads_in_the_owners_zone(
    bobs_customer: Any, dana: Any, alice: User
) -> None:
    ticket = ticket_for(bobs_customer, dana)
    alice.time_zone = "America/New_York"
    alice.save(update_fields=["time_zone"])
    shown = text(browser(alice).get(f"/b/{ticket.business_id}/tickets/"))
    assert "Mon 2 Nov 2026, 04:00 EST" in shown
    assert "2026-11-02 09:00" not in shown
