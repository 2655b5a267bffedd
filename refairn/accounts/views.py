from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from refairn.accounts import throttle
from refairn.accounts.forms import SignupForm
from refairn.accounts.services import user_signup
from refairn.core.errors import DomainError, InvalidInput, TooManyRequests


def _next_page(request: HttpRequest) -> str:
    """Where to go after signing up: a page of ours named in ``next`` (an invitation), else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else reverse("home")


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            throttle.guard(request, email)
            user = user_signup(**form.cleaned_data)
        except TooManyRequests as exc:
            return throttle.lockout_page(request, exc)
        except InvalidInput as exc:
            for field, message in exc.fields.items():
                form.add_error(field if field in form.fields else None, message)
        except DomainError as exc:
            if exc.code == "email_taken":  # as on the API: a taken address counts as a failure
                throttle.record_failure(request, email)
            form.add_error("email" if exc.code == "email_taken" else None, exc.detail)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_page(request))
    return render(request, "accounts/signup.html", {"form": form, "next": _next_page(request)})
