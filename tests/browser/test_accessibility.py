"""Accessible by default (issue 7, point 5): every page of every role, opened on a phone-sized
screen (375×812), passes the checks of ``accessibility.js``:

(a) the page does not scroll sideways; (b) every control has an accessible name; (c) every
button and link has a name; (d) exactly one h1, and heading levels are not skipped; ids are
unique; a table box that scrolls sideways can be focused and is named; text contrast is at least
4.5:1. And (e) the first Tab from the top of the page focuses the skip link, which shows.

Every <details> is opened first, so the forms folded inside are checked too. The data is built
through the services (no commission run: the ledger's append-only triggers would refuse the
test's final flush on SQLite). A screenshot of each page goes to
artifacts/screenshots/every_page_passes_the_accessibility_checks_at_phone_width/.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from refairn.accounts.models import User
from refairn.assessments.models import Attempt
from refairn.certification import services as certification_services
from refairn.core import clock
from refairn.programs.domain import Tier
from refairn.programs.models import Agent, Business
from refairn.programs.selectors import actor_for
from refairn.programs.services import business_create, customer_create, settings_update
from refairn.support.models import Ticket
from refairn.support.services import assignment_set, ticket_create, ticket_message_add
from refairn.support.services.tickets import ticket_resolve
from refairn.training.tests.pathway import build_pathway
from tests.browser.conftest import PHONE
from tests.browser.test_business_pages import agent, program
from tests.support import make_user, set_support_access

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"  # tests.support.make_user's
CHECKS = (Path(__file__).parent / "accessibility.js").read_text()

OPEN_DETAILS = """async () => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""

# Where sequential focus starts on a freshly loaded page: the top of the document (a page may
# autofocus a field, as the login form does; the skip link must still come first).
FOCUS_TOP = """() => {
  document.activeElement?.blur();
  document.body.tabIndex = -1;
  document.body.focus();
  document.body.removeAttribute("tabindex");
}"""

SKIP_LINK = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return {
    skip: el.matches("a.skip[href='#main']") && document.getElementById("main") !== null,
    shown: box.width > 0 && box.left >= 0 && box.top >= 0 && box.right <= window.innerWidth,
    focused: el.outerHTML.slice(0, 100),
  };
}"""


def tickets_of(business: Business, owner_user: User, sam: User) -> dict[str, Ticket]:
    """A customer with a portal login, supported by Sam: an answered ticket and a closed one
    waiting for its rating."""
    owner = actor_for(owner_user, business.id)
    dana = make_user("dana@bakery.test", "Dana Baker")
    bakery = customer_create(
        actor=owner,
        name="Dana's Bakery",
        email=dana.email,
        tier=Tier.STANDARD,
        monthly_value=Decimal("80"),
        referred_by=None,
        subscribed_at=clock.now() - timedelta(days=30),
    )
    assignment_set(actor=owner, customer=bakery, agent_id=sam.id)
    customer, agent_ = actor_for(dana, business.id), actor_for(sam, business.id)
    opened = ticket_create(
        actor=customer,
        customer_id=bakery.id,
        subject="The oven report is empty",
        body="Yesterday's report shows no data at all: https://reports.example.test/oven/daily?day=2026-11-01",
        tags=[],
        priority="P3",
    )
    ticket_message_add(actor=agent_, ticket=opened, body="Thank you, I am looking into it now.")
    closed = ticket_create(
        actor=customer,
        customer_id=bakery.id,
        subject="How do I add a user?",
        body="We hired a new baker.",
        tags=[],
        priority="P4",
    )
    ticket_message_add(actor=agent_, ticket=closed, body="Settings › Users › Invite.")
    ticket_resolve(actor=agent_, ticket=closed)
    return {"open": opened, "closed": closed}


def platform(owner_user: User) -> dict[str, Any]:
    """The program of test_business_pages, plus: a customer with a portal login and tickets,
    an agent in the middle of a timed assessment, and a second program whose track has one
    module of each format (none started, so every quiz and button shows)."""
    data = program(owner_user)
    business = data["business"]
    sam = data["sam"]
    set_support_access(sam, "active", business=business)
    data["tickets"] = tickets_of(business, owner_user, sam)

    ada = agent(business, "ada@agents.test", "Ada Agent")
    data["open_attempt"], _ = certification_services.attempt_start(
        actor=actor_for(ada, business.id), track=data["fundamentals"]
    )
    data["sams_attempt"] = Attempt.objects.get(agent=sam, track=data["fundamentals"])
    data["tias_attempt"] = Attempt.objects.get(agent=data["tia"])

    academy = business_create(user=owner_user, name="Northwind Academy")
    settings_update(actor=actor_for(owner_user, academy.id), patch={"training_access": "automatic"})
    Agent.objects.create(business=academy, user=sam, status="approved")
    data["academy"] = academy
    data["pathway"] = build_pathway(owner_user, academy)
    return data


def pages_by_role(data: dict[str, Any]) -> list[tuple[str, str | None, list[tuple[str, str]]]]:
    """(role, email to log in with, [(label, path)])."""
    b = f"/b/{data['business'].id}"
    sam, fundamentals = data["sam"], data["fundamentals"]
    tickets, pathway = data["tickets"], data["pathway"]
    academy = f"/b/{data['academy'].id}/training"
    return [
        (
            "anyone",
            None,
            [
                ("log in", "/login/"),
                ("sign up", "/signup/"),
                ("agent invite link", f"/join/{data['business'].join_token}/"),
                ("public program page", f"/programs/{data['business'].slug}/"),
                ("forgotten password", "/password/reset/"),
                ("reset link sent", "/password/reset/sent/"),
                ("a reset link that is not valid", "/password/reset/bm9wZQ/set-password/"),
                ("public agent profile", f"/agents/{sam.id}/"),
            ],
        ),
        (
            "owner",
            "olivia@northwind.test",
            [
                ("programs", "/"),
                ("business", f"{b}/"),
                ("settings", f"{b}/settings/"),
                ("dashboard", f"{b}/dashboard/"),
                ("quarterly report", f"{b}/quarterly/"),
                ("difficult questions", f"{b}/dashboard/difficult-questions/"),
                ("tracks", f"{b}/tracks/"),
                ("track modules and question bank", f"{b}/tracks/{fundamentals.id}/"),
                (
                    "edit a module",
                    f"/b/{data['academy'].id}/tracks/{pathway.track.id}"
                    f"/modules/{pathway.video.id}/edit/",
                ),
                ("agent status matrix", f"{b}/agents/"),
                ("one agent", f"{b}/agents/{sam.id}/"),
                ("one certification", f"{b}/agents/{sam.id}/certifications/{fundamentals.id}/"),
                ("review queue", f"{b}/reviews/"),
                ("one attempt", f"{b}/reviews/{data['tias_attempt'].id}/"),
                ("customers", f"{b}/customers/"),
                ("one customer", f"{b}/customers/{data['fabrikam'].id}/"),
                ("tickets", f"{b}/tickets/"),
                ("a ticket", f"/tickets/{tickets['open'].id}/"),
                ("routing rules", f"{b}/routing/"),
                ("commissions", f"{b}/commissions/"),
                ("people: invite link and invitations", f"{b}/people/"),
                ("account: API tokens", "/account/tokens/"),
                ("account: two-factor authentication", "/account/two-factor/"),
                ("account: password", "/account/password/"),
                ("account: e-mail address", "/account/email/"),
                ("account: create a business", "/businesses/new/"),
                ("a page that does not exist", f"{b}/no-such-page/"),
            ],
        ),
        (
            "agent",
            "sam@agents.test",
            [
                ("program home", f"{b}/"),
                ("certification", f"{b}/certification/"),
                ("assessment result", f"{b}/attempts/{data['sams_attempt'].id}/result/"),
                ("support workspace", f"{b}/support/"),
                ("a ticket", f"/tickets/{tickets['open'].id}/"),
                ("unavailability", f"{b}/support/unavailability/"),
                ("commissions statement", f"{b}/commissions/me/"),
                ("training", f"{academy}/"),
                ("video lesson", f"{academy}/modules/{pathway.video.id}/"),
                ("pdf guide", f"{academy}/modules/{pathway.pdf.id}/"),
                ("text lesson", f"{academy}/modules/{pathway.text.id}/"),
                ("demo script", f"{academy}/modules/{pathway.demo.id}/"),
                ("faq", f"{academy}/modules/{pathway.faq.id}/"),
            ],
        ),
        (
            "agent in an assessment",
            "ada@agents.test",
            [
                ("assessment with its countdown", f"{b}/attempts/{data['open_attempt'].id}/"),
                ("confirm before submitting", f"{b}/attempts/{data['open_attempt'].id}/submit/"),
            ],
        ),
        (
            "customer",
            "dana@bakery.test",
            [
                ("programs", "/"),
                ("program home", f"{b}/"),
                ("my tickets", f"{b}/portal/"),
                ("open a ticket", f"{b}/portal/new/"),
                ("a conversation", f"/tickets/{tickets['open'].id}/"),
                ("rating a closed ticket", f"/tickets/{tickets['closed'].id}/"),
            ],
        ),
        ("applicant", "pat@agents.test", [("programs", "/"), ("business", f"{b}/")]),
    ]


def problems_on(journey: Any, label: str, path: str) -> list[str]:
    page = journey.page
    response = page.goto(journey.base_url + path)
    expected = 404 if "does not exist" in label else 200
    if response is None or response.status != expected:
        return [f"answered {response.status if response else 'nothing'}, not {expected}"]
    page.evaluate(OPEN_DETAILS)
    journey.shot(label)
    problems: list[str] = page.evaluate(CHECKS)
    page.evaluate(FOCUS_TOP)
    page.keyboard.press("Tab")
    focus = page.evaluate(SKIP_LINK)
    if not focus["skip"]:
        problems.append(f"the first Tab focuses {focus['focused']}, not the skip link")
    elif not focus["shown"]:
        problems.append("the focused skip link is not shown on the screen")
    return problems


def test_every_page_passes_the_accessibility_checks_at_phone_width(journey: Any) -> None:
    owner = make_user("olivia@northwind.test", "Olivia Owner")
    data = platform(owner)
    journey.page.set_viewport_size(PHONE)
    failures: dict[str, list[str]] = {}
    for role, email, pages in pages_by_role(data):
        journey.page.context.clear_cookies()
        if email:
            journey.login(email, PASSWORD)
        for label, path in pages:
            if problems := problems_on(journey, f"{role} {label}", path):
                failures[f"{role}: {label} ({path})"] = problems
    report = "\n".join(
        f"{page}\n" + "\n".join(f"  - {p}" for p in problems) for page, problems in failures.items()
    )
    assert not failures, f"accessibility problems on {len(failures)} pages:\n{report}"
