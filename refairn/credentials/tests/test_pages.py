import html
import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from refairn.core import clock
from refairn.credentials.models import Credential
from refairn.credentials.services import credential_revoke
from refairn.credentials.tests.test_verification_api import tampered

pytestmark = pytest.mark.django_db


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def agent_page(business: Any, track_id: str) -> str:
    return f"/b/{business.id}/credentials/{track_id}/"


def test_the_agent_page_offers_download_share_and_linkedin(
    bob: Any, business_a: Any, track_id: str, certification: Any
) -> None:
    response = logged_in(bob).get(agent_page(business_a, track_id))
    assert response.status_code == 200
    page = response.content.decode()
    credential = Credential.objects.get()
    verification_url = f"http://127.0.0.1:8000/credentials/{credential.id}/"
    assert "Valid" in page and verification_url in page
    assert f"{agent_page(business_a, track_id)}credential.jwt" in page
    assert f"{agent_page(business_a, track_id)}credential.json" in page
    assert "<script" not in page.split("</head>", 1)[1]  # no inline scripts in the body
    linkedin = next(
        html.unescape(part.split('"', 1)[0])
        for part in page.split('href="')
        if part.startswith("https://www.linkedin.com/profile/add")
    )
    query = {k: v[0] for k, v in parse_qs(urlsplit(linkedin).query).items()}
    assert query["name"] == "Product Fundamentals"
    assert query["organizationName"] == "Business A"
    assert (query["issueYear"], query["issueMonth"]) == ("2026", "11")
    assert (query["expirationYear"], query["expirationMonth"]) == ("2027", "11")
    assert query["certUrl"] == verification_url and query["certId"] == str(credential.id)


def test_the_agent_downloads_the_jwt_and_the_json(
    bob: Any, business_a: Any, track_id: str, issued: Credential
) -> None:
    client = logged_in(bob)
    jwt_file = client.get(f"{agent_page(business_a, track_id)}credential.jwt")
    assert jwt_file["Content-Type"] == "application/vc+jwt"
    assert "attachment" in jwt_file["Content-Disposition"]
    assert jwt_file.content.decode() == issued.jwt
    json_file = client.get(f"{agent_page(business_a, track_id)}credential.json")
    assert json_file["Content-Type"] == "application/json"
    assert json.loads(json_file.content)["id"].endswith(f"/credentials/{issued.id}/")


def test_someone_else_cannot_open_the_agents_credential_page(
    dora: Any, charlie: Any, business_b: Any, business_a: Any, track_id: str, issued: Any
) -> None:
    assert logged_in(dora).get(agent_page(business_a, track_id)).status_code == 404
    assert logged_in(charlie).get(agent_page(business_a, track_id)).status_code == 404
    download = f"{agent_page(business_a, track_id)}credential.jwt"
    assert logged_in(charlie).get(download).status_code == 404
    assert Client().get(agent_page(business_a, track_id)).status_code == 302  # to the login


def test_an_agent_not_yet_certified_sees_how_to_get_a_credential(
    bob: Any, business_a: Any, track_id: str, certification: Any
) -> None:
    certification.status = "in_progress"
    certification.save()
    page = logged_in(bob).get(agent_page(business_a, track_id))
    assert page.status_code == 200
    assert "once you are certified" in page.content.decode()


def test_the_public_page_shows_a_valid_credential_without_login(issued: Credential) -> None:
    page = Client().get(f"/credentials/{issued.id}/")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in ["Valid", "Bob Agent", "Business A", "Product Fundamentals", "2 Nov 2027"]:
        assert expected in text


def test_the_public_page_shows_revoked_and_expired(issued: Credential) -> None:
    url = f"/credentials/{issued.id}/"
    with clock.frozen(issued.valid_until):
        assert "Expired" in Client().get(url).content.decode()
    assert issued.certification is not None
    credential_revoke(certification=issued.certification, reason="Fraud.")
    text = Client().get(url).content.decode()
    assert "Revoked" in text and "Revoked on" in text


def test_an_unknown_credential_page_is_404(db: Any) -> None:
    assert Client().get("/credentials/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert Client().get("/credentials/nope/").status_code == 404


def test_a_verifier_pastes_a_credential_into_the_page(issued: Credential) -> None:
    client = Client(enforce_csrf_checks=True)
    form = client.get("/credentials/verify/")
    assert form.status_code == 200
    token = form.cookies["csrftoken"].value
    valid = client.post(
        "/credentials/verify/", {"credential": issued.jwt, "csrfmiddlewaretoken": token}
    ).content.decode()
    assert "Valid" in valid and "Bob Agent" in valid and "Product Fundamentals" in valid
    forged = client.post(
        "/credentials/verify/",
        {"credential": tampered(issued.jwt, name="CEO"), "csrfmiddlewaretoken": token},
    ).content.decode()
    assert "Not valid" in forged and "Bob Agent" not in forged
    empty = client.post("/credentials/verify/", {"credential": " ", "csrfmiddlewaretoken": token})
    assert "Paste a credential" in empty.content.decode()


def test_the_verify_page_sees_revocation_and_expiry(issued: Credential) -> None:
    with clock.frozen(issued.valid_until + timedelta(days=1)):
        text = Client().post("/credentials/verify/", {"credential": issued.jwt}).content.decode()
    assert "Expired" in text
    assert issued.certification is not None
    credential_revoke(certification=issued.certification, reason="Fraud.")
    text = Client().post("/credentials/verify/", {"credential": issued.jwt}).content.decode()
    assert "Revoked" in text


def test_the_issuer_page_lists_the_published_keys(issued: Credential) -> None:
    page = Client().get(f"/credentials/issuers/{issued.business_id}/")
    assert page.status_code == 200
    assert issued.signing_key.kid in page.content.decode()
