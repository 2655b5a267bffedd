"""Credential pages (PRODUCT.md §11): the agent's credential (download, share, LinkedIn), the
public verification page of one credential, the paste-and-check page and the issuer page. Thin:
the same selectors and services as the API."""

from __future__ import annotations

import json
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from refairn.accounts.models import User
from refairn.core import clock
from refairn.core.errors import Conflict
from refairn.core.tenancy import Actor
from refairn.credentials import selectors, services
from refairn.credentials.domain import vc_jwt
from refairn.credentials.models import Credential
from refairn.programs.selectors import actor_for, business_get, business_get_for

_TONE = {"active": "ok", "expired": "bad", "revoked": "bad", "invalid": "bad"}
_HEADLINE = {
    "active": "Valid",
    "expired": "Expired",
    "revoked": "Revoked",
    "invalid": "Not valid",
}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required guarantees it
    return request.user


def _own_credential(actor: Actor, track_id: str) -> Credential | None:
    """The caller's own credential for the track (the page is the agent's, not the staff's);
    None while the certification has never been current."""
    certification = selectors.certification_for(actor, actor.user_id, track_id)
    try:
        return services.credential_current(certification=certification)
    except Conflict as exc:
        if exc.code != "no_credential":
            raise
        return None


@login_required
@require_GET
def agent(request: HttpRequest, business_id: str, track_id: str) -> HttpResponse:
    """The agent's credential for one track: download it, share its verification link, add it
    to LinkedIn."""
    actor = actor_for(_user(request), business_id)
    credential = _own_credential(actor, track_id)
    context: dict[str, object] = {
        "business": business_get_for(actor),
        "actor": actor,
        "credential": credential,
        "track_id": track_id,
    }
    if credential is not None:
        verdict = selectors.verify_credential(credential, clock.now())
        context |= {
            "verdict": verdict,
            "headline": _HEADLINE[verdict.status],
            "tone": _TONE[verdict.status],
            "document": json.dumps(vc_jwt.unverified_payload(credential.jwt), indent=2),
            **selectors.credential_links(credential),
        }
    return render(request, "credentials/agent.html", context)


@login_required
@require_GET
def download(request: HttpRequest, business_id: str, track_id: str, fmt: str) -> HttpResponse:
    """The credential as a file: the VC-JWT itself, or its JSON (the signed payload)."""
    credential = _own_credential(actor_for(_user(request), business_id), track_id)
    if credential is None:
        raise Http404("no credential")
    name = f"credential-{credential.id}"
    if fmt == "jwt":
        response = HttpResponse(credential.jwt, content_type=vc_jwt.MEDIA_TYPE)
    else:
        document = json.dumps(vc_jwt.unverified_payload(credential.jwt), indent=2)
        response = HttpResponse(document, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
def public(request: HttpRequest, credential_id: uuid.UUID) -> HttpResponse:
    """Anyone: is this credential valid, expired or revoked; whose, from whom, for what."""
    credential = selectors.credential_public(credential_id)
    verdict = selectors.verify_credential(credential, clock.now())
    document = vc_jwt.unverified_payload(credential.jwt)
    return render(
        request,
        "credentials/public.html",
        {
            "credential": credential,
            "verdict": verdict,
            "headline": _HEADLINE[verdict.status],
            "tone": _TONE[verdict.status],
            "issuer_name": document["issuer"]["name"],
            "achievement": document["credentialSubject"]["achievement"],
            "badge_name": document["name"],
        },
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone pastes a VC-JWT and sees what a verifier concludes."""
    context: dict[str, object] = {"token": ""}
    if request.method == "POST":
        token = str(request.POST.get("credential", ""))[: vc_jwt.MAX_TOKEN_LENGTH + 1]
        context["token"] = token
        if not token.strip():
            context["error"] = "Paste a credential (the text of the .jwt file)."
        else:
            checked = selectors.verify_token(token, clock.now())
            row = selectors.verification_row(checked)
            context |= {
                "result": row,
                "headline": _HEADLINE[row["status"]],
                "tone": _TONE[row["status"]],
                "credential": checked.credential,
            }
    context["max_length"] = vc_jwt.MAX_TOKEN_LENGTH
    return render(request, "credentials/verify.html", context)


@require_GET
def issuer(request: HttpRequest, business_id: uuid.UUID) -> HttpResponse:
    """The issuer's page (its ``url``): who issues, and the keys credentials are checked with."""
    business = business_get(business_id)
    return render(
        request,
        "credentials/issuer.html",
        {"business": business, "keys": selectors.jwks_for(business.id)},
    )
