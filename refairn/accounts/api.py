from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from refairn.accounts import services
from refairn.accounts.schemas import CredentialsIn, SignupIn, SignupOut, TokenOut

router = Router(tags=["accounts"])


@router.post("/auth/signup", response={201: SignupOut}, auth=None)
def signup(request: HttpRequest, payload: SignupIn) -> Status[dict[str, object]]:
    user = services.user_signup(email=payload.email, password=payload.password, name=payload.name)
    return Status(201, {"user": user, "token": services.token_issue(user=user)})


@router.post("/auth/token", response=TokenOut, auth=None)
def token(request: HttpRequest, payload: CredentialsIn) -> dict[str, str]:
    return {"token": services.token_for_credentials(email=payload.email, password=payload.password)}
