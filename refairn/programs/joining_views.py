"""Pages for getting people in (issue 12): the agent invite link, invitations by e-mail and the
business's "People" page. Thin: ``programs.invitations`` decides."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from refairn.core.errors import Conflict, DomainError, InvalidInput
from refairn.core.tenancy import ADMIN_ROLES, Actor, Role
from refairn.programs import invitations, selectors, services
from refairn.programs.edge import page_actor, page_user
from refairn.programs.forms import CustomerInviteForm, StaffInviteForm
from refairn.programs.models import Business


def _sign_in_links(request: HttpRequest, email: str = "") -> dict[str, str]:
    """Where an anonymous visitor signs up or logs in and comes back here."""
    back = {"next": request.get_full_path()}
    signup = {**back, **({"email": email} if email else {})}
    return {
        "signup_url": f"{reverse('accounts:signup')}?{urlencode(signup)}",
        "login_url": f"{reverse('accounts:login')}?{urlencode(back)}",
    }


def _apply(request: HttpRequest, business: Business) -> HttpResponse:
    try:
        services.agent_apply(user=page_user(request), business_id=business.id)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"You applied to {business.name}. The business will decide soon.")
    return redirect("home")


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The agent invite link: anyone with it may apply; the business decides."""
    business = invitations.business_by_join_token(token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(_sign_in_links(request)["login_url"])
        return _apply(request, business)
    return render(request, "programs/join.html", {"program": business, **_sign_in_links(request)})


@login_required
@require_POST
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Applying from the public program page (``training``'s ``/programs/<slug>/``)."""
    return _apply(request, selectors.business_by_slug(slug))


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = invitations.invitation_by_token(token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(_sign_in_links(request, found.email)["login_url"])
        try:
            invitations.invitation_accept(user=page_user(request), token=token)
        except DomainError as exc:
            messages.error(request, exc.detail)
            return redirect("programs:invitation", token=token)
        messages.success(request, f"Welcome to {found.business.name}.")
        if found.role == invitations.CUSTOMER:
            return redirect("home")
        return redirect("programs:business", business_id=found.business_id)
    return render(
        request,
        "programs/invitation.html",
        {
            "invitation": found,
            "state": invitations.state_of(found),
            **_sign_in_links(request, found.email),
        },
    )


def _people_context(request: HttpRequest, business_id: str) -> dict[str, object]:
    actor = page_actor(request, business_id)
    actor.require(*ADMIN_ROLES)
    business = selectors.business_get_for(actor)
    return {
        "business": business,
        "actor": actor,
        "join_link": invitations.join_link(business),
        # The page itself is training's (it lists the tracks); its address is public like the link.
        "public_page": settings.REFAIRN_PUBLIC_URL
        + reverse("training:program_public", args=[business.slug]),
        # The newest open invitations; the API pages through all of them.
        "pending": invitations.invitations_pending_page(actor, limit=None, cursor=None).items,
        "applications": [a for a in selectors.agents_list_for(actor) if a.status == "pending"],
        "staff_form": StaffInviteForm(prefix="staff") if Role.OWNER in actor.roles else None,
        "customer_form": CustomerInviteForm(prefix="customer"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, business_id: str) -> HttpResponse:
    """The invite link, invitations by e-mail and the applications waiting for a decision."""
    context = _people_context(request, business_id)
    actor = context["actor"]
    assert isinstance(actor, Actor)
    status = 200
    if request.method == "POST":
        kind = request.POST.get("invite")
        form = (StaffInviteForm if kind == "staff" else CustomerInviteForm)(
            request.POST, prefix=kind
        )
        context[f"{'staff' if kind == 'staff' else 'customer'}_form"] = form
        if form.is_valid():
            try:
                if kind == "staff":
                    invitations.staff_invite(actor=actor, **form.cleaned_data)
                else:
                    invitations.customer_invite(actor=actor, **form.cleaned_data)
            except InvalidInput as exc:
                for field, message in exc.fields.items():
                    form.add_error(field if field in form.fields else None, message)
            except Conflict as exc:  # refusals of role or tenancy stay 403/404 pages
                form.add_error(None, exc.detail)
            else:
                messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
                return redirect("programs:people", business_id=business_id)
        status = 422
    return render(request, "programs/people.html", context, status=status)


@login_required
@require_POST
def join_link_rotate(request: HttpRequest, business_id: str) -> HttpResponse:
    invitations.join_link_rotate(actor=page_actor(request, business_id))
    messages.success(request, "A new invite link is ready; the old one no longer works.")
    return redirect("programs:people", business_id=business_id)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, business_id: str, invitation_id: str) -> HttpResponse:
    try:
        revoked = invitations.invitation_revoke(
            actor=page_actor(request, business_id), invitation_id=invitation_id
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"The invitation for {revoked.email} is withdrawn.")
    return redirect("programs:people", business_id=business_id)
