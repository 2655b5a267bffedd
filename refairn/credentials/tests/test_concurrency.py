"""STYLE.md: assume every service runs twice at once. Issuing the same credential twice at the
same moment leaves one credential; the first two credentials of a business, issued at once,
share one key and one status list and get different indices."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from refairn.core import clock
from refairn.credentials.models import Credential, SigningKey, StatusList
from refairn.credentials.services import credential_issue, credential_revoke
from refairn.credentials.tests.conftest import TRACK, certify
from refairn.programs.services import business_create
from tests.support import T0, api_as, make_user


def _at_once(*calls: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            with clock.frozen(T0):
                barrier.wait()
                results.append(call())
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _race_setup() -> tuple[Any, str]:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers, so the race cannot happen; run on PostgreSQL")
    owner = make_user("owner@race.test")
    business = business_create(user=owner, name="Race")
    response = api_as(owner).post(f"/businesses/{business.id}/tracks", TRACK)
    return business, str(response.body["id"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_issuing_the_same_credential_twice_at_once_issues_it_once() -> None:
    business, track_id = _race_setup()
    certification = certify(business, track_id, make_user("a@race.test"))
    results = _at_once(
        lambda: credential_issue(certification=certification),
        lambda: credential_issue(certification=certification),
    )
    assert all(isinstance(r, Credential) for r in results), results
    assert results[0].id == results[1].id
    assert Credential.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_business_first_credentials_at_once_share_one_key_and_list() -> None:
    business, track_id = _race_setup()
    first = certify(business, track_id, make_user("a@race.test"))
    second = certify(business, track_id, make_user("b@race.test"))
    results = _at_once(
        lambda: credential_issue(certification=first),
        lambda: credential_issue(certification=second),
    )
    assert all(isinstance(r, Credential) for r in results), results
    assert SigningKey.objects.filter(business=business).count() == 1
    assert StatusList.objects.filter(business=business).count() == 1
    assert results[0].status_index != results[1].status_index


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_revocations_at_once_both_land_in_the_status_list() -> None:
    business, track_id = _race_setup()
    certifications = [certify(business, track_id, make_user(f"{n}@race.test")) for n in "ab"]
    with clock.frozen(T0):
        issued = [credential_issue(certification=c) for c in certifications]
    _at_once(
        *[(lambda c=c: credential_revoke(certification=c, reason="Race.")) for c in certifications]
    )
    from refairn.credentials.tests.independent import status_bit, unverified_payload

    (status,) = StatusList.objects.filter(business=business)
    encoded = unverified_payload(status.jwt)["credentialSubject"]["encodedList"]
    assert all(status_bit(encoded, c.status_index) for c in issued)
