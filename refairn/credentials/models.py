"""Signing keys, revocation status lists and issued credentials, per business.

Nothing here points at a track: a credential keeps its own copy of what it says (the signed
JWT), so it outlives renames and moves of the records it was made from.
"""

from django.conf import settings
from django.db import models

from refairn.core import clock
from refairn.core.models import UUIDModel
from refairn.core.tenancy import TenantQuerySet


class SigningKey(UUIDModel):
    """One Ed25519 key of a business. The active key signs; retired keys stay published so
    what they signed stays verifiable."""

    business = models.ForeignKey(
        "programs.Business", on_delete=models.CASCADE, related_name="signing_keys"
    )
    # The JOSE ``kid``: the absolute URL of this key's JWK, fixed at creation.
    kid = models.CharField(max_length=400, unique=True)
    thumbprint = models.CharField(max_length=64)
    public_key = models.BinaryField()
    # AES-GCM under a key derived from SECRET_KEY (see domain.keys); never the raw key.
    sealed_private_key = models.BinaryField()
    created_at = models.DateTimeField(default=clock.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["business"],
                condition=models.Q(retired_at__isnull=True),
                name="one_active_signing_key_per_business",
            ),
            models.UniqueConstraint(
                fields=["business", "thumbprint"], name="unique_signing_key_thumbprint"
            ),
        ]

    def __str__(self) -> str:
        return self.kid


class StatusList(models.Model):
    """One BitstringStatusListCredential of a business, as last signed."""

    business = models.ForeignKey(
        "programs.Business", on_delete=models.CASCADE, related_name="status_lists"
    )
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    jwt = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["business", "number"]
        constraints = [
            models.UniqueConstraint(fields=["business", "number"], name="unique_status_list"),
        ]

    def __str__(self) -> str:
        return f"status list {self.number} of {self.business_id}"


class Credential(UUIDModel):
    """An OpenBadgeCredential issued for one certification until one expiry date."""

    business = models.ForeignKey(
        "programs.Business", on_delete=models.CASCADE, related_name="credentials"
    )
    # SET_NULL, not CASCADE: an issued credential and its status index outlive their source,
    # so an index is never handed out again.
    certification = models.ForeignKey(
        "certification.Certification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    track_id = models.UUIDField()
    holder_name = models.CharField(max_length=200)
    identity_salt = models.CharField(max_length=64)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="+")
    status_index = models.PositiveIntegerField()
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="+")
    jwt = models.TextField()
    issued_at = models.DateTimeField(default=clock.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_until", "-issued_at"]
        constraints = [
            # Indices are never reused: one credential per index of a business's list.
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="unique_credential_status_index"
            ),
            # Issuing is idempotent per certification and expiry date (first award, renewal).
            models.UniqueConstraint(
                fields=["certification", "valid_until"],
                name="one_credential_per_certification_expiry",
            ),
        ]
        indexes = [models.Index(fields=["business", "agent", "track_id"])]

    def __str__(self) -> str:
        return f"credential {self.id}"
