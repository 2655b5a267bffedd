from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from refairn.credentials.domain.linkedin import add_certification_url


def test_the_link_prefills_linkedins_add_certification_form() -> None:
    url = add_certification_url(
        name="Product Expert",
        organization_name="Acme & Co",
        issued_at=datetime(2026, 11, 2, tzinfo=UTC),
        expires_at=datetime(2027, 11, 2, tzinfo=UTC),
        cert_url="https://r.example/credentials/abc/",
        cert_id="abc",
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Product Expert",
        "organizationName": "Acme & Co",
        "issueYear": "2026",
        "issueMonth": "11",
        "expirationYear": "2027",
        "expirationMonth": "11",
        "certUrl": "https://r.example/credentials/abc/",
        "certId": "abc",
    }
