"""The account pages: API tokens (list, create, revoke) and two-factor authentication
(issue 18), the e-mail address and its verification (issue 12). Thin: the same services and
selectors as ``/api/v1/me/tokens``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from refairn.accounts import selectors, services, verification
from refairn.accounts.domain import totp
from refairn.accounts.forms import CodeForm, TimeZoneForm, TokenForm
from refairn.accounts.models import User
from refairn.core.errors import Conflict, InvalidInput


def page_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


# Both pages can show a secret (a new token, a TOTP secret being set up): never cached.
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """Lists the live tokens; a new one is shown once, on the answer to the form that made it."""
    user = page_user(request)
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in_days"]
        issued = services.token_create(
            user=user, name=form.cleaned_data["name"], expires_in_days=int(days) if days else None
        )
        form = TokenForm()
    context = {
        "form": form,
        "issued": issued,
        "tokens": selectors.token_list_for(user),
        "totp_enabled": services.totp_enabled(user),
    }
    status = 201 if issued else 422 if form.errors else 200
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    services.token_revoke(user=page_user(request), token_id=token_id)
    messages.success(request, "The token was revoked: it no longer works.")
    return redirect("accounts:tokens")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn TOTP on (start, then confirm with a first code) or off (with a current code)."""
    user = page_user(request)
    action = request.POST.get("action")
    form = CodeForm(request.POST if action in {"confirm", "disable"} else None)
    if action == "start":
        try:
            services.totp_setup_start(user=user)
        except Conflict as exc:  # already on (a second tab, a double submit)
            messages.info(request, exc.detail)
        return redirect("accounts:two_factor")
    if action in {"confirm", "disable"} and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if action == "confirm":
                services.totp_setup_confirm(user=user, code=code)
                messages.success(request, "Two-factor authentication is on.")
            else:
                services.totp_disable(user=user, code=code)
                messages.success(request, "Two-factor authentication is off.")
        except (InvalidInput, Conflict) as exc:
            form.add_error("code", exc.detail.removeprefix("otp: "))
        else:
            return redirect("accounts:two_factor")
    enabled = services.totp_enabled(user)
    setup = None if enabled else services.totp_setup_pending(user=user)
    context = {
        "enabled": enabled,
        "setup": setup,
        "secret_text": totp.display_secret(setup.secret) if setup else "",
        "form": form,
    }
    return render(request, "accounts/two_factor.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def email(request: HttpRequest) -> HttpResponse:
    """The address and whether it is verified; a POST mails a new link."""
    user = page_user(request)
    if request.method == "POST" and user.email_verified_at is None:
        verification.email_verification_send(user=user)
        messages.success(request, f"We sent a new link to {user.email}.")
        return redirect("accounts:email")
    return render(request, "accounts/email.html", {"account": user})


@require_http_methods(["GET", "POST"])
def email_verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the mail. Opening it shows a button; only the POST verifies, so a mail
    scanner that fetches links does not act for the person."""
    if request.method == "POST":
        try:
            verification.email_verify(uidb64=uidb64, token=token)
        except InvalidInput as exc:
            if verification.already_confirmed(request.user, uidb64):
                messages.success(request, "Your e-mail address is already confirmed.")
                return redirect("home")
            return render(request, "accounts/email_verify.html", {"error": exc.detail}, status=400)
        messages.success(request, "Thank you: your e-mail address is confirmed.")
        # Home, where a newcomer's next step is (their programs, an invitation accepted, "Create
        # business"); the account page offered nothing further to do.
        return redirect("home" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/email_verify.html", {})


@login_required
@require_http_methods(["GET", "POST"])
def time_zone(request: HttpRequest) -> HttpResponse:
    """Issue 12 item 7: every time on the pages is shown in the zone the person picks here."""
    user = page_user(request)
    form = TimeZoneForm(request.POST or None, initial={"time_zone": user.time_zone})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.user_time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"])
            except InvalidInput as exc:
                form.add_error("time_zone", exc.fields.get("time_zone", exc.detail))
            else:
                messages.success(request, f"Times are now shown in {user.time_zone}.")
                return redirect("accounts:time_zone")
        status = 422
    return render(request, "accounts/time_zone.html", {"form": form}, status=status)
