"""Log in and Sign up links that bring a person back (issue 12): someone who opens an invitation
or an agent invite link and reaches for the header's "Sign up" must land on that invitation
again, signed in, not on an empty home."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def return_query(context: Any) -> str:
    """``?next=…`` for a Log in or Sign up link: the page the person is on, or, on the login
    and sign-up pages themselves, the page those already lead back to. The views check the
    target again before following it."""
    request = context.get("request")
    if request is None:
        return ""
    if request.path in (reverse("accounts:login"), reverse("accounts:signup")):
        target = context.get("next") or ""  # both views vet it before they show it
    else:
        target = request.get_full_path()
    if not target.startswith("/") or target == reverse("home"):
        return ""
    return "?" + urlencode({"next": target})
