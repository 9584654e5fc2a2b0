"""Units: the tree of national, regional and branch units."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.text import slugify

from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import UNIT_RANK, Unit, UnitKind
from docket.org.selectors import organization
from docket.org.services._common import record, recorded_at, require_text


def unit_create(
    *,
    actor: str,
    capacity: str,
    kind: str,
    key: str,
    name: str,
    parent: Unit | None = None,
    occurred_at: datetime | None = None,
) -> Unit:
    name = require_text(name, field="name")
    key = require_text(key, field="key")
    if slugify(key) != key:
        raise InvalidInput(
            "A unit key is lowercase letters, digits and hyphens.",
            code=codes.FIELD_INVALID,
            data={"field": "key"},
        )
    if kind not in UnitKind.values:
        raise InvalidInput(
            f"{kind!r} is not a unit kind.",
            code=codes.FIELD_INVALID,
            data={"field": "kind", "allowed": list(UnitKind.values)},
        )
    unit_kind = UnitKind(kind)
    with transaction.atomic():
        org = organization()
        if parent is None:
            if unit_kind != UnitKind.NATIONAL:
                raise InvalidInput(
                    "The top unit must be the national unit.",
                    code=codes.UNIT_ROOT_NOT_NATIONAL,
                    data={"field": "parent"},
                )
            if Unit.objects.filter(organization=org, parent__isnull=True).exists():
                raise InvalidInput(
                    "There is already a national unit.",
                    code=codes.UNIT_ROOT_EXISTS,
                    data={"field": "parent"},
                )
        elif UNIT_RANK[unit_kind] <= UNIT_RANK[UnitKind(parent.kind)]:
            raise InvalidInput(
                f"A {kind} cannot sit under a {parent.kind}.",
                code=codes.UNIT_KIND_ORDER,
                data={"field": "parent"},
            )
        if Unit.objects.filter(organization=org, key=key).exists():
            raise InvalidInput(
                f"The unit key {key!r} is taken.", code=codes.UNIT_KEY_TAKEN, data={"field": "key"}
            )
        unit = Unit(
            organization=org,
            parent=parent,
            kind=unit_kind,
            key=key,
            name=name,
            created_at=recorded_at(),
        )
        record(
            stream="org",
            type="unit.created",
            actor=actor,
            capacity=capacity,
            payload={
                "unit": unit.public_id,
                "key": key,
                "kind": kind,
                "name": name,
                "parent": parent.public_id if parent else None,
            },
            occurred_at=occurred_at,
        )
        unit.save()
        return unit
