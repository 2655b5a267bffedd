from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from refairn.accounts import selectors, services, signin, throttle
from refairn.accounts.auth import request_token, request_user
from refairn.accounts.models import ApiToken
from refairn.accounts.schemas import (
    ApiTokenOut,
    CredentialsIn,
    NewApiTokenOut,
    SignupIn,
    SignupOut,
    TokenIn,
    TokenOut,
)
from refairn.core.errors import Conflict
from refairn.core.pagination import DEFAULT_PAGE, paged

router = Router(tags=["accounts"])


@router.post("/auth/signup", response={201: SignupOut}, auth=None)
def signup(request: HttpRequest, payload: SignupIn) -> Status[dict[str, object]]:
    """Throttled per address (and address taken): a refused sign-up counts as a failed
    sign-in, so sign-up cannot enumerate accounts faster than sign-in could."""
    throttle.guard(request, payload.email)
    try:
        user = services.user_signup(
            email=payload.email, password=payload.password, name=payload.name
        )
    except Conflict:
        throttle.record_failure(request, payload.email)
        raise
    issued = services.token_create(
        user=user, name="sign-up", expires_in_days=services.default_token_lifetime_days()
    )
    return Status(201, {"user": user, "token": issued.secret})


@router.post("/auth/token", response=TokenOut, auth=None)
def token(request: HttpRequest, payload: CredentialsIn) -> dict[str, object]:
    """Password (and ``otp`` with two-factor authentication on) → a token that expires after
    the default lifetime. Throttled per account and address: 429 ``too_many_attempts`` with
    ``Retry-After``."""
    user = signin.api_sign_in(
        request, email=payload.email, password=payload.password, otp=payload.otp
    )
    issued = services.token_create(
        user=user, name=payload.name, expires_in_days=services.default_token_lifetime_days()
    )
    return _new_token(issued)


@router.get("/me/tokens", response=list[ApiTokenOut])
def list_tokens(
    request: HttpRequest,
    response: HttpResponse,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> list[dict[str, object]]:
    """The caller's live tokens, newest first; never their secrets."""
    page = selectors.tokens_page_for(request_user(request), limit=limit, cursor=cursor)
    return paged(response, page.map(lambda rows: [_token(row) for row in rows]))


@router.post("/me/tokens", response={201: NewApiTokenOut})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    days = (
        payload.expires_in_days
        if "expires_in_days" in payload.model_fields_set
        else services.default_token_lifetime_days()
    )
    issued = services.token_create(
        user=request_user(request),
        name=payload.name,
        expires_in_days=days,
        made_by=request_token(request),
    )
    return Status(201, _new_token(issued))


@router.delete("/me/tokens/{token_id}", response={204: None})
def revoke_token(request: HttpRequest, token_id: str) -> Status[None]:
    """Revokes one of the caller's tokens (the calling one too); 404 for anyone else's."""
    services.token_revoke(user=request_user(request), token_id=token_id)
    return Status(204, None)


def _token(row: ApiToken) -> dict[str, object]:
    return {
        "id": row.public_id,
        "name": row.name,
        "created_at": row.created_at,
        "expires_at": row.expires_at,
        "last_used_at": row.last_used_at,
    }


def _new_token(issued: services.IssuedToken) -> dict[str, object]:
    return {**_token(issued.row), "token": issued.secret}
