"""The business audit log page (issue 18 item 9): who changed what, when and why, newest first,
filtered by kind, person and days, for owners and managers. Thin: the selector of
``GET /businesses/{b}/audit-log``."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from refairn.core.forms import REFUSALS, DayField
from refairn.core.pagination import Page
from refairn.programs.edge import page_actor
from refairn.programs.selectors import business_get_for
from refairn.reporting.domain.audit import AuditEntry, AuditKind
from refairn.reporting.selectors.audit import AuditFilter, audit_actors_for, audit_log_page_for


class AuditFilterForm(forms.Form):
    """The log's filters (a GET form: reading writes nothing)."""

    kind = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), *[(k.value, k.value.replace("_", " ")) for k in AuditKind]],
    )
    actor = forms.ChoiceField(label="Who", required=False)
    since = DayField(label="From", required=False)
    until = DayField(label="To", required=False)
    cursor = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", "Anyone"), *people]  # type: ignore[attr-defined]

    def where(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            kind=AuditKind(data["kind"]) if data["kind"] else None,
            actor_id=uuid.UUID(data["actor"]) if data["actor"] else None,
            since=data["since"],
            until=data["until"],
            zone=timezone.get_current_timezone(),
        )


@login_required
@require_GET
def audit_log(request: HttpRequest, business_id: str) -> HttpResponse:
    """Issue 18: the business's audit log, a page at a time (owners and managers)."""
    actor = page_actor(request, business_id)
    people = [(str(key), name) for key, name in audit_actors_for(actor)]
    form = AuditFilterForm(request.GET or None, people=people)
    status = 200
    page: Page[AuditEntry] = Page([], None)
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        where = form.where() if form.is_bound else AuditFilter()
        cursor = form.cleaned_data["cursor"] or None if form.is_bound else None
        try:
            page = audit_log_page_for(actor, where=where, cursor=cursor)
        except REFUSALS as exc:
            form.add_error("cursor", exc.detail)
            status = exc.status
    next_query = None
    if page.next_cursor:
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in form.data.items() if k != "cursor" and v})
        query["cursor"] = page.next_cursor
        next_query = query.urlencode()
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "form": form,
        "entries": page.items,
        "next_query": next_query,
    }
    return render(request, "reporting/audit_log.html", context, status=status)
