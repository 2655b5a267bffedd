"""Every time on the ticket pages in the viewer's own zone, chosen on the account page (issue
12 item 7)."""

from datetime import UTC, datetime
from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.programs.models import Customer
from refairn.support.models import Unavailability
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


def in_zone(user: User, zone: str) -> User:
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    return user


def test_new_york_and_berlin_read_the_same_ticket_at_their_own_hours(
    bobs_customer: Any, dana: Any, certified_bob: Any, alice: User
) -> None:
    ticket = ticket_for(bobs_customer, dana)
    in_zone(alice, "America/New_York")
    in_zone(certified_bob, "Europe/Berlin")
    new_york = text(browser(alice).get(f"/tickets/{ticket.id}/"))
    berlin = text(browser(certified_bob).get(f"/tickets/{ticket.id}/"))
    assert "Mon 2 Nov 2026, 04:00 EST" in new_york and "CET" not in new_york
    assert "Mon 2 Nov 2026, 10:00 CET" in berlin and "EST" not in berlin
    # The machine-readable instant is the same one, with each reader's offset.
    assert 'datetime="2026-11-02T04:00:00-05:00"' in new_york
    assert 'datetime="2026-11-02T10:00:00+01:00"' in berlin


def test_a_zone_the_server_does_not_know_shows_the_page_in_utc(
    bobs_customer: Any, dana: Any, certified_bob: Any
) -> None:
    """A stored zone the host's zone database dropped (or a hand-edited row) is no 500."""
    ticket = ticket_for(bobs_customer, dana)
    User.objects.filter(pk=certified_bob.pk).update(time_zone="Mars/Olympus")
    response = browser(certified_bob).get(f"/tickets/{ticket.id}/")
    assert response.status_code == 200
    assert "Mon 2 Nov 2026, 09:00 UTC" in text(response)


def test_an_absence_is_typed_in_the_agents_zone(certified_bob: Any, business_a: Any) -> None:
    client = browser(in_zone(certified_bob, "Europe/Berlin"))
    page = f"/b/{business_a.id}/support/unavailability/"
    assert "Times are in your time zone, Europe/Berlin." in text(client.get(page))
    data = {"starts_at": "2026-11-10T09:00", "ends_at": "2026-11-17T09:00", "reason": "Travel"}
    assert client.post(page, data).status_code == 302
    saved = Unavailability.objects.get()
    assert (saved.starts_at, saved.ends_at) == (
        datetime(2026, 11, 10, 8, 0, tzinfo=UTC),
        datetime(2026, 11, 17, 8, 0, tzinfo=UTC),
    )
    assert "Tue 10 Nov 2026, 09:00 CET" in text(client.get(f"/b/{business_a.id}/support/"))


def test_a_customers_days_are_the_owners_calendar_days(alice: User, business_a: Any) -> None:
    client = browser(in_zone(alice, "America/New_York"))
    data = {"name": "Fabrikam", "tier": "standard", "monthly_value": "10", "subscribed_at": ""}
    response = client.post(
        f"/b/{business_a.id}/customers/", {**data, "subscribed_at": "2026-10-01"}
    )
    assert response.status_code == 302
    customer = Customer.objects.get(name="Fabrikam")
    # Midnight in New York (daylight saving time, UTC-4), not midnight UTC.
    assert customer.subscribed_at == datetime(2026, 10, 1, 4, 0, tzinfo=UTC)
    response = client.post(
        f"/b/{business_a.id}/customers/{customer.id}/cancel/", {"at": "2026-10-20"}
    )
    assert response.status_code == 302, text(response)
    customer.refresh_from_db()
    assert customer.cancelled_at == datetime(2026, 10, 20, 4, 0, tzinfo=UTC)
