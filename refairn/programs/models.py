import secrets

from django.conf import settings
from django.db import models

from refairn.core import clock
from refairn.core.models import UUIDModel
from refairn.core.tenancy import TenantQuerySet
from refairn.programs.domain import AgentStatus, SupportLevel, Tier


def new_join_token() -> str:
    return secrets.token_urlsafe(24)


class Business(UUIDModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    # The program settings document (PRODUCT.md §2): its sections belong to the apps whose rules
    # they feed; ``programs.settings_sections`` validates and merges it.
    settings = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=clock.now)
    # The secret of the agent invite link /join/<token>/ (issue 12): shown to the business's
    # admins, so kept as is; rotating it retires every copy of the old link.
    join_token = models.CharField(max_length=64, unique=True, default=new_join_token)

    class Meta:
        verbose_name_plural = "businesses"

    def __str__(self) -> str:
        return self.name

    @property
    def currency(self) -> str:
        """PRODUCT.md §2: the ISO 4217 currency the program pays in."""
        from refairn.programs.settings_section import ProgramSection

        return ProgramSection.of(self.settings).currency


class StaffMembership(models.Model):
    """One staff role a user holds in a business; a user may hold several."""

    class StaffRole(models.TextChoices):
        OWNER = "owner"
        MANAGER = "manager"
        REVIEWER = "reviewer"
        SECURITY = "security"

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=16, choices=StaffRole.choices)
    created_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "user", "role"], name="unique_staff_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.business_id}"


class Agent(models.Model):
    """An agent's membership in one business's program (API.md: ``agent_id`` is the user id)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="agents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    status = models.CharField(
        max_length=16,
        choices=[(s.value, s.value) for s in AgentStatus],
        default=AgentStatus.PENDING,
    )
    applied_at = models.DateTimeField(default=clock.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    # Set by staff (issue 11 item 6); a track's minimum level decides whom it is required for.
    support_level = models.CharField(
        max_length=3,
        choices=[(level.value, level.value) for level in SupportLevel],
        default=SupportLevel.L1,
        db_default=SupportLevel.L1.value,  # rows written in bulk (the benchmark) start at L1
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="unique_agent_per_business"),
        ]
        # The agent list's keyset order (selectors.AGENT_ORDER) within a business.
        indexes = [models.Index(fields=["business", "applied_at", "id"], name="agent_list_order")]

    def __str__(self) -> str:
        return f"agent {self.user_id} in {self.business_id} ({self.status})"


class SupportLevelChange(models.Model):
    """The history of an agent's support level: who changed it, when, from what (the audit
    log's ``support_level_set`` entries)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_level = models.CharField(max_length=3)
    to_level = models.CharField(max_length=3)
    at = models.DateTimeField(default=clock.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.from_level} → {self.to_level}"


class Customer(UUIDModel):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="customers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer_records",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    tier = models.CharField(
        max_length=16, choices=[(t.value, t.value) for t in Tier], default=Tier.STANDARD
    )
    monthly_value = models.DecimalField(max_digits=12, decimal_places=2)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_customers",
    )
    subscribed_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    objects = TenantQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["business", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_value__gte=0), name="customer_monthly_value_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(cancelled_at__isnull=True)
                | models.Q(cancelled_at__gte=models.F("subscribed_at")),
                name="customer_cancelled_after_subscribed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def subscription_status(self) -> str:
        return "cancelled" if self.cancelled_at else "active"


class Invitation(UUIDModel):
    """An invitation mailed to an address (issue 12): to a staff role, or to the customer portal
    as one customer record. Only the SHA-256 of its token is kept (the token is in the mail);
    accepting binds it to the account that follows the link. State: ``domain.invitation_state``."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    # A staff role, or "customer" for the customer portal (then ``customer`` is set).
    role = models.CharField(max_length=16)
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["business", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.role} invitation for {self.email}"
