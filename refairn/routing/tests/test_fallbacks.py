"""Issue 11 item 13 through the API: the seed's fallbacks as it words them. The VIP fallback
picks the highest-certified available agent; the billing fallback leaves a visible
``flagged_for_review`` on the ticket (API and staff page); fallback notices name tracks,
never ids."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.notifications.models import Notification
from refairn.routing.tests.conftest import Program
from refairn.support.tests.conftest import open_ticket
from tests.support import ApiClient

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-")


def test_the_vip_fallback_routes_to_the_highest_certified_available_agent(
    as_alice: ApiClient, alice: User, program: Program, standard_rules: Any
) -> None:
    program.agent("fund", name="Free Generalist")
    expert = program.agent("fund", "adv", "bill", "deesc", name="Expert")
    program.agent("fund", "adv", name="Middle")
    program.agent("fund", "adv", "bill", "sec", "deesc", "cs", name="Away CSM", eligible=False)
    program.busy(expert, tickets=3)

    ticket = open_ticket(as_alice, program.customer(tier="enterprise"))
    assert ticket["assigned_agent_id"] == str(expert.id)
    assert ticket["routing"]["fallback"] == "highest_certified"
    assert ticket["flagged_for_review"] is False
    [notice] = Notification.objects.filter(user=alice, kind="routing_fallback")
    assert "no eligible agent certified in Customer Success" in notice.text
    assert "highest-certified of 3" in notice.text
    assert not UUID.search(notice.text)


def test_the_billing_fallback_flags_the_ticket_for_review_on_the_api_and_the_staff_page(
    as_alice: ApiClient, alice: User, program: Program, standard_rules: Any
) -> None:
    generalist = program.agent("fund", name="Gene")
    flagged = open_ticket(as_alice, program.customer(), tags=["invoice"])
    assert flagged["assigned_agent_id"] == str(generalist.id)
    assert flagged["flagged_for_review"] is True
    assert as_alice.get(f"/tickets/{flagged['id']}").body["flagged_for_review"] is True
    assert "Product Fundamentals" in flagged["routing"]["reason"]
    assert not UUID.search(flagged["routing"]["reason"])

    page = Client()
    page.force_login(alice)
    html = page.get(f"/tickets/{flagged['id']}/").content.decode()
    assert "Flagged for specialist review" in html
    assert "Billing Issues" in html

    specialist = program.agent("fund", "bill", name="Bill")
    routine = open_ticket(as_alice, program.customer(), tags=["invoice"])
    assert routine["assigned_agent_id"] == str(specialist.id)
    assert routine["flagged_for_review"] is False
    assert (
        "Flagged for specialist review"
        not in page.get(f"/tickets/{routine['id']}/").content.decode()
    )


def test_every_fallback_notice_names_tracks_never_ids(
    as_alice: ApiClient, alice: User, program: Program, standard_rules: Any
) -> None:
    program.agent("fund", name="Gene")
    open_ticket(as_alice, program.customer(), tags=["api"])
    open_ticket(as_alice, program.customer(), priority="P1")
    notices = list(Notification.objects.filter(user=alice, kind="routing_fallback"))
    assert len(notices) == 2
    assert "certified in Advanced Troubleshooting" in notices[0].text
    assert "with base track 'Product Fundamentals'" in notices[0].text
    for notice in notices:
        assert not UUID.search(notice.text), notice.text
