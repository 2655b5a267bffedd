"""The sign-in pages: email and password, then the TOTP code when the user has turned it on
(issue 18). Both steps are throttled (``throttle``): a lockout shows a notice, status 429."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from refairn.accounts import services, signin, throttle
from refairn.accounts.forms import CodeForm, EmailAuthenticationForm
from refairn.accounts.models import User
from refairn.core import clock
from refairn.core.errors import TooManyRequests

# Who passed the password step and still owes a code. Kept in the session, which Django
# renews at login(), so the half-signed-in state cannot be fixed by someone else.
PENDING = "refairn_signin_pending"
PENDING_FOR = timedelta(minutes=5)


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not services.totp_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": str(user.pk),
            "backend": user.backend,
            "at": clock.now().isoformat(),
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:login_code")


def _pending(request: HttpRequest) -> tuple[User, dict[str, str]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if clock.now() - datetime.fromisoformat(pending["at"]) > PENDING_FOR:
        del request.session[PENDING]
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user is not None else None


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    found = _pending(request)
    if found is None:
        messages.info(request, "Sign in with your email and password first.")
        return redirect("accounts:login")
    user, pending = found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = signin.code_check(request, user=user, code=form.cleaned_data["code"])
        except TooManyRequests as exc:
            return throttle.lockout_page(request, exc)
        if accepted:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"] or resolve_url(settings.LOGIN_REDIRECT_URL))
        form.add_error("code", "This code is wrong or was already used. Try the next one.")
    status = 422 if form.errors else 200
    return render(request, "accounts/login_code.html", {"form": form}, status=status)
