from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from refairn.accounts.schemas import Email, Name, OptionalEmail
from refairn.core.schemas import AmountIn, Instant, MoneyOut, StrictIn, money_out
from refairn.programs.domain import Tier
from refairn.programs.models import Agent, Customer


class BusinessIn(StrictIn):
    name: Name


class BusinessOut(Schema):
    id: uuid.UUID
    name: str
    slug: str
    settings: dict[str, Any]


class StaffIn(StrictIn):
    email: Email
    role: Literal["owner", "manager", "reviewer", "security"]


class StaffOut(Schema):
    business_id: uuid.UUID
    user_id: uuid.UUID
    role: str


class AgentApplicationOut(Schema):
    agent_id: uuid.UUID
    status: str

    @staticmethod
    def resolve_agent_id(obj: Agent) -> uuid.UUID:
        return obj.user_id


class CustomerIn(StrictIn):
    name: Name
    email: OptionalEmail = ""
    tier: Tier = Tier.STANDARD
    monthly_value: AmountIn
    referred_by: uuid.UUID | None = None
    subscribed_at: Instant | None = None


class CustomerCancelIn(StrictIn):
    at: Instant | None = None


class CustomerOut(Schema):
    id: uuid.UUID
    business_id: uuid.UUID
    name: str
    email: str
    tier: str
    monthly_value: MoneyOut
    referred_by: uuid.UUID | None
    subscribed_at: datetime
    cancelled_at: datetime | None
    subscription_status: str

    @staticmethod
    def resolve_monthly_value(obj: Customer) -> dict[str, str]:
        return money_out(obj.monthly_value, obj.business.currency)

    @staticmethod
    def resolve_referred_by(obj: Customer) -> uuid.UUID | None:
        return obj.referred_by_id


class MembershipOut(Schema):
    business_id: uuid.UUID
    role: str
    status: str | None = None


class MeOut(Schema):
    id: uuid.UUID
    email: str
    name: str
    memberships: list[MembershipOut]


class JoinLinkOut(Schema):
    """The agent invite link (issue 12): anyone holding it may apply to the program."""

    url: str


class InvitationIn(StrictIn):
    email: Email
    role: Literal["manager", "reviewer", "security", "customer"]


class InvitationOut(Schema):
    id: uuid.UUID
    email: str
    role: str
    state: Literal["pending", "accepted", "revoked", "expired"]
    created_at: datetime
    expires_at: datetime


class InvitationAcceptIn(StrictIn):
    token: str = Field(min_length=1, max_length=100)


class InvitationAcceptedOut(Schema):
    business_id: uuid.UUID
    role: str


class AgentLevelOut(AgentApplicationOut):
    support_level: str


class AgentPatch(StrictIn):
    """Issue 11 item 6: what staff change on an agent's membership."""

    support_level: Literal["L1", "L2", "L3", "CSM"]
