"""The business's agent pages (PRODUCT.md §5–§6): the status matrix with levels, pending
applications, and one agent's certifications, support access, SLA record and warnings.

Which support access decisions a page offers comes from the same transition table the services
enforce (``support.domain.access.ACCESS_TRANSITIONS``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from refairn.certification import domain as cert_domain
from refairn.certification.selectors import agent_levels_for, certification_summaries_for
from refairn.certification.staff_views import user_names
from refairn.core import clock
from refairn.core.errors import NotFound
from refairn.core.forms import REFUSALS
from refairn.core.tenancy import ADMIN_ROLES, Actor
from refairn.programs import services as program_services
from refairn.programs.edge import staff_actor
from refairn.programs.selectors import agent_get_for, business_get_for
from refairn.support import selectors, services
from refairn.support.domain.access import ACCESS_TRANSITIONS, AccessEvent, AccessStatus
from refairn.support.models import SupportAccessEvent
from refairn.support.staff_forms import (
    ApplicationForm,
    ReviewDecisionForm,
    SupportAccessForm,
    SupportLevelForm,
    WarningForm,
)
from refairn.training.domain import ContentStatus
from refairn.training.selectors import tracks_list_for

LEVEL_LABELS = {
    cert_domain.Level.MASTER: "Master",
    cert_domain.Level.STRONG: "Strong",
    cert_domain.Level.DEVELOPING: "Developing",
    cert_domain.Level.NEEDS_ATTENTION: "Needs Attention",
}
# Statuses worth a word next to the ❌: the business has something to do, or something ended.
_NOTEWORTHY = frozenset(
    {
        cert_domain.Status.PASSED,
        cert_domain.Status.AWAITING_MANUAL_REVIEW,
        cert_domain.Status.EXPIRED,
        cert_domain.Status.REVOKED,
    }
)
_SUPPORT_ACTIONS = {
    AccessEvent.SUSPEND: "suspend",
    AccessEvent.REINSTATE: "reinstate",
    AccessEvent.REMOVE: "remove",
    AccessEvent.REAPPROVE: "reapprove",
}


def _cell(certification: dict[str, Any], now: Any) -> dict[str, Any]:
    status = cert_domain.Status(certification["status"])
    expires_at = certification["expires_at"]
    return {
        "track_id": certification["track_id"],
        "status": status.value,
        "label": status.value.replace("_", " "),
        "certified": cert_domain.is_currently_certified(status, expires_at, now),
        "noteworthy": status in _NOTEWORTHY,
        "expires_at": expires_at,
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
    rows: list[dict[str, Any]] = selectors.agent_rows_for(actor)
    # The columns are the certification rows' tracks: a draft track has none (issue 12).
    tracks = [t for t in tracks_list_for(actor) if t.status != ContentStatus.DRAFT]
    forms = application_forms or {}
    agents = [
        {
            **row,
            "level_label": LEVEL_LABELS[cert_domain.Level(row["level"])],
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
    return render(request, "support/staff_agents.html", context, status=status)


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
        return redirect("support:agents", business_id=business_id)
    return _agents_page(request, actor, status=422, application_forms={key: form})


# -- one agent -----------------------------------------------------------------------------


def _support_actions(current: str) -> list[str]:
    return [
        action
        for event, action in _SUPPORT_ACTIONS.items()
        if (AccessStatus(current), event) in ACCESS_TRANSITIONS
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
    level_form: SupportLevelForm | None = None,
) -> HttpResponse:
    agent = agent_get_for(actor, agent_id)
    business = business_get_for(actor)
    now = clock.now()
    tracks = {t.id: t for t in tracks_list_for(actor)}
    summaries = certification_summaries_for(business=business, agent_ids=[agent.user_id])
    level = agent_levels_for(business=business, agent_ids=[agent.user_id], now=now)
    sla = selectors.agent_sla_for(actor, agent.user_id)
    history = list(
        SupportAccessEvent.objects.for_actor(actor).filter(agent_id=agent.user_id).order_by("-at")
    )
    names = user_names([e.by_id for e in history] + [r.decided_by_id for r in sla["reviews"]])
    access = selectors.support_access_of(business_id=actor.business_id, agent_id=agent.user_id)
    actions = _support_actions(access)
    reviews = review_forms or {}
    context = {
        "business": business,
        "actor": actor,
        "agent": agent,
        "support_access": access.value,
        "level_label": LEVEL_LABELS[cert_domain.Level(level[agent.user_id])],
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
        "level_form": level_form
        or SupportLevelForm(initial={"support_level": agent.support_level}),
        "can_decide": actor.has(*ADMIN_ROLES),
    }
    return render(request, "support/staff_agent.html", context, status=status)


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
    access = selectors.support_access_of(business_id=actor.business_id, agent_id=agent.user_id)
    form = SupportAccessForm(request.POST, actions=_support_actions(access))
    if form.is_valid():
        try:
            access = services.support_access_change(
                actor=actor,
                agent_id=agent.user_id,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except REFUSALS as exc:
            form.add_domain_error(exc, field="action")
            return _agent_page(request, actor, agent_id, status=exc.status, access_form=form)
        messages.success(request, f"Support access is now {access}.")
        return redirect("support:agent_detail", business_id=business_id, agent_id=agent_id)
    return _agent_page(request, actor, agent_id, status=422, access_form=form)


@login_required
@require_POST
def support_level(request: HttpRequest, business_id: str, agent_id: str) -> HttpResponse:
    """Issue 11 item 6: owners and managers set the agent's support level
    (``PATCH /businesses/{b}/agents/{a}``)."""
    actor = staff_actor(request, business_id)
    agent = agent_get_for(actor, agent_id)
    form = SupportLevelForm(request.POST)
    if form.is_valid():
        try:
            agent = program_services.agent_support_level_set(
                actor=actor, agent_id=agent.user_id, level=form.cleaned_data["support_level"]
            )
        except REFUSALS as exc:
            form.add_domain_error(exc, field="support_level")
            return _agent_page(request, actor, agent_id, status=exc.status, level_form=form)
        messages.success(request, f"Support level is now {agent.support_level}.")
        return redirect("support:agent_detail", business_id=business_id, agent_id=agent_id)
    return _agent_page(request, actor, agent_id, status=422, level_form=form)


@login_required
@require_POST
def agent_warning(request: HttpRequest, business_id: str, agent_id: str) -> HttpResponse:
    """PRODUCT.md §6: a warning sent by hand."""
    actor = staff_actor(request, business_id)
    agent = agent_get_for(actor, agent_id)
    form = WarningForm(request.POST)
    if form.is_valid():
        try:
            services.warning_send(
                actor=actor, agent_id=agent.user_id, message=form.cleaned_data["message"]
            )
        except REFUSALS as exc:
            form.add_domain_error(exc)
            return _agent_page(request, actor, agent_id, status=exc.status, warning_form=form)
        messages.success(request, "Warning sent.")
        return redirect("support:agent_detail", business_id=business_id, agent_id=agent_id)
    return _agent_page(request, actor, agent_id, status=422, warning_form=form)


@login_required
@require_POST
def review_decide(
    request: HttpRequest, business_id: str, agent_id: str, review_id: str
) -> HttpResponse:
    """PRODUCT.md §6: a performance review ends with keep, or remove support access."""
    actor = staff_actor(request, business_id)
    review = selectors.review_get_for(actor, review_id)
    if str(review.agent_id) != str(agent_get_for(actor, agent_id).user_id):
        raise NotFound("performance review")
    form = ReviewDecisionForm(request.POST, prefix=f"r-{review.id}")
    if form.is_valid():
        try:
            services.review_decide(
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
        return redirect("support:agent_detail", business_id=business_id, agent_id=agent_id)
    return _agent_page(request, actor, agent_id, status=422, review_forms={str(review.id): form})
