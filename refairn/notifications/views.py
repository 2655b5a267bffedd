"""The notification preference page and the no-login unsubscribe page (issue 13). Thin: the
same services as ``GET/PUT /me/notification-preferences``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from refairn.accounts.models import User
from refairn.notifications.domain.catalogue import FAMILY_LABELS, Family
from refairn.notifications.domain.delivery import EmailMode
from refairn.notifications.preferences import preferences_get_for, preferences_update
from refairn.notifications.unsubscribe import unsubscribe_read

MODE_CHOICES = [
    (EmailMode.IMMEDIATE.value, "E-mail at once"),
    (EmailMode.DAILY_DIGEST.value, "Daily digest"),
    (EmailMode.OFF.value, "No e-mail"),
]


class PreferencesForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for family in Family:
            self.fields[family.value] = forms.ChoiceField(
                label=FAMILY_LABELS[family], choices=MODE_CHOICES, widget=forms.RadioSelect
            )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Issue 13: e-mail per event family; in-app notifications are always on."""
    user = request.user
    assert isinstance(user, User)  # login_required
    user_id = user.pk
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences_update(
                user_id=user_id,
                changes={Family(k): EmailMode(v) for k, v in form.cleaned_data.items()},
            )
            messages.success(request, "Your notification preferences were saved.")
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=422)
    current = {family.value: mode.value for family, mode in preferences_get_for(user_id).items()}
    form = PreferencesForm(initial=current)
    return render(request, "notifications/preferences.html", {"form": form})


# The token is the credential: mail clients' one-click unsubscribe (RFC 8058) POSTs here with
# no session and no CSRF token. GET only shows the button, because mail scanners follow links.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Issue 13: stop e-mail about one family from a link in a mail, without logging in."""
    target = unsubscribe_read(token)
    if target is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    context = {"family": FAMILY_LABELS[target.family], "done": False}
    if request.method == "POST":
        preferences_update(user_id=target.user_id, changes={target.family: EmailMode.OFF})
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)
