"""The business's agent pages (PRODUCT.md §5–§6): the status matrix with levels, pending
applications, one agent's certifications, support access, SLA record and warnings, and the
decisions on one certification (approve, decline, revoke, reopen, grant attempts).

Which decisions a page offers comes from the same transition tables the services enforce
(``domain.allowed_events``, ``domain.ACCESS_TRANSITIONS``).
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
from refairn.certification.schemas import STATUS_MEANINGS
from refairn.certification.staff_forms import (
    ApplicationForm,
    GrantAttemptsForm,
    OptionalReasonForm,
    ReasonForm,
    ReviewDecisionForm,
    SupportAccessForm,
    WarningForm,
)
from refairn.core import clock
from refairn.core.errors import NotFound
from refairn.core.forms import REFUSALS, ApiForm
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs import services as program_services
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import agent_get_for, agent_rows_for, business_get_for
from refairn.support import selectors as support
from refairn.support import services as support_services
from refairn.support.models import SupportAccessEvent
from refairn.training.selectors import tracks_list_for

LEVEL_LABELS = {
    domain.Level.MASTER: "Master",
    domain.Level.STRONG: "Strong",
    domain.Level.DEVELOPING: "Developing",
    domain.Level.NEEDS_ATTENTION: "Needs Attention",
}
# Statuses worth a word next to the ❌: the business has something to do, or something ended.
_NOTEWORTHY = frozenset(
    {
        domain.Status.PASSED,
        domain.Status.AWAITING_MANUAL_REVIEW,
        domain.Status.EXPIRED,
        domain.Status.REVOKED,
    }
)
_SUPPORT_ACTIONS = {
    domain.AccessEvent.SUSPEND: "suspend",
    domain.AccessEvent.REINSTATE: "reinstate",
    domain.AccessEvent.REMOVE: "remove",
    domain.AccessEvent.REAPPROVE: "reapprove",
}


def _cell(certification: dict[str, Any], now: Any) -> dict[str, Any]:
    status = domain.Status(certification["status"])
    return {
        "track_id": certification["track_id"],
        "status": status.value,
        "label": status.value.replace("_", " "),
        "certified": domain.is_currently_certified(status, certification["expires_at"], now),
        "noteworthy": status in _NOTEWORTHY,
        "expires_at": certification["expires_at"],
    }


# -- the status matrix ---------------------------------------------------------------------


def _agents_page(
    request: HttpRequest,
    actor: Actor,
    *,
    status: int = 200,
    application_forms: dict[str, ApplicationForm] | None = None,
) -> HttpResponse:
    now = clock.now()
    rows: list[dict[str, Any]] = agent_rows_for(actor)
    tracks = tracks_list_for(actor)
    forms = application_forms or {}
    agents = [
        {
            **row,
            "level_label": LEVEL_LABELS[domain.Level(row["level"])],
            "cells": [_cell(c, now) for c in row["certifications"]],
            "form": forms.get(str(row["agent_id"]))
            or ApplicationForm(prefix=f"a-{row['agent_id']}"),
        }
        for row in rows
    ]
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "tracks": tracks,
        "pending": [a for a in agents if a["status"] == "pending"],
        "approved": [a for a in agents if a["status"] == "approved"],
        "rejected": [a for a in agents if a["status"] == "rejected"],
        "can_decide": actor.has(*ADMIN_ROLES),
    }
    return render(request, "certification/staff_agents.html", context, status=status)


@login_required
@require_GET
def agents(request: HttpRequest, business_id: str) -> HttpResponse:
    """PRODUCT.md §5, §8: every agent with ✅/❌ per track, level and support access."""
    return _agents_page(request, staff_actor(request, business_id))


@login_required
@require_POST
def agent_application(request: HttpRequest, business_id: str, agent_id: str) -> HttpResponse:
    """PRODUCT.md §1: the business approves a pending applicant (or rejects, with a reason)."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    key = str(agent_get_for(actor, agent_id).user_id)
    form = ApplicationForm(request.POST, prefix=f"a-{key}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                agent = program_services.agent_approve(actor=actor, agent_id=key)
            else:
                agent = program_services.agent_reject(
                    actor=actor, agent_id=key, reason=data["reason"]
                )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _agents_page(request, actor, status=exc.status, application_forms={key: form})
        name = agent.user.name or agent.user.email
        messages.success(request, f"{name}'s application was {agent.status}.")
        return redirect("certification:agents", business_id=business_id)
    return _agents_page(request, actor, status=422, application_forms={key: form})


# -- one agent -----------------------------------------------------------------------------


def _names(user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID | None, str]:
    """Who acted, for histories that store user ids (one query); ``None`` is the system."""
    keys = {key for key in user_ids if key is not None}
    names: dict[uuid.UUID | None, str] = {None: "system"}
    names |= {user.id: user.name or user.email for user in User.objects.filter(pk__in=keys)}
    return names


def _support_actions(current: str) -> list[str]:
    return [
        action
        for event, action in _SUPPORT_ACTIONS.items()
        if (domain.SupportAccess(current), event) in domain.ACCESS_TRANSITIONS
    ]


def _agent_page(
    request: HttpRequest,
    actor: Actor,
    agent_id: str,
    *,
    status: int = 200,
    access_form: SupportAccessForm | None = None,
    warning_form: WarningForm | None = None,
    review_forms: dict[str, ReviewDecisionForm] | None = None,
) -> HttpResponse:
    agent = agent_get_for(actor, agent_id)
    business = business_get_for(actor)
    now = clock.now()
    tracks = {t.id: t for t in tracks_list_for(actor)}
    summaries = selectors.certification_summaries_for(business=business, agent_ids=[agent.user_id])
    level = selectors.agent_levels_for(business=business, agent_ids=[agent.user_id], now=now)
    sla = support.agent_sla_for(actor, agent.user_id)
    history = list(
        SupportAccessEvent.objects.for_actor(actor).filter(agent_id=agent.user_id).order_by("-at")
    )
    names = _names([e.by_id for e in history] + [r.decided_by_id for r in sla["reviews"]])
    actions = _support_actions(agent.support_access)
    reviews = review_forms or {}
    context = {
        "business": business,
        "actor": actor,
        "agent": agent,
        "level_label": LEVEL_LABELS[domain.Level(level[agent.user_id])],
        "certifications": [
            {**_cell(c, now), "track": tracks[c["track_id"]]} for c in summaries[agent.user_id]
        ],
        "sla": sla,
        "reviews": [
            {
                "review": r,
                "decided_by": names.get(r.decided_by_id, ""),
                "form": reviews.get(str(r.id)) or ReviewDecisionForm(prefix=f"r-{r.id}"),
            }
            for r in sla["reviews"]
        ],
        "access_history": [
            {"event": e, "by": names.get(e.by_id, "a former member")} for e in history
        ],
        "access_form": access_form or SupportAccessForm(actions=actions),
        "access_actions": actions,
        "warning_form": warning_form or WarningForm(),
        "can_decide": actor.has(*ADMIN_ROLES),
    }
    return render(request, "certification/staff_agent.html", context, status=status)


@login_required
@require_GET
def agent_detail(request: HttpRequest, business_id: str, agent_id: str) -> HttpResponse:
    return _agent_page(request, staff_actor(request, business_id), agent_id)


@login_required
@require_POST
def support_access(request: HttpRequest, business_id: str, agent_id: str) -> HttpResponse:
    """PRODUCT.md §6: suspend, reinstate, remove or re-approve support access, with a reason."""
    actor = staff_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    agent = agent_get_for(actor, agent_id)
    form = SupportAccessForm(request.POST, actions=_support_actions(agent.support_access))
    if form.is_valid():
        try:
            agent = support_services.support_access_change(
                actor=actor,
                agent_id=agent.user_id,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except REFUSALS as exc:
            form.add_domain_error(exc, field="action")
            return _agent_page(request, actor, agent_id, status=exc.status, access_form=form)
        messages.success(request, f"Support access is now {agent.support_access}.")
        return redirect("certification:agent_detail", business_id=business_id, agent_id=agent_id)
    return _agent_page(request, actor, agent_id, status=422, access_form=form)


@login_required
@require_POST
def agent_warning(request: HttpRequest, business_id: str, agent_id: str) -> HttpResponse:
    """PRODUCT.md §6: a warning sent by hand."""
    actor = staff_actor(request, business_id)
    agent = agent_get_for(actor, agent_id)
    form = WarningForm(request.POST)
    if form.is_valid():
        try:
            support_services.warning_send(
                actor=actor, agent_id=agent.user_id, message=form.cleaned_data["message"]
            )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _agent_page(request, actor, agent_id, status=exc.status, warning_form=form)
        messages.success(request, "Warning sent.")
        return redirect("certification:agent_detail", business_id=business_id, agent_id=agent_id)
    return _agent_page(request, actor, agent_id, status=422, warning_form=form)


@login_required
@require_POST
def review_decide(
    request: HttpRequest, business_id: str, agent_id: str, review_id: str
) -> HttpResponse:
    """PRODUCT.md §6: a performance review ends with keep, or remove support access."""
    actor = staff_actor(request, business_id)
    review = support.review_get_for(actor, review_id)
    if str(review.agent_id) != str(agent_get_for(actor, agent_id).user_id):
        raise NotFound("performance review")
    form = ReviewDecisionForm(request.POST, prefix=f"r-{review.id}")
    if form.is_valid():
        try:
            support_services.review_decide(
                actor=actor,
                review_id=review.id,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _agent_page(
                request,
                actor,
                agent_id,
                status=exc.status,
                review_forms={str(review.id): form},
            )
        messages.success(request, "Performance review decided.")
        return redirect("certification:agent_detail", business_id=business_id, agent_id=agent_id)
    return _agent_page(request, actor, agent_id, status=422, review_forms={str(review.id): form})


# -- one certification ---------------------------------------------------------------------

# The forms of the decisions, by the event each applies (grant changes no status).
_DECISION_FORMS: dict[str, type[ApiForm]] = {
    "approve": ApiForm,
    "decline": ReasonForm,
    "revoke": ReasonForm,
    "reopen": OptionalReasonForm,
    "grant": GrantAttemptsForm,
}


def _offered(status: str, actor: Actor) -> list[str]:
    """PRODUCT.md §5: the decisions legal from ``status`` that this actor may take."""
    legal = domain.allowed_events(domain.Status(status))
    offered = [
        action
        for action, event in (
            ("approve", domain.Event.APPROVE),
            ("decline", domain.Event.DECLINE),
        )
        if event in legal
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
    names = _names(event["by"] for event in detail["history"])
    agent = agent_get_for(actor, agent_id)
    offered = _offered(detail["status"], actor)
    forms = {action: _DECISION_FORMS[action](prefix=action) for action in offered}
    if bound is not None:
        forms[bound[0]] = bound[1]
    context = {
        "business": business_get_for(actor),
        "actor": actor,
        "agent": agent,
        "detail": detail,
        "meaning": STATUS_MEANINGS[domain.Status(detail["status"])],
        "history": [
            {**event, "by_name": names.get(event["by"], "a former member")}
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
    return _certification_page(request, staff_actor(request, business_id), agent_id, track_id)


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
