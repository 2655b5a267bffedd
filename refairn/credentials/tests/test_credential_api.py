from typing import Any

import pytest

from refairn.certification.models import Certification
from refairn.credentials.models import Credential
from refairn.programs.models import StaffMembership
from tests.support import api_as, assert_problem, make_user

pytestmark = pytest.mark.django_db


def path(business: Any, agent: Any, track_id: str) -> str:
    return f"/businesses/{business.id}/agents/{agent.id}/certifications/{track_id}/credential"


def test_the_agent_downloads_their_credential_as_a_vc_jwt(
    as_bob: Any, bob: Any, business_a: Any, track_id: str, certification: Certification
) -> None:
    response = as_bob.get(path(business_a, bob, track_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    credential = Credential.objects.get()  # issued on first need, once
    assert response.content.decode() == credential.jwt
    assert as_bob.get(path(business_a, bob, track_id)).content.decode() == credential.jwt
    assert Credential.objects.count() == 1


@pytest.mark.parametrize("role", ["owner", "manager", "reviewer", "security"])
def test_the_business_staff_fetch_it(
    business_a: Any, bob: Any, track_id: str, issued: Credential, role: str
) -> None:
    staff = make_user(f"{role}@a.test")
    StaffMembership.objects.create(business=business_a, user=staff, role=role)
    response = api_as(staff).get(path(business_a, bob, track_id))
    assert response.status_code == 200
    assert response.content.decode() == issued.jwt


def test_another_agent_of_the_business_gets_404(
    dora: Any, bob: Any, business_a: Any, track_id: str, issued: Credential
) -> None:
    assert_problem(api_as(dora).get(path(business_a, bob, track_id)), 404, "not_found")


def test_another_business_gets_404_and_nothing_is_issued(
    as_charlie: Any, bob: Any, business_a: Any, track_id: str, certification: Certification
) -> None:
    assert_problem(as_charlie.get(path(business_a, bob, track_id)), 404, "not_found")
    assert not Credential.objects.exists()


def test_without_a_token_it_is_401(anon: Any, bob: Any, business_a: Any, track_id: str) -> None:
    assert_problem(anon.get(path(business_a, bob, track_id)), 401, "not_authenticated")


@pytest.mark.parametrize("which", ["track", "agent", "business"])
def test_unknown_or_malformed_ids_are_404(
    as_alice: Any, bob: Any, business_a: Any, track_id: str, issued: Credential, which: str
) -> None:
    for bad in ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]:
        url = path(business_a, bob, track_id)
        url = url.replace(
            {"track": track_id, "agent": str(bob.id), "business": str(business_a.id)}[which], bad
        )
        assert_problem(as_alice.get(url), 404, "not_found")


def test_a_certification_never_current_has_no_credential(
    as_bob: Any, bob: Any, business_a: Any, track_id: str, certification: Certification
) -> None:
    certification.status = "passed"
    certification.save()
    assert_problem(as_bob.get(path(business_a, bob, track_id)), 409, "no_credential")


def test_a_revoked_certification_still_hands_out_its_revoked_credential(
    as_bob: Any, bob: Any, business_a: Any, track_id: str, issued: Credential
) -> None:
    from refairn.credentials.services import credential_revoke

    certification = issued.certification
    assert certification is not None
    certification.status = "revoked"
    certification.save()
    credential_revoke(certification=certification, reason="Policy breach.")
    response = as_bob.get(path(business_a, bob, track_id))
    assert response.status_code == 200 and response.content.decode() == issued.jwt
