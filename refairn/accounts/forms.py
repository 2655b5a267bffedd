from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self) -> str:
        # Emails are stored lower-cased (as the API reads them); the throttle counts them so.
        return str(self.cleaned_data["username"]).strip().lower()


class SignupForm(forms.Form):
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common or all-numeric password.",
    )


class CodeForm(forms.Form):
    """A TOTP code from the user's authenticator app."""

    code = forms.CharField(
        label="Authentication code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


LIFETIME_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("", "Never")]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. the integration that uses it."
    )
    expires_in_days = forms.ChoiceField(
        label="Expires after", choices=LIFETIME_CHOICES, initial="90", required=False
    )


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Dates and times on the pages are shown in this zone.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from refairn.accounts.services import available_time_zones

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [  # type: ignore[attr-defined]
            (z, z.replace("_", " ")) for z in sorted(available_time_zones())
        ]
