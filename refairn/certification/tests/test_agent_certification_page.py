"""The agent's ``[Business] → Certification`` page, and the "Request support access" page it
leads to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.certification.models import Certification
from refairn.certification.tests.journeys import begin, certify, submit
from refairn.core import clock
from refairn.programs.models import Agent, Business
from refairn.support.models import SupportAccessEvent
from refairn.training.tests.pathway import Pathway, build_pathway, complete_training
from tests.support import T0, make_user, set_support_access, support_access_of

pytestmark = pytest.mark.django_db


def page(business: Business) -> str:
    return f"/b/{business.id}/certification/"


def request_url(business: Business) -> str:
    return f"/b/{business.id}/certification/support-access/"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pathway(alice: User, business_a: Business) -> Pathway:
    return build_pathway(alice, business_a, with_written_question=False)


def request_access(bob: User, business: Business) -> None:
    set_support_access(bob, "requested", business=business)


def test_a_new_agent_sees_each_track_with_its_meaning_and_retry_rules(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    response = client_for(bob).get(page(business_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Product Fundamentals" in html
    assert "Not started" in html
    assert "You have not started this track yet." in html
    assert "0 of unlimited" in html
    assert "7 days after submitting it" in html
    assert "Training is not open to you yet" in html
    assert "Request support access" in html
    assert "Take assessment" not in html
    # The status guide lists every status in plain words.
    for label in ("Awaiting manual review", "Certified", "Expired", "Revoked"):
        assert f"<dt>{label}</dt>" in html
    assert response.context["business"] == business_a  # the business nav is shown


def test_requesting_support_access_opens_training(bob: User, business_a: Business) -> None:
    client = client_for(bob)
    response = client.post(request_url(business_a))
    assert response.status_code == 302
    assert response["Location"] == request_url(business_a)
    assert support_access_of(bob, business=business_a) == "requested"
    html = client.get(request_url(business_a)).content.decode()
    assert "Support access requested" in html
    assert "Requested" in html
    assert ">Request support access</button>" not in html
    assert "Go to your training" in html


def test_requesting_twice_is_explained_and_changes_nothing(bob: User, business_a: Business) -> None:
    client = client_for(bob)
    client.post(request_url(business_a))
    events = SupportAccessEvent.objects.count()
    response = client.post(request_url(business_a), follow=True)
    assert response.status_code == 200
    assert "Support access is already requested." in response.content.decode()
    assert SupportAccessEvent.objects.count() == events


def test_staff_cannot_use_the_agent_page_or_request_access(
    alice: User, business_a: Business
) -> None:
    client = client_for(alice)
    assert client.get(page(business_a)).status_code == 403
    assert client.post(request_url(business_a)).status_code == 403
    assert not SupportAccessEvent.objects.exists()


def test_a_pending_applicant_is_refused(business_a: Business) -> None:
    applicant = make_user("pat@a.test")
    Agent.objects.create(business=business_a, user=applicant)
    assert client_for(applicant).get(page(business_a)).status_code == 403


def test_another_business_is_not_found(
    charlie: User, business_a: Business, business_b: Business
) -> None:
    client = client_for(charlie)
    assert client.get(page(business_a)).status_code == 404
    assert client.post(request_url(business_a)).status_code == 404
    assert client.get("/b/not-an-id/certification/").status_code == 404


def test_the_page_needs_a_login(business_a: Business) -> None:
    response = Client().get(page(business_a))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_completed_training_offers_the_assessment(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    request_access(bob, business_a)
    complete_training(bob, business_a, pathway)
    html = client_for(bob).get(page(business_a)).content.decode()
    assert "5 of 5 required modules complete" in html
    assert "Take assessment" in html
    assert f"/b/{business_a.id}/tracks/{pathway.track.id}/assessment/start/" in html
    assert "In progress" in html


def test_a_fail_shows_the_next_allowed_time_and_attempts_left(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    business_a.settings = {**business_a.settings, "max_attempts": 3, "retry_period_days": 5}
    business_a.save(update_fields=["settings"])
    request_access(bob, business_a)
    complete_training(bob, business_a, pathway)
    submit(begin(pathway.track, bob.id), earned=10)
    html = client_for(bob).get(page(business_a)).content.decode()
    assert "Failed" in html
    assert "You did not reach the passing score" in html
    assert "1 of 3 in this cycle" in html
    assert "(2 left)" in html
    assert "Next allowed attempt:</strong> Sat 7 Nov 2026, 09:00 UTC" in html
    assert "Retry period: you can take the assessment again from Sat 7 Nov 2026, 09:00 UTC." in html
    assert "Take assessment" not in html
    assert "Result of attempt 1" in html
    # Issue 12 item 7: an agent in New York reads the time in New York.
    bob.time_zone = "America/New_York"
    bob.save(update_fields=["time_zone"])
    html = client_for(bob).get(page(business_a)).content.decode()
    assert "Next allowed attempt:</strong> Sat 7 Nov 2026, 04:00 EST" in html
    assert "again from Sat 7 Nov 2026, 04:00 EST." in html


def test_no_attempts_left_asks_the_business_for_an_exception(
    bob: User, business_a: Business, pathway: Pathway
) -> None:
    business_a.settings = {**business_a.settings, "max_attempts": 1}
    business_a.save(update_fields=["settings"])
    request_access(bob, business_a)
    complete_training(bob, business_a, pathway)
    submit(begin(pathway.track, bob.id), earned=10)
    html = client_for(bob).get(page(business_a)).content.decode()
    assert "You have used every attempt in this cycle" in html
    assert "exception" in html


def test_a_certified_agent_sees_badge_expiry_and_renewal_window(
    alice: User, bob: User, business_a: Business, pathway: Pathway
) -> None:
    request_access(bob, business_a)
    complete_training(bob, business_a, pathway)
    certify(pathway.track, bob, alice)
    client = client_for(bob)
    html = client.get(page(business_a)).content.decode()
    certification = Certification.objects.get(track=pathway.track, agent=bob)
    assert certification.status == "certified"
    assert "Certified</strong>" in html
    assert "(earned)" in html
    assert "2 Nov 2027" in html  # expiry, a year on
    assert "From 3 Oct 2027 to 2 Nov 2027" in html
    assert "Renewal opens on Sun 3 Oct 2027, 09:00 UTC" in html
    assert "Certified Support Agent" in html
    # Inside the renewal window the assessment opens again.
    with clock.frozen(T0 + timedelta(days=340)):
        html = client.get(page(business_a)).content.decode()
    assert "open now" in html
    assert "Take assessment" in html
