"""What credentials do when certification announces something (``refairn.core.events``);
registered in ``CredentialsConfig.ready``. Certification never imports this app (layers)."""

from __future__ import annotations

from refairn.certification.events import Certified, Revoked
from refairn.certification.models import Certification
from refairn.credentials.services import credential_issue, credential_revoke


def on_certified(event: Certified) -> None:
    """PRODUCT.md §11: on certification and each renewal (a later expiry) a credential is
    issued, in the same transaction, so a certified agent always has one to show."""
    credential_issue(certification=Certification.objects.get(pk=event.certification_id))


def on_revoked(event: Revoked) -> None:
    """PRODUCT.md §5/§11: the certification's credentials are revoked and the status list
    signed again, so verifiers outside the app see it at once."""
    credential_revoke(
        certification=Certification.objects.get(pk=event.certification_id), reason=event.reason
    )
