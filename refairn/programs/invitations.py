"""Getting people into a program (issue 12): the agent invite link, staff invitations and
customer-portal invitations by e-mail.

An invitation's token travels only in its mail; the row keeps its SHA-256. Following the link
and accepting binds the invitation to the signed-in account (a person with no account signs up
first, the link brings them back); holding the token proves they read the mail, so an invited
address that matches the account's is verified by accepting.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from refairn.accounts.events import EmailVerified
from refairn.accounts.models import User
from refairn.core import clock, events
from refairn.core.errors import Conflict, NotFound, field_error
from refairn.core.pagination import Page, keyset_page, page_limit
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.programs.domain import INVITATION_DAYS, InvitationState, invitation_state
from refairn.programs.models import Business, Customer, Invitation, StaffMembership, new_join_token

CUSTOMER = "customer"
STAFF_ROLES_INVITED = (Role.MANAGER, Role.REVIEWER, Role.SECURITY)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def state_of(invitation: Invitation) -> InvitationState:
    return invitation_state(
        now=clock.now(),
        expires_at=invitation.expires_at,
        accepted_at=invitation.accepted_at,
        revoked_at=invitation.revoked_at,
    )


# --- the agent invite link ------------------------------------------------------------------


def join_link(business: Business) -> str:
    return settings.REFAIRN_PUBLIC_URL + reverse("programs:join", args=[business.join_token])


def business_by_join_token(token: str) -> Business:
    business = Business.objects.filter(join_token=token).first() if token else None
    if business is None:
        raise NotFound("invite link")
    return business


@transaction.atomic
def join_link_rotate(*, actor: Actor) -> Business:
    """A new link for the business; the old one answers 404 from now on."""
    actor.require(*ADMIN_ROLES)
    business = Business.objects.select_for_update().get(pk=actor.business_id)
    business.join_token = new_join_token()
    business.save(update_fields=["join_token"])
    return business


# --- invitations by e-mail ------------------------------------------------------------------


def _create_and_mail(
    actor: Actor, *, email: str, role: str, customer: Customer | None
) -> Invitation:
    now = clock.now()
    # A new invitation to the same address and role replaces a pending one (a resend).
    Invitation.objects.filter(
        business_id=actor.business_id,
        email=email,
        role=role,
        customer=customer,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        business_id=actor.business_id,
        email=email,
        role=role,
        customer=customer,
        token_hash=_hash(token),
        invited_by_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    business = Business.objects.get(pk=actor.business_id)
    inviter = User.objects.get(pk=actor.user_id)
    context = {
        "business": business,
        "inviter": inviter.name or inviter.email,
        "role": role,
        "link": settings.REFAIRN_PUBLIC_URL + reverse("programs:invitation", args=[token]),
        "days": INVITATION_DAYS,
    }
    transaction.on_commit(
        lambda: send_mail(
            subject=f"{context['inviter']} invites you to {business.name} on Refairn",
            message=render_to_string("programs/email/invitation.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )
    return invitation


@transaction.atomic
def staff_invite(*, actor: Actor, email: str, role: str) -> Invitation:
    """The owner invites a manager, reviewer or security member (as ``staff_add`` does for an
    existing account, but the address needs no account yet)."""
    actor.require(Role.OWNER)
    email = email.strip().lower()
    if role not in STAFF_ROLES_INVITED:
        raise field_error("role", "must be manager, reviewer or security")
    if StaffMembership.objects.filter(
        business_id=actor.business_id, user__email=email, role=role
    ).exists():
        raise Conflict(f"{email} is already {role} of this business.", code="already_member")
    return _create_and_mail(actor, email=email, role=role, customer=None)


@transaction.atomic
def customer_invite(*, actor: Actor, email: str) -> Invitation:
    """Owners and managers invite the customer recorded with ``email`` to the customer portal."""
    actor.require(*ADMIN_ROLES)
    email = email.strip().lower()
    customer = Customer.objects.for_actor(actor).filter(email=email).first()
    if customer is None:
        raise field_error(
            "email", "no customer of this business has this address; add the customer first"
        )
    if customer.user_id is not None:
        raise Conflict(f"{email} already uses the customer portal.", code="already_linked")
    return _create_and_mail(actor, email=email, role=CUSTOMER, customer=customer)


def invitation_by_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("business", "customer")
        .filter(token_hash=_hash(token))
        .first()
        if token
        else None
    )
    if invitation is None:
        raise NotFound("invitation")
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, token: str) -> Invitation:
    """409 ``invitation_closed`` once accepted, revoked or expired; a customer record someone
    else already uses: 409 ``already_linked``."""
    invitation = invitation_by_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = state_of(invitation)
    if state != InvitationState.PENDING:
        raise Conflict(f"This invitation is {state}.", code="invitation_closed")
    now = clock.now()
    if invitation.role == CUSTOMER:
        customer = (
            Customer.objects.select_for_update().filter(pk=invitation.customer_id).first()
            if invitation.customer_id is not None
            else None
        )
        if customer is None:
            raise NotFound("customer")
        if customer.user_id not in (None, user.pk):
            raise Conflict("Someone else already uses this customer record.", code="already_linked")
        customer.user = user
        customer.save(update_fields=["user"])
    else:
        StaffMembership.objects.get_or_create(
            business_id=invitation.business_id, user=user, role=invitation.role
        )
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if user.email == invitation.email and user.email_verified_at is None:
        user.email_verified_at = now
        user.save(update_fields=["email_verified_at"])
        events.publish(EmailVerified(user_id=user.pk, email=user.email))
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: Actor, invitation_id: object) -> Invitation:
    actor.require(*ADMIN_ROLES)
    invitation = Invitation.objects.select_for_update().get_for(
        actor, invitation_id, what="invitation"
    )
    if state_of(invitation) != InvitationState.PENDING:
        raise Conflict(f"This invitation is {state_of(invitation)}.", code="invitation_closed")
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


INVITATION_ORDER = ("-created_at", "-id")


def invitations_pending_page(
    actor: Actor, *, limit: int | None, cursor: str | None
) -> Page[Invitation]:
    """The invitations still open, newest first, a page at a time."""
    actor.require(*ADMIN_ROLES)
    return keyset_page(
        Invitation.objects.for_actor(actor).filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=clock.now()
        ),
        order=INVITATION_ORDER,
        limit=page_limit(limit),
        cursor=cursor,
    )
