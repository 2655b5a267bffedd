from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from refairn.accounts import throttle
from refairn.accounts.forms import SignupForm
from refairn.accounts.services import user_signup
from refairn.core.errors import DomainError, InvalidInput, TooManyRequests


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
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
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})
