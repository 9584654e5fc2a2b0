"""Personal API tokens.

A token is shown once, when it is made, and only its SHA-256 digest is kept: the token
is 256 random bits, so a fast hash is as good as a slow one and lets every request find
its token with one indexed lookup. A token acts as its user (the user's Person), only
within its scopes, until it expires or is revoked.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from docket.core.ids import public_id


class ApiToken(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(max_length=100, blank=True)
    # The first characters of the token, so its holder can tell tokens apart in lists.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField()
    created_by = models.CharField(max_length=160)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.CharField(max_length=160, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"API token {self.prefix}… of user {self.user_id}"
