"""LinkedIn's "Add to profile" link for a certification (PRODUCT.md §11: agents share their
credential). The link only pre-fills LinkedIn's form; the holder still confirms it there."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def add_certification_url(
    *,
    name: str,
    organization_name: str,
    issued_at: datetime,
    expires_at: datetime | None,
    cert_url: str,
    cert_id: str,
) -> str:
    params: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organization_name,
        "issueYear": issued_at.year,
        "issueMonth": issued_at.month,
    }
    if expires_at is not None:
        params |= {"expirationYear": expires_at.year, "expirationMonth": expires_at.month}
    params |= {"certUrl": cert_url, "certId": cert_id}
    return f"{ADD_TO_PROFILE}?{urlencode(params)}"
