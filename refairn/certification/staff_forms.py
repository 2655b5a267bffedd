"""Forms of the business's decisions on an agent's certification (PRODUCT.md §4–§5).

The forms are ``refairn.core.forms.ApiForm``s: the API's schemas and the services judge each
submission again.
"""

from __future__ import annotations

from django import forms

from refairn.core.forms import ApiForm


class ReasonForm(ApiForm):
    """A decision that must say why (decline, revoke)."""

    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class OptionalReasonForm(ApiForm):
    reason = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GrantAttemptsForm(ApiForm):
    count = forms.IntegerField(label="Extra attempts", min_value=1, max_value=20, initial=1)
    reason = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
