"""Training fixtures: a track in each business, open training, and a module factory."""

from __future__ import annotations

from typing import Any

import pytest

from refairn.programs.models import Business
from refairn.training.models import Module, Track
from refairn.training.tests.modules import BODIES, make_track
from tests.support import ApiClient, set_support_access


@pytest.fixture
def track_a(business_a: Business) -> Track:
    return make_track(business_a)


@pytest.fixture
def track_b(business_b: Business) -> Track:
    return make_track(business_b)


@pytest.fixture
def open_training(business_a: Business) -> Business:
    """Business A opens training to every approved agent (PRODUCT.md §2)."""
    business_a.settings = {**business_a.settings, "training_access": "automatic"}
    business_a.save(update_fields=["settings"])
    return business_a


@pytest.fixture
def bob_requested(bob: Any, business_a: Business) -> Any:
    """Bob requested support access, which unlocks training under ``on_request``."""
    set_support_access(bob, "requested", business=business_a)
    return bob


@pytest.fixture
def create_module(as_alice: ApiClient, track_a: Track) -> Any:
    def create(
        fmt: str, track: Track = track_a, client: ApiClient = as_alice, **overrides: Any
    ) -> Module:
        response = client.post(f"/tracks/{track.id}/modules", {**BODIES[fmt], **overrides})
        assert response.status_code == 201, response.body
        return Module.objects.get(pk=response.body["id"])

    return create
