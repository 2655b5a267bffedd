"""Password reset by e-mail and password change (issue 12): Django's own views, forms and
tokens, with our templates. Reset links are built from REFAIRN_PUBLIC_URL, never from the
request's Host header."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def get_form_kwargs(self) -> dict[str, Any]:
        self.extra_email_context = {"public_url": settings.REFAIRN_PUBLIC_URL}
        return super().get_form_kwargs()


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Keeps the person signed in here (Django updates the session hash) and signs out every
    other session of theirs."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change")

    def form_valid(self, form: Any) -> Any:
        messages.success(self.request, "Your password is changed.")
        return super().form_valid(form)
