"""Setting up the one organization a deployment serves."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils.text import slugify

from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import Organization
from docket.org.services._common import record, recorded_at, require_reason, require_text


def organization_create(
    *,
    actor: str,
    capacity: str,
    name: str,
    slug: str = "",
    time_zone: str = "UTC",
    occurred_at: datetime | None = None,
) -> Organization:
    name = require_text(name, field="name")
    slug = slugify(slug or name)
    if not slug:
        raise InvalidInput(
            "The slug needs letters or digits.", code=codes.FIELD_INVALID, data={"field": "slug"}
        )
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"{time_zone!r} is not a known time zone.",
            code=codes.ORG_TIME_ZONE_UNKNOWN,
            data={"field": "time_zone"},
        ) from None
    with transaction.atomic():
        if Organization.objects.select_for_update().exists():
            raise InvalidInput("The organization is already set up.", code=codes.ORG_EXISTS)
        record(
            stream="org",
            type="org.created",
            actor=actor,
            capacity=capacity,
            payload={"name": name, "slug": slug, "time_zone": time_zone},
            occurred_at=occurred_at,
        )
        return Organization.objects.create(
            name=name, slug=slug, time_zone=time_zone, created_at=recorded_at()
        )


# Not yet in ``docket.org.codes`` (that module is the org engineer's; move it there).
ORG_UNCHANGED = "org.unchanged"


def organization_update(
    *, actor: str, capacity: str, name: str, time_zone: str, reason: str
) -> Organization:
    """Change the organization's name or time zone, with the reason on the record. The
    slug stays (it names the organization in exports and checkpoints)."""
    name = require_text(name, field="name")
    reason = require_reason(reason)
    time_zone = (time_zone or "").strip()
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"{time_zone!r} is not a known time zone.",
            code=codes.ORG_TIME_ZONE_UNKNOWN,
            data={"field": "time_zone"},
        ) from None
    with transaction.atomic():
        org = Organization.objects.select_for_update().first()
        if org is None:
            raise InvalidInput("The organization is not set up yet.", code=codes.ORG_MISSING)
        if (org.name, org.time_zone) == (name, time_zone):
            raise InvalidInput(
                "Nothing to change: the name and time zone are as they are.",
                code=ORG_UNCHANGED,
                data={"field": "name"},
            )
        record(
            stream="org",
            type="org.updated",
            actor=actor,
            capacity=capacity,
            payload={
                "name": name,
                "time_zone": time_zone,
                "previous_name": org.name,
                "previous_time_zone": org.time_zone,
                "reason": reason,
            },
            occurred_at=None,
        )
        org.name = name
        org.time_zone = time_zone
        org.save(update_fields=["name", "time_zone"])
        return org
