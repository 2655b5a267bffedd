"""The business's page of one agent's certification in one track (PRODUCT.md §4–§5): its whole
history, and the decisions it allows (approve, decline, revoke, reopen, grant attempts). Which
decisions the page offers comes from the same transition table the services enforce
(``domain.allowed_events``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from refairn.accounts.models import User
from refairn.certification import domain, selectors, services
from refairn.certification.schemas import status_meaning
from refairn.certification.staff_forms import GrantAttemptsForm, OptionalReasonForm, ReasonForm
from refairn.certification.views import STATUS_LABELS
from refairn.core.errors import NotFound
from refairn.core.forms import REFUSALS, ApiForm
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import agent_get_for, business_get_for


def _status_words(value: str) -> str:
    """A status as the history shows it (issue 12 item 9: words, not codes)."""
    try:
        return STATUS_LABELS[domain.Status(value)]
    except ValueError:
        return value.replace("_", " ")


def user_names(user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID | None, str]:
    """Who acted, for histories that store user ids (one query); ``None`` is the system."""
    keys = {key for key in user_ids if key is not None}
    names: dict[uuid.UUID | None, str] = {None: "system"}
    names |= {user.id: user.name or user.email for user in User.objects.filter(pk__in=keys)}
    return names


# The forms of the decisions, by the event each applies (grant changes no status).
_DECISION_FORMS: dict[str, type[ApiForm]] = {
    "approve": ApiForm,
    "decline": ReasonForm,
    "revoke": ReasonForm,
    "reopen": OptionalReasonForm,
    "grant": GrantAttemptsForm,
}


def _offered(detail: dict[str, Any], actor: Actor) -> list[str]:
    """PRODUCT.md §5: the decisions legal from the certification's status that this actor may
    take; a passed renewal waiting for the business is approved or declined like a pass."""
    legal = domain.allowed_events(domain.Status(detail["status"]))
    offered = [
        action
        for action, event in (
            ("approve", domain.Event.APPROVE),
            ("decline", domain.Event.DECLINE),
        )
        if event in legal or detail["renewal_passed_at"] is not None
    ]
    if actor.has(*ADMIN_ROLES):
        offered += [
            action
            for action, event in (
                ("revoke", domain.Event.REVOKE),
                ("reopen", domain.Event.REOPEN),
            )
            if event in legal
        ]
        offered.append("grant")
    return offered


def _certification_page(
    request: HttpRequest,
    actor: Actor,
    agent_id: str,
    track_id: str,
    *,
    status: int = 200,
    bound: tuple[str, ApiForm] | None = None,
) -> HttpResponse:
    detail = selectors.certification_detail_for(actor, agent_id, track_id)
    names = user_names(event["by"] for event in detail["history"])
    agent = agent_get_for(actor, agent_id)
    offered = _offered(detail, actor)
    forms = {action: _DECISION_FORMS[action](prefix=action) for action in offered}
    if bound is not None:
        forms[bound[0]] = bound[1]
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "agent": agent,
        "detail": detail,
        "status_label": STATUS_LABELS[domain.Status(detail["status"])],
        "meaning": status_meaning(domain.Status(detail["status"]), detail["declined_reason"]),
        "history": [
            {
                **event,
                "by_name": names.get(event["by"], "a former member"),
                "from_label": _status_words(event["from"]),
                "to_label": _status_words(event["to"]),
            }
            for event in detail["history"]
        ],
        "forms": forms,
    }
    return render(request, "certification/staff_certification.html", context, status=status)


@login_required
@require_GET
def certification_detail(
    request: HttpRequest, business_id: str, agent_id: str, track_id: str
) -> HttpResponse:
    """PRODUCT.md §5: one certification with its whole history and the decisions it allows."""
    actor = staff_actor(request, business_id)
    services.attempts_settle(business_id=actor.business_id)
    return _certification_page(request, actor, agent_id, track_id)


def _decide(actor: Actor, action: str, agent_id: str, track_id: str, data: dict[str, Any]) -> str:
    a, t = agent_id, track_id
    if action == "approve":
        services.certification_approve(actor=actor, agent_id=a, track_id=t)
        return "Certification approved."
    if action == "decline":
        services.certification_decline(actor=actor, agent_id=a, track_id=t, reason=data["reason"])
        return "Certification declined; the agent's retry rules apply."
    if action == "revoke":
        services.certification_revoke(actor=actor, agent_id=a, track_id=t, reason=data["reason"])
        return "Certification revoked."
    if action == "reopen":
        services.certification_reopen(actor=actor, agent_id=a, track_id=t, reason=data["reason"])
        return "Certification reopened: the agent starts the track over."
    services.certification_grant_attempts(
        actor=actor, agent_id=a, track_id=t, count=data["count"], reason=data["reason"]
    )
    return f"{data['count']} extra attempt(s) granted."


@login_required
@require_POST
def certification_decide(
    request: HttpRequest, business_id: str, agent_id: str, track_id: str, action: str
) -> HttpResponse:
    """PRODUCT.md §4–§5: approve, decline or revoke (with a reason), reopen, grant attempts."""
    actor = staff_actor(request, business_id)
    form_class = _DECISION_FORMS.get(action)
    if form_class is None:
        raise NotFound("decision")
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            done = _decide(actor, action, agent_id, track_id, form.cleaned_data)
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _certification_page(
                request, actor, agent_id, track_id, status=exc.status, bound=(action, form)
            )
        messages.success(request, done)
        return redirect(
            "certification:certification_detail",
            business_id=business_id,
            agent_id=agent_id,
            track_id=track_id,
        )
    return _certification_page(request, actor, agent_id, track_id, status=422, bound=(action, form))
