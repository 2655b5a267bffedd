"""The fixture world of the authorization matrix: businesses A and B built alike (every role, a
track with a module and a question, an attempt in progress, an escalated ticket, a credential, a
performance review, a webhook with a delivery, commission entries), and business C whose owner
is the outsider. Built mostly through the API, as the roles themselves would.

A few secrets are planted, each a rule of issue 18 item 6; the matrix records which of them a
successful answer shows (``SECRETS``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from refairn.accounts.models import ApiToken, User
from refairn.accounts.services import token_issue
from refairn.certification.models import Certification
from refairn.core import clock
from refairn.credentials.models import SigningKey, StatusList
from refairn.credentials.services import credential_issue
from refairn.notifications.models import Notification
from refairn.programs.models import Agent, Business, Invitation
from refairn.programs.services import business_create
from refairn.support.models import PerformanceReview, Ticket
from refairn.support.tests.conftest import assign, certify, new_customer
from refairn.training.tests.modules import VIDEO
from tests.support import T0, api_as, make_staff, make_user

ANNUAL_COST = "9876543.21"
REVENUE_IMPACT = "1234567.89"
ESCALATION_NOTE = "Internal: the customer threatens a chargeback"
RULE_NAME = "Whale accounts first"
RECURRING_MONTHS = 37

# Flag → what, found in an answer's body, shows that secret.
SECRETS: dict[str, tuple[str, ...]] = {
    "cost": ("9876543", "9,876,543", "1234567", "1,234,567"),
    "terms": (f'"recurring_months": {RECURRING_MONTHS}',),
    "note": (ESCALATION_NOTE,),
    "rule": (RULE_NAME,),
}

ROLES = (
    "owner",
    "manager",
    "reviewer",
    "security",
    "agent",
    "other_agent",
    "customer",
    "other_customer",
    "applicant",
    "outsider",
    "anonymous",
)

TRACK = {
    "name": "Product Knowledge",
    "requirement": "optional",
    "passing_score": 80,
    "recertification_months": 12,
    "badge": {"name": "Product Pro", "icon": "📘"},
    "assessment": {"mode": "fixed", "question_count": 1, "time_limit_minutes": 30},
}
QUESTION = {
    "type": "multiple_choice",
    "prompt": "Who handles a billing dispute?",
    "choices": [
        {"text": "The agent", "correct": False},
        {"text": "The business", "correct": True},
    ],
}


@dataclass
class Tenant:
    """One business's people and the ids its paths and bodies are filled with."""

    business: Business
    users: dict[str, User] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    own: Tenant
    other: Tenant
    outsider: User

    def user(self, role: str) -> User | None:
        if role == "anonymous":
            return None
        return self.outsider if role == "outsider" else self.own.users[role]


def _ok(response: Any, status: int = 201) -> Any:
    assert response.status_code == status, (response.status_code, response.body)
    return response.body


def build_tenant(letter: str) -> Tenant:
    domain = f"{letter}.matrix.test"
    owner = make_user(f"owner@{domain}", f"Owner {letter}")
    business = business_create(user=owner, name=f"Business {letter.upper()}")
    tenant = Tenant(business)
    users = tenant.users
    users["owner"] = owner
    for role in ("manager", "reviewer", "security"):
        users[role] = make_staff(business, f"{role}@{domain}", role)
    for role in ("agent", "other_agent", "applicant"):
        users[role] = make_user(f"{role}@{domain}", role.replace("_", " ").title())
        status = "pending" if role == "applicant" else "approved"
        Agent.objects.create(business=business, user=users[role], status=status)
    certify(business, users["agent"])
    certify(business, users["other_agent"])
    for role in ("customer", "other_customer"):
        users[role] = make_user(f"{role}@{domain}", role.replace("_", " ").title())
    customer = new_customer(
        business, f"Northwind {letter}", user=users["customer"], referred_by=users["agent"]
    )
    other_customer = new_customer(business, f"Contoso {letter}", user=users["other_customer"])
    assign(customer, users["agent"])
    assign(other_customer, users["other_agent"])

    as_owner, as_agent = api_as(owner), api_as(users["agent"])
    b = business.id
    _ok(
        as_owner.patch(
            f"/businesses/{b}/settings",
            {
                "report": {"annual_cost": ANNUAL_COST, "revenue_impact": REVENUE_IMPACT},
                "referral_terms": {"recurring_months": RECURRING_MONTHS},
                "training_access": "automatic",
            },
        ),
        200,
    )
    rule = {"name": RULE_NAME, "require": {"min_certifications": 1}}
    _ok(as_owner.put(f"/businesses/{b}/routing-rules", [rule]), 200)

    track = _ok(as_owner.post(f"/businesses/{b}/tracks", TRACK))["id"]
    module = _ok(as_owner.post(f"/tracks/{track}/modules", {**VIDEO, "required": False}))["id"]
    question = _ok(as_owner.post(f"/tracks/{track}/questions", QUESTION))["id"]
    attempt = _ok(as_agent.post(f"/tracks/{track}/attempts"))
    asked = attempt["questions"][0]

    ticket = _ok(
        api_as(users["customer"]).post(
            f"/businesses/{b}/tickets",
            {"customer_id": str(customer.id), "subject": "Refund", "body": "I want my money."},
        )
    )["id"]
    if Ticket.objects.get(pk=ticket).routing.get("rule") != RULE_NAME:
        raise AssertionError("the world's ticket was not routed by its rule")
    _ok(as_agent.post(f"/tickets/{ticket}/messages", {"body": "Let me check."}))
    _ok(
        as_agent.post(
            f"/tickets/{ticket}/escalate", {"category": "refund", "note": ESCALATION_NOTE}
        ),
        200,
    )

    certification = Certification.objects.get(
        business=business, agent=users["agent"], status="certified"
    )
    credential = credential_issue(certification=certification)
    review = PerformanceReview.objects.create(
        business=business, agent=users["agent"], opened_at=clock.now(), trigger="3 overdue"
    )
    webhook = _ok(
        as_owner.post(
            f"/businesses/{b}/webhooks",
            {"url": f"https://hooks.{domain}/refairn", "events": ["*"]},
        )
    )["id"]
    delivery = _ok(as_owner.post(f"/businesses/{b}/webhooks/{webhook}/test"), 202)["id"]
    _ok(as_owner.post(f"/businesses/{b}/commission-runs", {"period": "2026-10"}), 200)
    entry = _ok(as_owner.get(f"/businesses/{b}/commissions"), 200)["entries"][0]["id"]
    token_issue(user=users["agent"], name="laptop")
    token = ApiToken.objects.filter(user=users["agent"]).latest("created_at").public_id
    notification = Notification.objects.create(
        user=users["agent"], business=business, kind="matrix", text="Hello"
    )
    # The mailed token is known only to its mail: the world makes one it knows.
    invitation_token = f"matrix-invitation-{letter}"
    invitation = Invitation.objects.create(
        business=business,
        email=f"invitee@{domain}",
        role="reviewer",
        token_hash=hashlib.sha256(invitation_token.encode()).hexdigest(),
        invited_by=owner,
        expires_at=clock.now() + timedelta(days=14),
    )

    tenant.ids = {
        "b": str(b),
        "agent": str(users["agent"].id),
        "applicant": str(users["applicant"].id),
        "other_agent": str(users["other_agent"].id),
        "agent_email": users["agent"].email,
        "spare_email": make_user(f"spare@{domain}", "Spare").email,
        "customer": str(customer.id),
        "track": str(track),
        "support_track": str(certification.track_id),
        "module": str(module),
        "question": str(question),
        "attempt": str(attempt["id"]),
        "asked": str(asked["id"]),
        "choice": str(asked["choices"][0]["id"]),
        "ticket": str(ticket),
        "credential": str(credential.id),
        "credential_jwt": credential.jwt,
        "key": SigningKey.objects.filter(business=business).values_list("thumbprint", flat=True)[0],
        "status_list": str(
            StatusList.objects.filter(business=business).values_list("number", flat=True)[0]
        ),
        "review": str(review.id),
        "webhook": str(webhook),
        "delivery": str(delivery),
        "entry": str(entry),
        "token": str(token),
        "notification": str(notification.id),
        "invitation": str(invitation.id),
        "invitation_token": invitation_token,
        "later": (T0 + timedelta(days=3)).isoformat(),
        "much_later": (T0 + timedelta(days=5)).isoformat(),
    }
    return tenant


def build_world() -> World:
    own, other = build_tenant("a"), build_tenant("b")
    outsider = make_user("owner@c.matrix.test", "Owner C")
    business_create(user=outsider, name="Business C")
    return World(own=own, other=other, outsider=outsider)
