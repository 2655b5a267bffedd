"""The request edge: the caller of an API operation or a page, as a user and as an ``Actor`` in
one business. Every app's ``api`` and ``views`` modules build their actors here, so "404 outside
the business, 403 for a role that may not" is one piece of code.
"""

from __future__ import annotations

from django.http import HttpRequest

from refairn.accounts.auth import request_user
from refairn.accounts.models import User
from refairn.core.tenancy import Actor
from refairn.programs.selectors import actor_for


def api_actor(request: HttpRequest, business_id: object) -> Actor:
    """The token's user as an actor in ``business_id`` (API operations)."""
    return actor_for(request_user(request), business_id)


def page_user(request: HttpRequest) -> User:
    """The logged-in user of a page (views are wrapped in ``login_required``)."""
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def page_actor(request: HttpRequest, business_id: object) -> Actor:
    """The logged-in user as an actor in ``business_id`` (pages)."""
    return actor_for(page_user(request), business_id)


def staff_actor(request: HttpRequest, business_id: object) -> Actor:
    """The logged-in user as staff of ``business_id``: 404 outside it, 403 for a non-staff
    member."""
    actor = page_actor(request, business_id)
    actor.require_staff()
    return actor
