"""Rate limits for the public pages, in the database so every app server shares them.

Fixed windows: a bucket is a keyed hash (``blind_index.keyed_hash("rate", …)``) of the
scope and the client address or receipt prefix, so the table never holds an address or a
code. Each request adds one hit to its bucket's current window; beyond the limit the
request is refused with ``intake.rate_limited`` (HTTP 429) and nothing else happens.
Old windows are swept now and then. Limits can be changed with the setting
``DOCKET_INTAKE_RATE_LIMITS`` (``{scope: (hits, seconds)}``).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F

from docket.core import clock
from docket.core.errors import DocketError
from docket.intake.blind_index import keyed_hash
from docket.intake.models import RateCounter

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "report": (5, 3600),  # new reports per address per hour
    "follow_ip": (10, 900),  # receipt code attempts per address per 15 minutes
    "follow_receipt": (5, 900),  # attempts at one code (by its first symbols)
    "message": (20, 3600),  # messages a reporter sends per report per hour
    "material": (10, 86400),  # files a reporter adds per report per day
}


class RateLimited(DocketError):
    code = "intake.rate_limited"
    status = 429


def limits() -> dict[str, tuple[int, int]]:
    from django.conf import settings

    return {**DEFAULT_LIMITS, **(getattr(settings, "DOCKET_INTAKE_RATE_LIMITS", None) or {})}


def _window(now: datetime, seconds: int) -> datetime:
    stamp = int(now.timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, tz=UTC)


def rate_hit(scope: str, subject: str) -> None:
    """Count one request of ``subject`` (an address, a receipt prefix) in ``scope``;
    raise ``RateLimited`` when its window is full. Commits the hit even if the caller's
    work later fails (it runs in its own transaction when called outside one)."""
    hits = rate_count(scope, subject)
    if hits > limits()[scope][0]:
        raise _limited(scope)


def rate_check(scope: str, subject: str) -> None:
    """Raise ``RateLimited`` when ``subject``'s window in ``scope`` is already full,
    counting nothing: for steps that count only once they succeed (``rate_count``)."""
    allowed, seconds = limits()[scope]
    start = _window(clock.now(), seconds)
    bucket = keyed_hash("rate", f"{scope}|{subject}")
    row = RateCounter.objects.filter(bucket=bucket, window_start=start).first()
    if row is not None and row.hits >= allowed:
        raise _limited(scope)


def rate_count(scope: str, subject: str) -> int:
    """Add one hit to ``subject``'s current window in ``scope``; the hits so far."""
    _allowed, seconds = limits()[scope]
    now = clock.now()
    start = _window(now, seconds)
    bucket = keyed_hash("rate", f"{scope}|{subject}")
    with transaction.atomic():
        row, _ = RateCounter.objects.get_or_create(bucket=bucket, window_start=start)
        RateCounter.objects.filter(pk=row.pk).update(hits=F("hits") + 1)
        hits = RateCounter.objects.filter(pk=row.pk).values_list("hits", flat=True).get()
        if secrets.randbelow(50) == 0:
            RateCounter.objects.filter(window_start__lt=now - timedelta(days=2)).delete()
    return int(hits)


def _limited(scope: str) -> RateLimited:
    _allowed, seconds = limits()[scope]
    now = clock.now()
    start = _window(now, seconds)
    return RateLimited(
        "There have been too many attempts from here. Please wait a while and try again.",
        data={"retry_after": int((start + timedelta(seconds=seconds) - now).total_seconds())},
    )
