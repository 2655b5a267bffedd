import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models

from refairn.core import clock


class UserManager(BaseUserManager["User"]):
    def create_user(
        self, email: str, password: str | None, name: str = "", *, email_verified: bool = True
    ) -> "User":
        """An account someone trusted made (an operator, the demo, a test) owns its address; a
        self-service sign-up passes ``email_verified=False`` until its link is followed."""
        user = self.model(
            email=self.normalize_email(email).lower(),
            name=name,
            email_verified_at=clock.now() if email_verified else None,
        )
        user.set_password(password)
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None, name: str = "") -> "User":
        user = self.create_user(email, password, name)
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person. What they may do is decided per business by memberships, not here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin access only
    date_joined = models.DateTimeField(default=clock.now)
    # When the person proved they read this address (issue 12): only then is a customer record
    # with the address linked to them. Changing the address would clear it.
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # The IANA zone the pages show this person's times in (issue 12 item 7); data stays UTC.
    # A database default too: bulk loaders (the benchmark's) insert users without it.
    time_zone = models.CharField(max_length=64, default="UTC", db_default="UTC")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    def __str__(self) -> str:
        return self.email


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored: a database leak does not leak tokens.

    Tokens are 256-bit random values, so a fast hash is enough (no dictionary to guess from).
    ``public_id`` names a token in the API and pages (the row id would tell how many exist).
    A revoked token keeps its row, so the account page and an audit can say when it stopped.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="")
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField(null=True, blank=True)  # null: never (tokens made before)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.name!r} of {self.user_id}"


class TotpDevice(models.Model):
    """A user's authenticator (issue 18): the TOTP secret, sealed (see ``domain.totp``).

    Unconfirmed until the user has typed a first code from it; only a confirmed device asks
    for codes at sign-in. ``last_step`` is the time step of the last code accepted, so a code
    is never accepted twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    sealed_secret = models.BinaryField()
    created_at = models.DateTimeField(default=clock.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"TOTP device of {self.user_id}"
