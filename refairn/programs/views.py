"""Web pages for a user's programs. Thin: they call the same selectors and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from refairn.core.errors import DomainError, InvalidInput
from refairn.core.tenancy import ADMIN_ROLES
from refairn.programs import selectors, services
from refairn.programs.edge import page_actor, page_user
from refairn.programs.forms import BusinessForm
from refairn.programs.settings_form import ProgramSettingsForm
from refairn.training.selectors import tracks_list_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        business = services.business_create(user=page_user(request), name=form.cleaned_data["name"])
        messages.success(request, f"{business.name} is ready. You are its owner.")
        return redirect("programs:business", business_id=business.id)
    return render(
        request,
        "programs/home.html",
        {"memberships": selectors.memberships_for_user(page_user(request)), "form": form},
    )


@login_required
def business(request: HttpRequest, business_id: str) -> HttpResponse:
    actor = page_actor(request, business_id)
    context = {
        "business": selectors.business_get_for(actor),
        "actor": actor,
        "agents": selectors.agents_list_for(actor) if actor.is_staff else [],
        "customers": selectors.customers_list_for(actor) if actor.is_staff else [],
    }
    return render(request, "programs/business.html", context)


@login_required
def program_settings(request: HttpRequest, business_id: str) -> HttpResponse:
    """Every program setting in one form; the API's validator decides what is valid."""
    actor = page_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    business = selectors.business_get_for(actor)
    tracks = [(str(t.id), t.name) for t in tracks_list_for(actor)]
    form = ProgramSettingsForm(
        request.POST or None,
        tracks=tracks,
        initial=ProgramSettingsForm.initial_from(business.settings, tracks),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.settings_update(actor=actor, patch=form.to_settings())
            except InvalidInput as exc:
                form.add_settings_errors(exc.fields)
            else:
                messages.success(request, "Settings saved.")
                return redirect("programs:settings", business_id=business.id)
        status = 422
    return render(
        request,
        "programs/settings.html",
        {"business": business, "actor": actor, "form": form},
        status=status,
    )


@login_required
@require_POST
def approve_agent(request: HttpRequest, business_id: str, agent_id: str) -> HttpResponse:
    actor = page_actor(request, business_id)
    try:
        agent = services.agent_approve(actor=actor, agent_id=agent_id)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, f"{agent.user.name or agent.user.email} is now an approved agent."
        )
    return redirect("programs:business", business_id=business_id)
