"""Accounts: people who sign in. Identity in cases lives in ``org``; this is only login."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from docket.core.ids import public_id


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """Signs in with an email address; has no username."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    # Bumped whenever access is revoked; sessions carry the epoch they began in and
    # end at the next request once it moves (see ActiveAccountMiddleware).
    session_epoch = models.PositiveIntegerField(default=0)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.display_name or self.email


class Invitation(models.Model):
    """A single-use link that lets someone with no account create one for a Person.

    Only a SHA-256 hash of the token is kept (the token has 256 bits of entropy, so
    no salt or slow hash is needed); the link itself exists only in the message sent
    to the invitee. See ``docket.accounts.services``.
    """

    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.CharField(max_length=200)
    capacity = models.CharField(max_length=80)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    account = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "created_at"])]
        permissions = [
            (
                "administer_organization",
                "Can administer the organization: units, members, bodies, seats, terms, "
                "protocols and accounts (never case content)",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation {self.public_id}"

    def state_at(self, moment: datetime) -> str:
        """open, accepted, revoked or expired."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= moment:
            return "expired"
        return "open"


class AccountChange(models.Model):
    """Who disabled or enabled an account or changed its administration right, when and
    why. Rows are only ever added (by ``docket.accounts.services``)."""

    class Action(models.TextChoices):
        DISABLED = "disabled", _("Disabled")
        ENABLED = "enabled", _("Enabled")
        ADMIN_GRANTED = "admin_granted", _("Made an administrator")
        ADMIN_REVOKED = "admin_revoked", _("No longer an administrator")

    account = models.ForeignKey(User, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.TextField()
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.account_id} {self.action} at {self.recorded_at:%Y-%m-%d}"


class GrantEnd(models.Model):
    """An explicit, time-limited grant to a case (``CaseRole`` "grantee") that ran out,
    handled once by the sweep (``docket.accounts.grant_ends.grants_expire``): the
    sessions of the grantee's account that began before the end were removed.

    Keyed by person, case and end rather than by the ``CaseRole`` row, which is a
    projection and may be rewritten; an extended grant has a new end and is handled
    again when that one passes. Rows are only ever added.
    """

    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    account = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sessions_ended = models.PositiveIntegerField(default=0)
    handled_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "case", "until"], name="accounts_grant_end_once"
            )
        ]

    def __str__(self) -> str:
        return f"grant of {self.person_id} in case {self.case_id} ended {self.until:%Y-%m-%d}"


class CacheEntry(models.Model):
    """The table of Django's database cache (``CACHES`` in settings: ``docket_cache``).

    Sign-in and MFA rate limits and TOTP replay protection live in the cache; it must be
    shared by every worker and app server, so by default it is this table (issue 24,
    finding 4). Declared as a model so that ``docket migrate`` creates it and test
    flushes empty it; the columns are exactly those of ``createcachetable``. Django's
    ``DatabaseCache`` reads and writes it; nothing else does.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "docket_cache"

    def __str__(self) -> str:
        return self.cache_key
