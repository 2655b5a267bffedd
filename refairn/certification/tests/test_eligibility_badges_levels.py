"""The reads other apps build on: support eligibility, badges, partner businesses, levels."""

from datetime import timedelta
from typing import Any

import pytest

from refairn.certification.selectors import agent_levels_for, badges_for_agent
from refairn.certification.services import certification_revoke, certifications_expire_due
from refairn.certification.tests.journeys import as_actor, certify, make_track, set_settings
from refairn.core import clock
from refairn.programs.models import Agent
from refairn.support.domain.eligibility import IneligibleReason
from refairn.support.selectors import (
    support_eligibility_for,
    support_eligibility_map,
    support_partner_business_ids,
)
from tests.support import T0, make_user, set_support_access

pytestmark = pytest.mark.django_db

R = IneligibleReason


def test_certified_in_every_required_track_with_active_access_is_a_certified_support_agent(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    make_track(business_a, alice, "Billing", requirement="optional")
    before = support_eligibility_for(business=business_a, agent_id=bob.id, now=T0)
    assert before.reasons == (R.SUPPORT_ACCESS_NOT_ACTIVE, R.NOT_CERTIFIED)
    certify(track, bob, alice)  # activates access (PRODUCT.md §5)
    after = support_eligibility_for(business=business_a, agent_id=bob.id, now=T0)
    assert after.is_certified_support_agent and after.can_receive_tickets


def test_the_support_track_setting_overrides_required_tracks(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    billing = make_track(business_a, alice, "Billing", requirement="optional")
    set_support_access(bob, "active")
    certify(billing, bob, alice)
    assert support_eligibility_for(business=business_a, agent_id=bob.id, now=T0).reasons == (
        R.NOT_CERTIFIED,
    )
    set_settings(business_a, support_track_ids=[str(billing.id)])
    assert support_eligibility_for(business=business_a, agent_id=bob.id, now=T0).reasons == ()


def test_an_expired_support_track_keeps_tickets_unless_security_critical(
    bob: Any, alice: Any, business_a: Any, track: Any
) -> None:
    security = make_track(
        business_a, alice, "Security", security_critical=True, recertification_months=6
    )
    certify(track, bob, alice)
    with clock.frozen(T0 + timedelta(days=100)):
        certify(security, bob, alice)  # expires in month 9, Fundamentals in month 12
    set_settings(business_a, support_track_ids=[str(track.id)])
    with clock.frozen(T0 + timedelta(days=300)):
        certifications_expire_due()
        critical = support_eligibility_for(business=business_a, agent_id=bob.id, now=clock.now())
    # Issue 11 item 1: a lapsed security-critical track restricts support whatever
    # support_track_ids says.
    assert critical.reasons == (R.SECURITY_CERTIFICATION_LAPSED,)
    assert not critical.can_be_assigned_new_customers
    assert not critical.can_receive_tickets
    with clock.frozen(T0 + timedelta(days=310)):
        certify(security, bob, alice)  # renewed
    with clock.frozen(T0 + timedelta(days=400)):
        certifications_expire_due()
        lapsed = support_eligibility_for(business=business_a, agent_id=bob.id, now=clock.now())
    assert lapsed.reasons == (R.CERTIFICATION_EXPIRED,)
    assert not lapsed.can_be_assigned_new_customers
    assert lapsed.can_receive_tickets  # keeps current customers and their tickets


def test_eligibility_for_many_agents_is_bounded(
    alice: Any, business_a: Any, track: Any, django_assert_max_num_queries: Any
) -> None:
    agents = []
    for n in range(6):
        agent = make_user(f"agent{n}@a.test")
        Agent.objects.create(business=business_a, user=agent, status="approved")
        certify(track, agent, alice)
        agents.append(agent.id)
    outsider = make_user("outsider@x.test")
    with django_assert_max_num_queries(4):
        result = support_eligibility_map(
            business=business_a, agent_ids=[*agents, outsider.id], now=T0
        )
    assert all(result[a].is_certified_support_agent for a in agents)
    assert R.SUPPORT_ACCESS_NOT_ACTIVE in result[outsider.id].reasons


def test_badges_show_certified_unexpired_tracks_across_businesses(
    bob: Any, alice: Any, charlie: Any, business_a: Any, business_b: Any, track: Any
) -> None:
    theirs = make_track(
        business_b,
        charlie,
        "Security",
        badge_name="Security Certified",
        badge_icon="🔒",
        recertification_months=1,
    )
    Agent.objects.create(business=business_b, user=bob, status="approved")
    certify(track, bob, alice)
    certify(theirs, bob, charlie)
    badges = {b["name"]: b for b in badges_for_agent(agent_id=bob.id, now=T0)}
    assert badges["Fundamentals"] == {
        "business_id": business_a.id,
        "track_id": track.id,
        "name": "Fundamentals",
        "icon": "📘",
        "expires_at": T0.replace(year=2027),
    }
    assert badges["Security Certified"]["business_id"] == business_b.id
    later = T0 + timedelta(days=40)
    assert [b["name"] for b in badges_for_agent(agent_id=bob.id, now=later)] == ["Fundamentals"]
    certification_revoke(
        actor=as_actor(alice, business_a), agent_id=bob.id, track_id=track.id, reason="x"
    )
    assert [b["name"] for b in badges_for_agent(agent_id=bob.id, now=T0)] == ["Security Certified"]


def test_support_partner_businesses(
    bob: Any, alice: Any, charlie: Any, business_a: Any, business_b: Any, track: Any
) -> None:
    theirs = make_track(business_b, charlie, "Security")
    Agent.objects.create(business=business_b, user=bob, status="approved")
    assert support_partner_business_ids(agent_id=bob.id, now=T0) == []
    certify(track, bob, alice)
    certify(theirs, bob, charlie)
    assert set(support_partner_business_ids(agent_id=bob.id, now=T0)) == {
        business_a.id,
        business_b.id,
    }
    set_support_access(bob, "suspended", business=business_b)
    assert support_partner_business_ids(agent_id=bob.id, now=T0) == [business_a.id]


@pytest.mark.parametrize(
    ("certified", "level"),
    [
        (4, "master"),
        (3, "strong"),
        (2, "developing"),
        (1, "needs_attention"),
        (0, "needs_attention"),
    ],
)
def test_levels_count_certified_unexpired_tracks(
    bob: Any, alice: Any, business_a: Any, certified: int, level: str
) -> None:
    tracks = [make_track(business_a, alice, f"T{n}") for n in range(4)]
    for track in tracks[:certified]:
        certify(track, bob, alice)
    assert agent_levels_for(business=business_a, agent_ids=[bob.id], now=T0) == {bob.id: level}
    expired_later = agent_levels_for(
        business=business_a, agent_ids=[bob.id], now=T0 + timedelta(days=400)
    )
    assert expired_later == {bob.id: "needs_attention"}
