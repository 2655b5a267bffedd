"""Web pages for a user's programs. Thin: they call the same selectors and services as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from refairn.core.errors import DomainError, InvalidInput
from refairn.core.tenancy import ADMIN_ROLES
from refairn.programs import home_panels, selectors, services, settings_sections
from refairn.programs.edge import page_actor, page_user
from refairn.programs.forms import BusinessForm
from refairn.programs.settings_sections import SectionForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programs/home.html",
        {"memberships": selectors.memberships_for_user(page_user(request))},
    )


@login_required
def business_new(request: HttpRequest) -> HttpResponse:
    """Creating a business is an account's act (issue 12 item 4), offered from the account
    menu rather than on every member's home."""
    form = BusinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        business = services.business_create(user=page_user(request), name=form.cleaned_data["name"])
        messages.success(request, f"{business.name} is ready. You are its owner.")
        return redirect("programs:business", business_id=business.id)
    status = 422 if form.is_bound else 200
    return render(request, "programs/business_new.html", {"form": form}, status=status)


OVERVIEW_CUSTOMERS = 20


@login_required
def business(request: HttpRequest, business_id: str) -> HttpResponse:
    actor = page_actor(request, business_id)
    context = {
        "business": selectors.business_get_for(actor),
        "actor": actor,
        "agents": selectors.agents_list_for(actor) if actor.is_staff else [],
        "panels": home_panels.panels_for(actor),
        # The first customers only: the customers page lists them all, a page at a time.
        "customers": (
            selectors.customers_page_for(actor, limit=OVERVIEW_CUSTOMERS, cursor=None)
            if actor.is_staff
            else None
        ),
    }
    return render(request, "programs/business.html", context)


@login_required
def program_settings(request: HttpRequest, business_id: str) -> HttpResponse:
    """Every program setting on one page, one fieldset per settings section; the sections'
    validation (``settings_update``) decides what is valid and names the fields it refuses."""
    actor = page_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    business = selectors.business_get_for(actor)
    data = request.POST if request.method == "POST" else None
    parts = [
        (
            section.title,
            section.form(
                data,
                business_id=business.id,
                initial=section.form.initial_from(business.settings, business.id),
            ),
        )
        for section in settings_sections.sections()
        if section.form is not None
    ]
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        # Every form is validated, so each shows its own errors at once.
        if all([form.is_valid() for _, form in parts]):
            patch: dict[str, object] = {}
            for _, form in parts:
                patch |= form.to_patch()
            try:
                services.settings_update(actor=actor, patch=patch)
            except InvalidInput as exc:
                errors = _place_errors(exc.fields, [form for _, form in parts])
            else:
                messages.success(request, "Settings saved.")
                return redirect("programs:settings", business_id=business.id)
        status = 422
    return render(
        request,
        "programs/settings.html",
        {
            "business": business,
            "actor": actor,
            "sections": parts,
            "invalid": status == 422,
            "errors": errors,
        },
        status=status,
    )


def _place_errors(fields: dict[str, str], forms: list[SectionForm]) -> list[str]:
    """Each error at the field that edits its path; the rest for the page's error summary."""
    unplaced = []
    for path, message in fields.items():
        for form in forms:
            if (name := form.field_for(path)) is not None:
                form.add_error(name, message)
                break
        else:
            unplaced.append(f"{path}: {message}")
    return unplaced


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
