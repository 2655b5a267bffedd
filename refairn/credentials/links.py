"""The absolute URLs signed into credentials: issuer, keys, status lists, verification pages.

They are built from ``REFAIRN_PUBLIC_URL`` (never from a request's Host header, which the
caller controls) and from the routes' names, so a route and the links to it cannot disagree.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.urls import reverse


def absolute(path: str) -> str:
    return f"{settings.REFAIRN_PUBLIC_URL}{path}"


def issuer_id(business_id: uuid.UUID) -> str:
    return absolute(reverse("api:credentials_issuer", kwargs={"b": business_id}))


def issuer_page(business_id: uuid.UUID) -> str:
    return absolute(reverse("credentials:issuer", kwargs={"business_id": business_id}))


def key_url(business_id: uuid.UUID, thumbprint: str) -> str:
    return absolute(reverse("api:credentials_key", kwargs={"b": business_id, "k": thumbprint}))


def status_list_url(business_id: uuid.UUID, number: int) -> str:
    return absolute(reverse("api:credentials_status_list", kwargs={"b": business_id, "n": number}))


def credential_page(credential_id: uuid.UUID) -> str:
    """The public verification page; also the credential's ``id``."""
    return absolute(reverse("credentials:public", kwargs={"credential_id": credential_id}))


def subject_id(agent_id: uuid.UUID) -> str:
    # The agent's opaque user id (API.md: agent_id), never anything personal.
    return agent_id.urn


def achievement_id(business_id: uuid.UUID, track_id: uuid.UUID) -> str:
    return f"{issuer_id(business_id)}#achievement-{track_id}"
