"""The demo's people: staff, agents, applicants and customers of Acme Analytics, and the logins
printed for them. Names only; what happens to them is in ``certifications`` and ``support``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.contrib.auth.hashers import make_password

from refairn.accounts.models import User
from refairn.core import clock
from refairn.programs.domain import Tier

DEMO_PASSWORD = "refairn-demo-2026"  # noqa: S105 - printed on purpose for demo logins
DOMAIN = "demo.refairn.dev"
BUSINESS_NAME = "Acme Analytics"
BUSINESS_SLUG = "acme"

# (local part of the email, name, role)
STAFF = [
    ("owner", "Olivia Owner", "owner"),
    ("manager", "Marcus Manager", "manager"),
    ("reviewer", "Rita Reviewer", "reviewer"),
    ("security", "Sam Security", "security"),
]

# The seed's named agents first (Sarah M., Tom R., Lisa K., Alex P., Maria L., James T.,
# Kevin W.), then enough others for the seed's 42-agent team; the last two are its new hires.
AGENT_NAMES = [
    "Sarah Mitchell",
    "Tom Reyes",
    "Lisa Kowalski",
    "Alex Park",
    "Maria Lopez",
    "James Turner",
    "Kevin Walsh",
    "Priya Nair",
    "Daniel Okafor",
    "Emma Schultz",
    "Hiro Tanaka",
    "Chloe Martin",
    "Noah Fischer",
    "Amara Diallo",
    "Lucas Silva",
    "Sofia Rossi",
    "Ethan Brooks",
    "Mei Chen",
    "Omar Haddad",
    "Grace Kim",
    "Mateo Garcia",
    "Hannah Novak",
    "Ravi Patel",
    "Zoe Laurent",
    "Felix Wagner",
    "Aisha Bello",
    "Ben Carter",
    "Nina Petrova",
    "Isaac Cohen",
    "Lena Berg",
    "Diego Morales",
    "Ana Costa",
    "Victor Dubois",
    "Yuki Sato",
    "Olga Ivanova",
    "Marco Bianchi",
    "Fatima Zahra",
    "Jonas Lind",
    "Clara Weiss",
    "Samuel Adeyemi",
    "Eva Horvath",
    "Leo Jensen",
]
PENDING_NAMES = ["Paula Pending", "Pete Newcomer"]


@dataclass(frozen=True)
class DemoCustomer:
    name: str
    tier: Tier
    monthly_value: Decimal
    local: str  # the portal user's email local part

    @property
    def email(self) -> str:
        return email_of(self.local)


def _customer(name: str, tier: Tier, value: str) -> DemoCustomer:
    return DemoCustomer(name, tier, Decimal(value), "it." + name.split()[0].lower())


CUSTOMERS = [
    _customer("Northwind Traders", Tier.STRATEGIC, "2400.00"),
    _customer("Globex Corporation", Tier.ENTERPRISE, "1800.00"),
    _customer("Initech", Tier.ENTERPRISE, "1250.00"),
    _customer("Umbrella Health", Tier.PREMIUM, "640.00"),
    _customer("Stark Logistics", Tier.PREMIUM, "520.00"),
    _customer("Wayne Foods", Tier.PREMIUM, "480.00"),
    _customer("Hooli Labs", Tier.STANDARD, "149.00"),
    _customer("Pied Piper", Tier.STANDARD, "99.00"),
    _customer("Soylent Studio", Tier.STANDARD, "79.00"),
    _customer("Vandelay Imports", Tier.STANDARD, "129.00"),
    _customer("Acme Bakery", Tier.STANDARD, "59.00"),
    _customer("Blue Sun Cafe", Tier.STANDARD, "49.00"),
    _customer("Cyberdyne Design", Tier.PREMIUM, "560.00"),
    _customer("Tyrell Realty", Tier.ENTERPRISE, "1500.00"),
    _customer("Oscorp Fitness", Tier.STANDARD, "89.00"),
    _customer("Gringotts Advisory", Tier.STRATEGIC, "3100.00"),
    _customer("Massive Dynamic", Tier.ENTERPRISE, "1650.00"),
    _customer("Monarch Outfitters", Tier.STANDARD, "119.00"),
    _customer("Dunder Paper", Tier.STANDARD, "99.00"),
    _customer("Prestige Worldwide", Tier.PREMIUM, "450.00"),
    _customer("Krusty Kitchens", Tier.STANDARD, "69.00"),
    _customer("Bluth Homes", Tier.PREMIUM, "590.00"),
    _customer("Sterling Cooper", Tier.ENTERPRISE, "1320.00"),
    _customer("Nakatomi Trading", Tier.STRATEGIC, "2750.00"),
]
# Index into CUSTOMERS of the customer whose subscription ended, so both states show.
CANCELLED_CUSTOMER = 11


def email_of(local: str) -> str:
    return f"{local}@{DOMAIN}"


def agent_email(name: str) -> str:
    first, last = name.lower().split()[:2]
    return email_of(f"{first}.{last}")


@dataclass(frozen=True)
class DemoLogins:
    password: str
    rows: list[tuple[str, str]]


DEMO_LOGINS = DemoLogins(
    password=DEMO_PASSWORD,
    rows=[
        ("Owner", email_of("owner")),
        ("Manager", email_of("manager")),
        ("Reviewer", email_of("reviewer")),
        ("Security staff", email_of("security")),
        ("Agent (Master level)", agent_email(AGENT_NAMES[0])),
        ("Agent (Strong level)", agent_email(AGENT_NAMES[2])),
        ("Agent (Developing)", agent_email(AGENT_NAMES[5])),
        ("Agent (Needs Attention)", agent_email(AGENT_NAMES[6])),
        ("Applicant (pending)", agent_email(PENDING_NAMES[0])),
        ("Customer", CUSTOMERS[0].email),
    ],
)


@cache
def _password_hash() -> str:
    # Hashed once: the production hasher (argon2) is deliberately slow and every demo user
    # shares the printed password, so signing each user up through ``user_signup`` would spend
    # most of the load time hashing the same string.
    return make_password(DEMO_PASSWORD)


def demo_user(email: str, name: str) -> User:
    """The demo user with this email, created on first use (found by email afterwards). Its id
    comes from the email, so ties that the product breaks by id (routing's last criterion)
    break the same way on every load."""
    user, _ = User.objects.get_or_create(
        email=email,
        defaults={
            "id": uuid.uuid5(uuid.NAMESPACE_DNS, email),
            "name": name,
            "password": _password_hash(),
            # Made by the operator, like ``create_user``'s accounts: the address is theirs.
            "email_verified_at": clock.now(),
        },
    )
    return user
