"""What the lead's public profile integration reads: each current badge's verification page."""

from datetime import timedelta
from typing import Any

import pytest

from refairn.core import clock
from refairn.credentials.models import Credential
from refairn.credentials.selectors import current_credential_pages_for_agent
from refairn.credentials.services import credential_revoke

pytestmark = pytest.mark.django_db


def test_each_current_badge_links_to_its_verification_page(
    bob: Any, business_a: Any, issued: Credential
) -> None:
    pages = current_credential_pages_for_agent(bob.id, clock.now())
    assert pages == {
        (business_a.id, issued.track_id): f"http://127.0.0.1:8000/credentials/{issued.id}/"
    }


def test_expired_and_revoked_credentials_are_not_linked(bob: Any, issued: Credential) -> None:
    assert current_credential_pages_for_agent(bob.id, issued.valid_until) == {}
    assert issued.certification is not None
    credential_revoke(certification=issued.certification, reason="Fraud.")
    assert current_credential_pages_for_agent(bob.id, clock.now() + timedelta(days=1)) == {}
