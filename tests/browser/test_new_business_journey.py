"""Issue 12, the one journey from a fresh install to a rated ticket, in the browser alone.

A person signs up and confirms their address from the mail, creates a business from the account
menu, writes a track by hand (a module, two questions) and publishes it; invites a manager and a
security person by e-mail (neither has an account yet); shares the agent invite link. The agent
applies, is approved from the owner's work queue, trains, passes the assessment and is
certified once the owner approves the pass. A customer invited by e-mail signs up from the link,
opens a ticket with a category and tags; it is routed to the certified agent, who replies and
resolves it; the customer rates it.

Nothing is seeded but the live server: every step a person takes is taken in Chromium, every
mail is read from Django's outbox. Screenshots at 1366×900 and 390×844 go to
artifacts/screenshots/a_new_business_from_sign_up_to_a_rated_ticket/; each new kind of page
passes the accessibility checks at phone width; no page logs a console error or answers 5xx.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from refairn.certification.models import Certification
from refairn.programs.models import Agent, Business, Customer, StaffMembership
from refairn.support.models import Rating, Ticket
from tests.browser.conftest import JOURNEY_DESKTOP, JOURNEY_PHONE
from tests.browser.test_accessibility import problems_on

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORDS = {
    "olivia@northwind.test": "olivia's long password",
    "max@northwind.test": "max's long password",
    "sid@northwind.test": "sid's long password",
    "sam@agents.test": "sam's long password",
    "dana@contoso.test": "dana's long password",
}


def test_a_new_business_from_sign_up_to_a_rated_ticket(journey: Any, settings: Any) -> None:
    from playwright.sync_api import expect

    page = journey.page
    page.set_viewport_size(JOURNEY_DESKTOP)
    failures: dict[str, list[str]] = {}
    checked: set[str] = set()
    # Beyond the fixture's CSP and script errors: any console error, any server error.
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )

    def accessible(label: str) -> None:
        """The current page, reloaded at phone width, passes the accessibility checks."""
        checked.add(label)
        path = page.url.removeprefix(journey.base_url).split("#")[0]  # a real load, not a jump
        page.set_viewport_size(JOURNEY_PHONE)
        if problems := problems_on(journey, label, path):
            failures[label] = problems
        page.set_viewport_size(JOURNEY_DESKTOP)
        journey.go(path)  # the checks opened every <details>, the account menu's too

    def link_in_mail(to: str, subject: str) -> str:
        message = next(m for m in reversed(mail.outbox) if to in m.to and subject in m.subject)
        url = re.search(r"https?://\S+", message.body).group(0)  # type: ignore[union-attr]
        return url.removeprefix(settings.REFAIRN_PUBLIC_URL)

    def sign_up(name: str, email: str, link: str = "Create an account to accept") -> None:
        page.get_by_role("link", name=link, exact=True).first.click()
        if "the sign-up page" not in checked:
            accessible("the sign-up page")
        email_field = page.get_by_label("Email")
        if email_field.input_value() == "":  # an invitation fills in its address itself
            email_field.fill(email)
        page.get_by_label("Name").fill(name)
        page.get_by_label("Password").fill(PASSWORDS[email])
        page.get_by_role("button", name="Sign up").click()
        journey.settle()

    def confirm_address(email: str) -> None:
        journey.go(link_in_mail(email, "Confirm your e-mail address"))
        if "the confirmation page" not in checked:
            accessible("the confirmation page")
        page.get_by_role("button", name="Confirm my address").click()
        expect(page.get_by_role("status")).to_contain_text("confirmed")

    def log_out() -> None:
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/login/")

    def log_in(email: str) -> None:
        journey.login(email, PASSWORDS[email])

    def section(name: str) -> None:
        page.get_by_role("navigation", name="Northwind Support sections").get_by_role(
            "link", name=name, exact=True
        ).click()
        journey.settle()

    # 1. Olivia signs up, confirms her address from the mail and creates her business from the
    # account menu.
    journey.go("/")
    journey.both_sizes("the login page")
    sign_up("Olivia Owner", "olivia@northwind.test", "Sign up")
    journey.both_sizes("a new account's home")
    accessible("a new account's home")
    confirm_address("olivia@northwind.test")
    journey.shot("the address is confirmed")
    page.get_by_text("Olivia Owner").click()  # the account menu
    page.get_by_role("link", name="Create business").click()
    page.get_by_label("Business name").fill("Northwind Support")
    page.get_by_role("button", name=re.compile("Create")).click()
    expect(page.get_by_role("status")).to_contain_text("You are its owner")
    business = Business.objects.get(name="Northwind Support")
    expect(page.locator("#first-track")).to_contain_text("nothing to train on")
    journey.both_sizes("the new business")
    accessible("a new business's home")

    # A track by hand: a FAQ module and two questions, each published.
    page.locator("#first-track").get_by_role("link", name="Go to Tracks").click()
    page.get_by_label("Name", exact=True).fill("Product Basics")
    page.get_by_label("Requirement").select_option("required")
    page.get_by_label("Passing score").fill("50")
    page.get_by_label(re.compile("Recertification")).fill("12")
    page.get_by_label("Questions per attempt").fill("2")
    page.get_by_label("Time limit (minutes)").fill("15")
    page.get_by_role("button", name="Create track").click()
    expect(page.get_by_role("status")).to_contain_text("created as a draft")
    journey.both_sizes("a track created by hand")
    page.locator("summary", has_text="FAQ").click()
    faq = page.locator("#add-faq")
    faq.get_by_label("Title").fill("Plans in a minute")
    faq.get_by_label("Question").first.fill("Can a customer change plans mid-cycle?")
    faq.get_by_label("Answer").first.fill("Yes: the difference is prorated to the day.")
    faq.get_by_role("button", name="Add FAQ module").click()
    expect(page.get_by_role("status")).to_contain_text("added as a draft")
    page.get_by_role("button", name="Publish Plans in a minute").click()
    expect(page.get_by_role("status")).to_contain_text("published")
    page.get_by_role("link", name="Open the question bank").click()
    # Until the bank holds a whole attempt's questions, the page says agents cannot start.
    short = page.locator("#bank-short")
    for prompt, choices, missing in (
        ("Which plan includes phone support?", "Starter\n*Enterprise", "add 1 more question"),
        ("A customer asks for a refund. You…", "Refund them\n*Escalate to the business", None),
    ):
        page.locator("summary", has_text="Write a question").click()
        page.get_by_label("Prompt").fill(prompt)
        page.get_by_label("Choices").fill(choices)
        page.get_by_role("button", name="Add question").click()
        expect(page.get_by_role("status")).to_contain_text("added")
        if missing:
            expect(short).to_contain_text(missing)
        else:
            expect(short).to_have_count(0)
    journey.both_sizes("the question bank")
    accessible("the question bank")
    page.get_by_role("link", name="← Product Basics").click()
    page.get_by_role("button", name="Publish track").click()
    expect(page.get_by_role("status")).to_contain_text("published: agents see it")
    journey.both_sizes("the track is published")
    accessible("a published track")

    # 2. A manager and a security person, with no account yet, are invited by e-mail.
    section("People")
    for email, role in (("max@northwind.test", "manager"), ("sid@northwind.test", "security")):
        page.get_by_label("E-mail address", exact=True).fill(email)
        page.get_by_label("Role").select_option(role)
        page.get_by_role("button", name="Send invitation").first.click()
        expect(page.get_by_role("status")).to_contain_text(f"Invitation sent to {email}")
    journey.both_sizes("staff invited")
    accessible("the people page")
    join_link = page.get_by_test_id("join-link").input_value()
    log_out()

    # The manager reaches for the header's "Sign up", the security person for the invitation's
    # own button: both come back to the invitation signed in.
    for name, email, role, link in (
        ("Max Manager", "max@northwind.test", "manager", "Sign up"),
        ("Sid Security", "sid@northwind.test", "security", "Create an account to accept"),
    ):
        journey.go(link_in_mail(email, "invites you"))
        journey.both_sizes(f"the {role} opens the invitation")
        if role == "manager":
            accessible("an invitation")
        sign_up(name, email, link)
        page.get_by_role("button", name=re.compile("Accept as")).click()
        expect(page.get_by_role("status")).to_contain_text("Welcome to Northwind Support")
        journey.both_sizes(f"the {role} is in")
        assert StaffMembership.objects.filter(
            business=business, user__email=email, role=role
        ).exists()
        log_out()

    # 3. Sam opens the agent invite link, signs up and applies.
    page.set_viewport_size(JOURNEY_PHONE)
    journey.go(join_link.removeprefix(settings.REFAIRN_PUBLIC_URL))
    journey.shot("the agent opens the invite link on a phone")
    accessible("the join page")
    page.set_viewport_size(JOURNEY_DESKTOP)
    sign_up("Sam Agent", "sam@agents.test", "Create an account to apply")
    page.get_by_role("button", name=re.compile("Apply as")).click()
    expect(page.get_by_role("status")).to_contain_text("You applied to Northwind Support")
    journey.both_sizes("the agent applied")
    log_out()

    # The application waits in the owner's work queue and is approved there.
    log_in("olivia@northwind.test")
    page.get_by_role("link", name="Northwind Support").first.click()
    queue = page.locator("#work-queue")
    expect(page.locator("#first-track")).to_have_count(0)  # the track is published
    expect(queue.locator(".queue-applications .badge")).to_have_text("1")
    expect(page.locator(".queue-link .badge")).to_have_text("1")
    journey.both_sizes("the application in the work queue")
    accessible("the owner's home with a work queue")
    queue.get_by_role("link", name="Applications").click()
    page.get_by_label("Decision", exact=True).select_option("approve")
    page.get_by_role("button", name="Send the decision on Sam Agent").click()
    expect(page.get_by_role("status")).to_contain_text("application was approved")
    section("Northwind Support")
    expect(queue.locator(".queue-applications .badge")).to_have_text("0")
    expect(page.locator(".queue-link .badge")).to_have_count(0)
    journey.both_sizes("the work queue after the decision")
    assert Agent.objects.get(business=business, user__email="sam@agents.test").status == (
        "approved"
    )
    log_out()

    # 4. Sam trains, takes the assessment and passes.
    log_in("sam@agents.test")
    page.get_by_role("link", name="Northwind Support").first.click()
    journey.both_sizes("the agent's program home")
    accessible("the agent's program home")
    confirm_address("sam@agents.test")
    page.get_by_role("link", name="Northwind Support").first.click()
    page.get_by_role("link", name="Request support access").click()
    page.get_by_role("button", name="Request support access").click()
    expect(page.get_by_role("status")).to_contain_text("Support access requested")
    page.get_by_role("link", name="Go to your training").click()
    page.get_by_role("link", name="Plans in a minute").click()
    accessible("a training module")
    page.get_by_role("button", name="Mark reviewed: Can a customer change plans mid-cycle?").click()
    expect(page.locator("#module-status")).to_contain_text("✓ Completed")
    journey.both_sizes("the module is complete")
    page.get_by_role("link", name=re.compile("assessment")).first.click()
    page.get_by_role("button", name="Take assessment: Product Basics").click()
    journey.settle()
    page.get_by_role("radio", name="Enterprise").check()
    page.get_by_role("radio", name="Escalate to the business").check()
    expect(page.locator(".save-status", has_text="✓ Saved")).to_have_count(2)
    journey.both_sizes("the assessment answered")
    accessible("an assessment in progress")
    page.get_by_role("link", name="Review and submit…").click()
    expect(page.get_by_text("You answered all 2 questions.")).to_be_visible()
    page.get_by_role("button", name="Submit assessment").click()
    expect(page.locator("#outcome-heading")).to_contain_text("Passed")
    journey.both_sizes("the assessment passed")
    accessible("an assessment's result")
    log_out()

    # The owner approves the pass from the work queue; Sam is certified.
    log_in("olivia@northwind.test")
    page.get_by_role("link", name="Northwind Support").first.click()
    page.locator("#work-queue").get_by_role("link", name="Sam Agent · Product Basics").click()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Certification approved.")
    accessible("an agent's certification for staff")
    journey.both_sizes("the owner approved the pass")
    assert Certification.objects.get(agent__email="sam@agents.test").status == "certified"

    # A routing rule from the form: billing tickets go to agents certified in Product Basics.
    # Its tag becomes a category on the customer's new-ticket form.
    section("Routing")
    page.get_by_label("Name", exact=True).fill("Billing questions")
    page.get_by_label("Tags (any of)").fill("billing")
    page.get_by_label("Required certification").select_option(label="Product Basics")
    page.get_by_role("button", name="Add the rule").click()
    expect(page.locator(".rule-summary")).to_contain_text("Billing questions")
    journey.both_sizes("a routing rule from the form")
    accessible("the routing page")

    # 5. The owner invites a customer to the portal by e-mail: the People page sends her to
    # the Customers page to add the record first.
    section("People")
    invite_customer = page.locator("section", has_text="Invite a customer to the portal")
    invite_customer.get_by_role("link", name="Customers").click()
    accessible("the customers page")
    page.get_by_label("Name", exact=True).fill("Contoso")
    page.get_by_label("Email").fill("dana@contoso.test")
    page.get_by_label("Tier").select_option("standard")
    page.get_by_label("Monthly value").fill("120.00")
    page.get_by_role("button", name="Add customer").click()
    expect(page.get_by_role("status")).to_contain_text("Contoso")
    section("People")
    page.get_by_label("Customer's e-mail address").fill("dana@contoso.test")
    page.get_by_role("button", name="Send invitation").last.click()
    expect(page.get_by_role("status")).to_contain_text("dana@contoso.test")
    log_out()

    # Dana signs up from the mail's link and is linked to the customer record.
    invitation = link_in_mail("dana@contoso.test", "invites you")
    journey.go(invitation)
    journey.both_sizes("the customer opens the invitation")
    sign_up("Dana Customer", "dana@contoso.test")
    page.get_by_role("button", name=re.compile("Accept")).click()
    journey.settle()
    confirm_address("dana@contoso.test")
    customer = Customer.objects.get(business=business, name="Contoso")
    assert customer.user is not None and customer.user.email == "dana@contoso.test"

    # She opens a ticket from her home, with a category and tags; it goes to Sam.
    page.get_by_role("link", name="Northwind Support").first.click()
    journey.both_sizes("the customer's home")
    accessible("the customer's home")
    page.get_by_role("link", name="Open a ticket").first.click()
    accessible("the new ticket form")
    page.get_by_label("Subject").fill("Charged twice this month")
    page.get_by_label("How can we help?").fill("Our card shows two charges for March.")
    page.get_by_label("Category").select_option(label="Billing")
    page.get_by_label("Tags").fill("card, march")
    journey.both_sizes("the customer writes a ticket")
    page.get_by_role("button", name="Open ticket").click()
    expect(page.get_by_role("status")).to_contain_text("Your ticket was opened")
    expect(page.get_by_text("Your support agent: Sam Agent")).to_be_visible()
    ticket = Ticket.objects.get()
    assert ticket.assigned_agent.email == "sam@agents.test"
    log_out()

    # Sam, certified now, replies and resolves it.
    log_in("sam@agents.test")
    page.get_by_role("link", name="Northwind Support").first.click()
    expect(page.get_by_role("row", name=re.compile("Product Basics"))).to_contain_text("Certified")
    journey.both_sizes("the agent's home once certified")
    section("Support")
    page.get_by_role("row").filter(has_text="Charged twice this month").get_by_role("link").click()
    journey.settle()
    accessible("a ticket for its agent")
    page.get_by_label("Your reply").fill(
        "Thank you, Dana. The second charge is a pending authorisation; it drops off in "
        "two days. I am closing this ticket; reply here if it stays."
    )
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your message was sent.")
    page.get_by_role("link", name="Resolve ticket…").click()
    page.get_by_role("button", name="Yes, resolve ticket").click()
    expect(page.get_by_role("status")).to_contain_text("Ticket resolved.")
    journey.both_sizes("the agent replied and resolved")
    log_out()

    # Dana rates it.
    log_in("dana@contoso.test")
    page.get_by_role("link", name="Northwind Support").first.click()
    journey.both_sizes("the customer's home offers the rating")
    page.get_by_role("link", name="rate it").click()
    accessible("a closed ticket for its customer")
    aspects = ("Responsiveness", "Product knowledge", "Professionalism", "Overall satisfaction")
    for aspect in aspects:
        page.get_by_role("group", name=aspect).get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Send rating").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for rating this ticket.")
    journey.both_sizes("the customer rated the ticket")
    assert Rating.objects.get().overall == 5

    report = "\n".join(f"{label}: {problems}" for label, problems in failures.items())
    assert not failures, report
    assert not errors, errors
