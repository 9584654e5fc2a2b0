"""Issuing, checking and revoking personal API tokens (see ``models.ApiToken``).

Interfaces (the ``docket tokens`` command, the API's own token endpoints) call these;
nothing else touches the table.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from docket.core import clock
from docket.core.errors import InvalidInput, NotFound

from .models import ApiToken

# What each scope lets a token do. Scopes only narrow: a token never does more than its
# user could, and case access is still decided per request by the case selector.
SCOPES: dict[str, str] = {
    "cases:read": "list and read the cases the user may see, their record and content",
    "cases:act": "take actions on cases, as the user, under the protocol",
    "members:read": "read the member roster and standing (administrators)",
    "members:write": "admit, transfer and change the standing of members (administrators)",
    "bodies:read": "read bodies, seats and terms (administrators)",
    "bodies:write": "begin and end seat terms (administrators)",
}
TOKEN_PREFIX = "dkt_"  # noqa: S105 - a marker, not a secret
MAX_DAYS = 366
# Refresh last_used_at at most this often: a read must not become a write every time.
LAST_USED_GRANULARITY = timedelta(minutes=1)
_TOKEN = re.compile(r"^dkt_[A-Za-z0-9_-]{43}$")


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; never stored


def _clean_scopes(scopes: list[str] | tuple[str, ...]) -> list[str]:
    wanted = sorted({s.strip() for s in scopes if s and s.strip()})
    if not wanted:
        raise InvalidInput(
            "Give the token at least one scope.",
            code="token.scope_required",
            data={"field": "scopes", "allowed": sorted(SCOPES)},
        )
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown:
        raise InvalidInput(
            f"Unknown scope: {', '.join(unknown)}.",
            code="token.scope_unknown",
            data={"field": "scopes", "unknown": unknown, "allowed": sorted(SCOPES)},
        )
    return wanted


def token_create(
    *, email: str, scopes: list[str] | tuple[str, ...], days: int, label: str = "", actor: str
) -> IssuedToken:
    """Make a token for the account with ``email``, valid for ``days`` days."""
    scopes = _clean_scopes(scopes)
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            f"A token lasts from 1 to {MAX_DAYS} days.",
            code="token.expiry_invalid",
            data={"field": "expires", "max": MAX_DAYS},
        )
    label = (label or "").strip()
    if len(label) > 100:
        raise InvalidInput("The label is too long.", data={"field": "label", "limit": 100})
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None or not user.is_active:
        raise NotFound("No active account has that email address.", code="token.no_account")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            label=label,
            prefix=secret[:12],
            digest=digest_of(secret),
            scopes=scopes,
            created_at=now,
            created_by=actor[:160],
            expires_at=now + timedelta(days=days),
        )
    return IssuedToken(token=token, secret=secret)


def token_revoke(*, token_id: str, actor: str, user: Any = None) -> ApiToken:
    """Revoke a token at once. With ``user``, only that user's own tokens (else NotFound)."""
    with transaction.atomic():
        found = ApiToken.objects.select_for_update().filter(public_id=token_id)
        if user is not None:
            found = found.filter(user=user)
        token = found.first()
        if token is None:
            raise NotFound("No such token.", code="token.not_found")
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.revoked_by = actor[:160]
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def tokens_of(user: Any = None) -> QuerySet[ApiToken]:
    rows = ApiToken.objects.select_related("user").order_by("-created_at", "id")
    return rows.filter(user=user) if user is not None else rows


def token_status(token: ApiToken) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at <= clock.now():
        return "expired"
    return "active"


def token_authenticate(secret: str) -> ApiToken | None:
    """The live token for ``secret``, or None (unknown, malformed, expired, revoked, or its
    account disabled). Marks the token as used."""
    if not isinstance(secret, str) or not _TOKEN.match(secret):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True)
        .first()
    )
    now = clock.now()
    if token is None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
