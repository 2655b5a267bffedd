"""The business workspace's main pages as the owner sees them, with a program in full swing:
tracks, a track, the agent matrix, one agent and one certification, the review queue,
customers (with a refused assignment), tickets, routing, commissions and the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.assessments import services as assessments
from refairn.assessments.domain import QuestionType
from refairn.assessments.selectors import shown_question
from refairn.certification import services as certification_services
from refairn.certification.services import certification_approve
from refairn.commissions.domain.periods import Period
from refairn.core import clock
from refairn.core.tenancy import Actor
from refairn.programs.domain import Tier
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import actor_for
from refairn.programs.services import business_create, customer_create, settings_update
from refairn.support.services import assignment_set, ticket_create
from refairn.training.domain import Format
from refairn.training.models import Track
from refairn.training.services import (
    module_create,
    track_create,
    track_transition,
    tracks_from_template,
)
from tests.browser.conftest import PHONE
from tests.support import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def agent(business: Business, email: str, name: str, status: str = "approved") -> User:
    user = make_user(email, name)
    Agent.objects.create(business=business, user=user, status=status)
    return user


def certify(owner: Actor, track: Track, user: User) -> None:
    """Pass ``track``'s assessment (one multiple choice question) and have it approved."""
    me = actor_for(user, track.business_id)
    attempt, questions = certification_services.attempt_start(actor=me, track=track)
    for question in questions:
        right = [c.id for c in shown_question(attempt.id, question).choices if c.correct]
        assessments.attempt_answer(
            actor=me, attempt=attempt, question_id=question.id, choice_ids=right, text=None
        )
    certification_services.attempt_submit(actor=me, attempt=attempt)
    certification_approve(actor=owner, agent_id=user.id, track_id=track.id)


def program(owner_user: User) -> dict[str, Any]:
    business = business_create(user=owner_user, name="Northwind Support")
    owner = actor_for(owner_user, business.id)
    created = tracks_from_template(actor=owner, template="support-standard", with_modules=False)
    # The template's tracks are drafts (issue 12 item 5): this program runs on them.
    tracks = {t.name: track_transition(actor=owner, track=t, action="publish") for t in created}
    fundamentals = tracks["Product Fundamentals"]
    Track.objects.filter(pk=fundamentals.pk).update(question_count=1)
    fundamentals.refresh_from_db()
    settings_update(
        actor=owner,
        patch={
            "training_access": "automatic",
            "support_track_ids": [str(fundamentals.id)],
            "report": {"annual_cost": "12000", "revenue_impact": "89000"},
        },
    )
    module_create(
        actor=owner,
        track=fundamentals,
        title="Product tour",
        format=Format.VIDEO,
        required=False,
        duration_seconds=600,
    )
    assessments.question_create(
        actor=owner,
        track=fundamentals,
        question_type=QuestionType.MULTIPLE_CHOICE,
        prompt="Who handles refund requests?",
        choices=[
            assessments.ChoiceSpec("The agent", False),
            assessments.ChoiceSpec("The business", True),
        ],
        critical=True,
        topic="Escalation",
    )
    sam = agent(business, "sam@agents.test", "Sam Senior")
    tia = agent(business, "tia@agents.test", "Tia Trainee")
    agent(business, "pat@agents.test", "Pat Pending", status="pending")
    certify(owner, fundamentals, sam)

    refunds = track_create(
        actor=owner,
        fields={
            "name": "Refund handling",
            "requirement": "optional",
            "passing_score": Decimal(70),
            "recertification_months": 12,
            "badge_name": "Refunds",
            "question_count": 1,
            "time_limit_minutes": 30,
        },
    )
    assessments.question_create(
        actor=owner,
        track=refunds,
        question_type=QuestionType.SCENARIO,
        prompt="A customer asks for a refund of last month's invoice. What do you do?",
        points=4,
        rubric="keywords: acknowledge, escalate, refund team",
    )
    tia_actor = actor_for(tia, business.id)
    attempt, questions = certification_services.attempt_start(actor=tia_actor, track=refunds)
    assessments.attempt_answer(
        actor=tia_actor,
        attempt=attempt,
        question_id=questions[0].id,
        choice_ids=None,
        text="I acknowledge the request and escalate it to the refund team.",
    )
    certification_services.attempt_submit(actor=tia_actor, attempt=attempt)

    now = clock.now()
    contoso = customer_create(
        actor=owner,
        name="Contoso",
        email="",
        tier=Tier.PREMIUM,
        monthly_value=Decimal("300"),
        referred_by=sam.id,
        subscribed_at=now - timedelta(days=70),
    )
    fabrikam = customer_create(
        actor=owner,
        name="Fabrikam",
        email="",
        tier=Tier.STANDARD,
        monthly_value=Decimal("120"),
        referred_by=None,
        subscribed_at=now - timedelta(days=10),
    )
    assignment_set(actor=owner, customer=contoso, agent_id=sam.id)
    ticket_create(
        actor=owner,
        customer_id=contoso.id,
        subject="Export button missing",
        body="I cannot find the export button.",
        tags=["reports"],
        priority="P3",
    )
    ticket_create(
        actor=owner,
        customer_id=fabrikam.id,
        subject="I want a refund",
        body="Please refund my last invoice.",
        tags=["billing"],
        priority="P2",
    )
    return {
        "business": business,
        "sam": sam,
        "tia": tia,
        "fundamentals": fundamentals,
        "fabrikam": fabrikam,
    }


def test_the_owner_visits_every_business_page(journey: Any) -> None:
    from playwright.sync_api import expect

    owner = make_user("olivia@northwind.test", "Olivia Owner")
    data = program(owner)
    business = data["business"]
    b = f"/b/{business.id}"
    page = journey.page
    journey.login("olivia@northwind.test", "a-long-test-password")

    journey.go(f"{b}/tracks/")
    expect(page.get_by_role("heading", name="Certification tracks")).to_be_visible()
    journey.shot("tracks")

    journey.go(f"{b}/tracks/{data['fundamentals'].id}/")
    page.locator("summary", has_text="Text lesson").click()
    expect(page.get_by_role("button", name="Add another section")).to_be_visible()
    page.get_by_role("button", name="Add another section").click()
    expect(page.get_by_role("group", name="Section 4")).to_be_visible()
    journey.shot("track with its modules and bank")

    journey.go(f"{b}/agents/")
    expect(page.get_by_role("heading", name="Agent status matrix")).to_be_visible()
    journey.shot("agent matrix")

    journey.go(f"{b}/agents/{data['sam'].id}/")
    journey.shot("one agent")

    journey.go(f"{b}/agents/{data['sam'].id}/certifications/{data['fundamentals'].id}/")
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    journey.shot("one certification")

    journey.go(f"{b}/reviews/")
    expect(page.get_by_text("Platform suggestion, not a grade")).to_be_visible()
    journey.shot("review queue")

    journey.go(f"{b}/customers/")
    journey.shot("customers")

    journey.go(f"{b}/customers/{data['fabrikam'].id}/")
    page.get_by_label("Support agent", exact=True).select_option(value=str(data["tia"].id))
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".field.invalid")).to_contain_text("cannot be assigned new customers")
    journey.shot("customer with a refused assignment")

    journey.go(f"{b}/tickets/")
    expect(page.get_by_text("Export button missing")).to_be_visible()
    journey.shot("tickets")

    journey.go(f"{b}/routing/")
    page.get_by_role("button", name="Use the support-standard rules").click()
    expect(page.get_by_role("status")).to_contain_text("routing rules are in place")
    journey.shot("routing rules")

    # The month still running cannot be accrued: the form says so and writes nothing. (No
    # month is run here: SQLite's append-only triggers would refuse the test's final flush.)
    journey.go(f"{b}/commissions/")
    run = page.get_by_role("region", name="Run a month")  # the ledger's filters have a Period too
    # The live server answers on the real clock (the test's frozen clock is this thread's only).
    run.get_by_label("Period").fill(str(Period.of(datetime.now(UTC))))
    page.get_by_role("button", name="Run the month").click()
    expect(page.locator(".field.invalid")).to_contain_text("has not ended yet")
    journey.shot("commissions with a refused run")

    journey.go(f"{b}/dashboard/")
    expect(page.get_by_role("heading", name="Completion by track")).to_be_visible()
    page.wait_for_function("() => Chart.getChart('chart-completion') !== undefined")
    journey.shot("dashboard")

    # At phone width the wide tables scroll inside their box; the page itself does not.
    page.set_viewport_size(PHONE)
    for path, label in (
        ("agents/", "agent matrix on a phone"),
        ("dashboard/", "dashboard on a phone"),
    ):
        journey.go(f"{b}/{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        journey.shot(label)
