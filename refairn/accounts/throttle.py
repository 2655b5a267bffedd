"""Sign-in throttling (issue 18) on django-axes: per account at an address, per address, per
account. The rules and limits are in ``domain.throttle`` and the settings
(``REFAIRN_SIGNIN_LIMITS``, ``AXES_COOLOFF_TIME``); this module fits them into axes.

Axes does the bookkeeping: its authentication backend refuses a locked caller before the
password is checked, Django's ``user_login_failed`` signal records each failure, its middleware
turns a lockout into our response. Four things are ours:

- each rule has its own limit (axes has one limit for all its lockout parameters);
- the failure that completes a lock is answered as a failure (wrong password); the lock refuses
  the attempts after it, right password or not, and refusals do not restart the cool-off;
- failures are stamped with the platform clock (``core.clock``), so the test clock and tests
  move cool-offs like every other deadline;
- a success clears only that account's failures at that address: clearing the address's
  failures on other accounts would let an attacker reset the stuffing counter by signing in
  to an account of their own.

Failures outside a password check are recorded here too: a wrong TOTP code (else six digits
could be guessed at leisure) and a sign-up for an address already taken (else sign-up would
enumerate accounts).
"""

from __future__ import annotations

import logging
import math
from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_credentials
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from refairn.accounts.domain import throttle as rules
from refairn.accounts.models import User
from refairn.core import clock
from refairn.core.errors import TooManyRequests, problem_from

log = logging.getLogger(__name__)

LOCKED_DETAIL = "Too many failed sign-in attempts. Wait before trying again."


def account_key(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account an attempt is for, as axes counts it: the email, trimmed and lower-cased
    (as sign-in reads it), so case changes do not open fresh counters."""
    value = (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username")
    return value.strip().lower()[:255] if isinstance(value, str) else None


def client_address(request: HttpRequest) -> str | None:
    """The caller's address (REFAIRN_TRUSTED_PROXIES proxies in front; see docs)."""
    return rules.client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.REFAIRN_TRUSTED_PROXIES,
    )


def _rules() -> tuple[rules.Rule, ...]:
    return rules.rules(**settings.REFAIRN_SIGNIN_LIMITS)


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per rule and the platform clock."""

    def lock_lifts_at(self, request: Any, credentials: dict[str, Any] | None) -> datetime | None:
        """When the latest-lifting lock on this caller lifts; None when nothing is locked."""
        cool_off = get_cool_off(request)
        assert cool_off is not None  # settings always give one
        now = _stamp(request)
        values = {
            "username": get_client_username(request, credentials),
            "ip_address": request.axes_ip_address,
        }
        lifts: list[datetime] = []
        for rule in _rules():
            if any(values[field] is None for field in rule.fields):
                continue
            rows = AccessAttempt.objects.filter(
                **{field: values[field] for field in rule.fields},
                attempt_time__gt=now - cool_off,
            ).values_list("attempt_time", "failures_since_start")
            at = rules.lock_lifts_at(rows, limit=rule.limit, cool_off=cool_off, now=now)
            if at is not None:
                lifts.append(at)
        return max(lifts, default=None)

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return self.lock_lifts_at(request, credentials) is not None

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        # Refused by the backend because already locked: axes records nothing then, and the
        # cool-off must not restart (a user retrying would otherwise never get back in).
        refused = request.axes_locked_out
        now = _stamp(request)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if refused:
            return
        username = get_client_username(request, credentials)
        # A new row is stamped with the wall clock (auto_now_add); the platform clock rules.
        AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,
            user_agent=request.axes_user_agent,
        ).update(attempt_time=now)
        # The failure that completes a lock gets its own honest answer (wrong password, wrong
        # code); the lock applies from the next attempt on. Axes would answer it with the
        # lockout already, and only on its single limit.
        request.axes_locked_out = False
        if self.is_locked(request, credentials):
            log.warning("Sign-in locked for an account or address after repeated failures.")
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        _stamp(request)
        super().user_logged_in(sender, request, user, **kwargs)

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def _stamp(request: Any) -> datetime:
    """Put the platform's now on the request: axes reads its times from there."""
    now = clock.now()
    request.axes_attempt_time = now
    return now


def _handler() -> ThrottleHandler:
    handler = AxesProxyHandler.get_implementation()
    assert isinstance(handler, ThrottleHandler)  # settings.AXES_HANDLER
    return handler


def retry_after(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Seconds until the caller may try again (at least 1)."""
    AxesProxyHandler.update_request(request)
    lifts = _handler().lock_lifts_at(request, credentials)
    if lifts is None:
        return 1
    return max(1, math.ceil((lifts - clock.now()).total_seconds()))


def too_many_attempts(request: HttpRequest, username: str | None) -> TooManyRequests:
    seconds = retry_after(request, get_credentials(username))
    minutes = math.ceil(seconds / 60)
    return TooManyRequests(
        f"{LOCKED_DETAIL} Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        retry_after=seconds,
    )


def guard(request: HttpRequest, username: str | None) -> None:
    """Refuse (429 ``too_many_attempts``) a caller locked out for ``username``, before any
    password is hashed."""
    if settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, get_credentials(username)):
        raise too_many_attempts(request, username)


def record_failure(request: HttpRequest, username: str | None) -> None:
    """Count a failed attempt that no password check reported (a wrong TOTP code, a sign-up
    for a taken address). The attempt keeps its own answer; a lock it completes refuses the
    next ones."""
    AxesProxyHandler.user_login_failed(
        sender=__name__, credentials=get_credentials(username), request=request
    )


def record_success(request: HttpRequest, user: User) -> None:
    """A complete sign-in without a session (API tokens): clear this account's failures at
    this address, as a page sign-in does through ``user_logged_in``."""
    AxesProxyHandler.user_logged_in(sender=__name__, request=request, user=user)


def is_locked_out(request: HttpRequest) -> bool:
    """Whether the axes backend refused this request's password check: it was locked out."""
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request: HttpRequest, *args: Any) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE, called with ``(request, original_response, credentials)`` (or,
    by older axes, without the response): the answer to a locked-out request. The API answers
    problem+json 429 ``too_many_attempts`` with ``Retry-After``; pages show the notice."""
    credentials = args[-1] if args and isinstance(args[-1], dict) else None
    error = too_many_attempts(request, get_client_username(request, credentials))
    if request.path.startswith("/api/"):
        return problem_from(error)
    return lockout_page(request, error)


def lockout_page(request: HttpRequest, error: TooManyRequests) -> HttpResponse:
    """The page a locked-out person sees: what happened and when to try again, status 429."""
    response = render(
        request,
        "accounts/locked_out.html",
        {"detail": error.detail, "retry_after": error.extra["retry_after"]},
        status=error.status,
    )
    for header, value in error.headers.items():
        response[header] = value
    return response
