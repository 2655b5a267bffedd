import base64
import hashlib
import json

from refairn.credentials.domain import badge
from refairn.credentials.tests.schema import validate_open_badge
from refairn.credentials.tests.unit.facts import LIST_URL, facts


def test_the_document_validates_against_the_open_badges_3_schema() -> None:
    validate_open_badge(badge.open_badge_credential(facts()))


def test_contexts_types_issuer_and_dates_are_those_of_ob_3() -> None:
    document = badge.open_badge_credential(facts())
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["type"] == ["Profile"]
    assert {"id", "name", "url"} <= document["issuer"].keys()
    assert document["validFrom"] == "2026-11-02T09:00:00Z"
    assert document["validUntil"] == "2027-11-02T09:00:00Z"
    assert document["credentialStatus"]["statusListCredential"] == LIST_URL
    assert document["credentialStatus"]["statusListIndex"] == "42"


def test_the_subject_is_a_salted_email_hash_and_the_address_never_appears() -> None:
    document = badge.open_badge_credential(facts())
    identity = document["credentialSubject"]["identifier"][0]
    expected = hashlib.sha256(b"bob@a.test5a1t").hexdigest()
    assert identity == {
        "type": "IdentityObject",
        "identityHash": f"sha256${expected}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": "5a1t",
    }
    assert "bob@a.test" not in json.dumps(document).lower()


def test_the_achievement_carries_name_description_criteria_and_image() -> None:
    achievement = badge.open_badge_credential(facts())["credentialSubject"]["achievement"]
    assert achievement["name"] == "Product Fundamentals"
    assert achievement["description"] == "Core product knowledge."
    assert "at least 80%" in achievement["criteria"]["narrative"]
    assert achievement["image"]["type"] == "Image"
    svg = base64.b64decode(achievement["image"]["id"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "Product Expert" in svg


def test_the_badge_image_escapes_what_the_business_typed() -> None:
    image = badge.badge_image('<script>"x"</script>', "&")
    svg = base64.b64decode(image.split(",", 1)[1]).decode()
    assert "<script>" not in svg and "&amp;" in svg


def test_the_passing_score_reads_naturally() -> None:
    text = badge.criteria_narrative(
        track_name="T", passing_score=badge.Decimal("82.50"), recertification_months=6
    )
    assert "at least 82.5%" in text and "every 6 months" in text
    text = badge.criteria_narrative(
        track_name="T", passing_score=badge.Decimal("100"), recertification_months=1
    )
    assert "at least 100%" in text and "every month" in text
