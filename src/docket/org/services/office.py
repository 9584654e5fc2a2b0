"""Offices members hold in units and bodies (chair, treasurer, national officer)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import Body, OfficeHeld, Person, Unit
from docket.org.selectors import organization, standing_at
from docket.org.services._common import (
    record,
    recorded_at,
    require_reason,
    require_text,
    to_moment,
)
from docket.org.services.member import check_history_order, locked_membership


def member_office_begin(
    *,
    actor: str,
    capacity: str,
    person: Person,
    title: str,
    starts: date | datetime,
    reason: str,
    unit: Unit | None = None,
    body: Body | None = None,
    ends: date | datetime | None = None,
    occurred_at: datetime | None = None,
) -> OfficeHeld:
    """Record that a member holds ``title`` in ``unit`` or ``body`` (exactly one)."""
    title = require_text(title, field="title")
    reason = require_reason(reason)
    if (unit is None) == (body is None):
        raise InvalidInput(
            "An office is held in a unit or in a body: give exactly one.",
            code=codes.OFFICE_PLACE,
            data={"field": "unit"},
        )
    with transaction.atomic():
        org = organization()
        membership = locked_membership(person)
        starts_at = to_moment(starts, org=org, field="starts")
        ends_at = to_moment(ends, org=org, field="ends") if ends is not None else None
        if ends_at is not None and ends_at <= starts_at:
            raise InvalidInput(
                "An office ends after it starts.",
                code=codes.OFFICE_END_BEFORE_START,
                data={"field": "ends"},
            )
        check_history_order(membership, starts_at, latest=None, field="starts")
        standing = standing_at(person, starts_at)
        if standing is None or not standing.in_good_standing:
            raise InvalidInput(
                f"{person.display_name} is not in good standing then.",
                code=codes.MEMBER_NOT_IN_GOOD_STANDING,
                data={"field": "starts"},
            )
        office = OfficeHeld(
            membership=membership,
            title=title,
            unit=unit,
            body=body,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            recorded_by=actor,
            recorded_at=recorded_at(),
        )
        office.event_seq = record(
            stream=person.ledger_stream,
            type="member.office_began",
            actor=actor,
            capacity=capacity,
            payload={
                "person": person.public_id,
                "office": office.public_id,
                "title": title,
                "unit": unit.public_id if unit else None,
                "body": body.public_id if body else None,
                "starts_at": starts_at,
                "reason": reason,
            },
            occurred_at=occurred_at,
        )
        office.save()
        return office


def member_office_end(
    *,
    actor: str,
    capacity: str,
    office: OfficeHeld,
    ends: date | datetime,
    reason: str,
    occurred_at: datetime | None = None,
) -> OfficeHeld:
    reason = require_reason(reason)
    with transaction.atomic():
        org = organization()
        office = (
            OfficeHeld.objects.select_for_update()
            .select_related("membership__person")
            .get(pk=office.pk)
        )
        ends_at = to_moment(ends, org=org, field="ends")
        if office.ends_at is not None and office.ends_at <= ends_at:
            raise InvalidInput(
                "This office had already ended by then.",
                code=codes.OFFICE_ALREADY_ENDED,
                data={"field": "ends"},
            )
        if ends_at <= office.starts_at:
            raise InvalidInput(
                "An office ends after it starts.",
                code=codes.OFFICE_END_BEFORE_START,
                data={"field": "ends"},
            )
        person = office.membership.person
        record(
            stream=person.ledger_stream,
            type="member.office_ended",
            actor=actor,
            capacity=capacity,
            payload={
                "person": person.public_id,
                "office": office.public_id,
                "ends_at": ends_at,
                "reason": reason,
            },
            occurred_at=occurred_at,
        )
        office.ends_at = ends_at
        office.end_reason = reason
        office.save(update_fields=["ends_at", "end_reason"])
        return office
