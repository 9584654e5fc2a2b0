"""Bodies: committees and executives. What they may do comes from the protocol."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.text import slugify

from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import Body, Unit
from docket.org.services._common import record, recorded_at, require_text


def body_create(
    *,
    actor: str,
    capacity: str,
    key: str,
    name: str,
    unit: Unit,
    occurred_at: datetime | None = None,
) -> Body:
    """``key`` is the protocol's name for the body ("ndc", "branch_executive")."""
    key = require_text(key, field="key")
    name = require_text(name, field="name")
    if slugify(key).replace("-", "_") != key:
        raise InvalidInput(
            "A body key is lowercase letters, digits and underscores.",
            code=codes.FIELD_INVALID,
            data={"field": "key"},
        )
    with transaction.atomic():
        if Body.objects.filter(unit=unit, key=key).exists():
            raise InvalidInput(
                f"{unit.name} already has a body {key!r}.",
                code=codes.BODY_KEY_TAKEN,
                data={"field": "key"},
            )
        body = Body(unit=unit, key=key, name=name, created_at=recorded_at())
        body.event_seq = record(
            stream="org",
            type="body.created",
            actor=actor,
            capacity=capacity,
            payload={"body": body.public_id, "key": key, "name": name, "unit": unit.public_id},
            occurred_at=occurred_at,
        )
        body.save()
        return body
