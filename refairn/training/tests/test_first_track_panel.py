"""A new program's home tells its owner to start with a track (issue 12): agents who join have
nothing to train on until one is published."""

from __future__ import annotations

import pytest
from django.test import Client

from refairn.accounts.models import User
from refairn.programs.models import Business
from refairn.training.tests.modules import make_track

pytestmark = pytest.mark.django_db


def home_of(user: User, business: Business) -> str:
    client = Client()
    client.force_login(user)
    return client.get(f"/b/{business.id}/").content.decode()


def test_the_owner_is_told_to_start_with_a_track_until_one_is_published(
    alice: User, business_a: Business, bob: User
) -> None:
    assert "Start with a track" in home_of(alice, business_a)
    assert "from the support-standard template or by hand" in home_of(alice, business_a)
    assert "Start with a track" not in home_of(bob, business_a)  # agents wait, they cannot act

    track = make_track(business_a)
    track.status = "draft"
    track.save(update_fields=["status"])
    assert "Your tracks are drafts" in home_of(alice, business_a)

    track.status = "published"
    track.save(update_fields=["status"])
    assert "Start with a track" not in home_of(alice, business_a)
