from typing import Any

import pytest
from django.test import Client

from refairn.programs.models import Business
from refairn.programs.settings_sections import sections

pytestmark = pytest.mark.django_db


def page(business: Any) -> str:
    return f"/b/{business.id}/settings/"


@pytest.fixture
def owner_client(alice: Any) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def form_data(business: Business, **changes: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for section in sections():
        assert section.form is not None
        initial |= section.form.initial_from(business.settings, business.id)
    data = {k: v for k, v in initial.items() if v is not None and v is not False}
    data["bh_weekdays"] = [str(d) for d in initial["bh_weekdays"]]
    data["bh_holidays"] = ""
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_shows_every_section(owner_client: Client, business_a: Any) -> None:
    response = owner_client.get(page(business_a))
    assert response.status_code == 200
    for legend in (
        b"Program",
        b"Training",
        b"Certification",
        b"Support",
        b"Commissions",
        b"Reports",
    ):
        assert legend in response.content


def test_saving_changes_the_settings(owner_client: Client, business_a: Any) -> None:
    data = form_data(
        business_a,
        retry_period_days=3,
        use_business_hours="on",
        bh_timezone="Europe/Berlin",
        bh_start="08:00",
        bh_end="16:00",
        bh_holidays="2026-12-25\n2026-12-26",
        support_terms_kind="percent",
        support_terms_value="7.5",
        premium_first_response_hours="",
        premium_resolution_hours="",
    )
    response = owner_client.post(page(business_a), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    business_a.refresh_from_db()
    settings = business_a.settings
    assert settings["retry_period_days"] == 3
    assert settings["sla"]["business_hours"]["holidays"] == ["2026-12-25", "2026-12-26"]
    assert settings["support_terms"] == {"monthly_amount": None, "monthly_percent": "7.5"}
    assert settings["sla"]["tiers"] == {}


def test_a_cross_field_error_is_shown_at_its_field_and_nothing_saved(
    owner_client: Client, business_a: Any
) -> None:
    before = Business.objects.get(pk=business_a.pk).settings
    response = owner_client.post(
        page(business_a), form_data(business_a, warning_threshold=6, review_threshold=5)
    )
    assert response.status_code == 422
    support = dict(response.context["sections"])["Support"]
    assert "review_threshold" in support.errors
    assert Business.objects.get(pk=business_a.pk).settings == before


def test_an_unknown_time_zone_is_shown_at_its_field(owner_client: Client, business_a: Any) -> None:
    response = owner_client.post(
        page(business_a),
        form_data(
            business_a,
            use_business_hours="on",
            bh_timezone="Mars/Base",
            bh_start="09:00",
            bh_end="17:00",
        ),
    )
    assert response.status_code == 422
    support = dict(response.context["sections"])["Support"]
    assert "IANA time zone" in support.errors["bh_timezone"][0]


def test_agents_cannot_open_settings(bob: Any, business_a: Any) -> None:
    client = Client()
    client.force_login(bob)
    assert client.get(page(business_a)).status_code == 403


def test_other_tenants_get_404(charlie: Any, business_a: Any) -> None:
    client = Client()
    client.force_login(charlie)
    assert client.get(page(business_a)).status_code == 404
