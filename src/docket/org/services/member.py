"""Membership: admission (of a recorded person, or of a new one) and transfers between
units."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import Membership, Person, Standing, StandingChange, Unit, UnitTransfer
from docket.org.selectors import organization, standing_at, unit_at
from docket.org.services._common import (
    record_event,
    require_reason,
    require_text,
    to_moment,
)
from docket.org.services.person import person_create


def locked_membership(person: Person) -> Membership:
    """The person's membership, locked so that concurrent history appends queue up."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("person")
        .filter(person=person)
        .first()
    )
    if membership is None:
        raise InvalidInput(
            f"{person.display_name} is not a member.",
            code=codes.MEMBER_NOT_A_MEMBER,
            data={"field": "person"},
        )
    return membership


def check_history_order(
    membership: Membership, effective: datetime, *, latest: datetime | None, field: str
) -> None:
    """History is appended in time order: nothing before joining or before the last entry."""
    if effective < membership.joined_at or (latest is not None and effective < latest):
        raise InvalidInput(
            "This would change history before the latest recorded entry; record it as a new "
            "entry from a later date.",
            code=codes.MEMBER_HISTORY_ORDER,
            data={"field": field, "latest": (latest or membership.joined_at).isoformat()},
        )


def member_admit(
    *,
    actor: str,
    capacity: str,
    person: Person,
    member_number: str,
    joined_on: date,
    unit: Unit,
    reason: str,
    occurred_at: datetime | None = None,
) -> Membership:
    """Admit ``person`` as a member of ``unit``, active from the start of ``joined_on``."""
    member_number = require_text(member_number, field="member_number")
    reason = require_reason(reason)
    if isinstance(joined_on, datetime) or not isinstance(joined_on, date):
        raise InvalidInput(
            "joined_on must be a date.", code=codes.FIELD_INVALID, data={"field": "joined_on"}
        )
    with transaction.atomic():
        org = organization()
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.pseudonymous:
            # A member's name is ordinary org data; a pseudonymous person's is not.
            raise InvalidInput(
                "A member needs a name; create a named person to admit.",
                code=codes.PERSON_PSEUDONYMOUS,
                data={"field": "person"},
            )
        if Membership.objects.filter(person=person).exists():
            raise InvalidInput(
                f"{person.display_name} is already a member.",
                code=codes.MEMBER_ALREADY,
                data={"field": "person"},
            )
        if Membership.objects.filter(member_number=member_number).exists():
            raise InvalidInput(
                f"Member number {member_number} is taken.",
                code=codes.MEMBER_NUMBER_TAKEN,
                data={"field": "member_number"},
            )
        joined_at = to_moment(joined_on, org=org, field="joined_on")
        event = record_event(
            stream=person.ledger_stream,
            type="member.admitted",
            actor=actor,
            capacity=capacity,
            payload={
                "person": person.public_id,
                "member_number": member_number,
                "joined_on": joined_on,
                "unit": unit.public_id,
                "reason": reason,
            },
            occurred_at=occurred_at,
        )
        seq, stamp = event.seq, event.recorded_at
        membership = Membership.objects.create(
            person=person,
            member_number=member_number,
            joined_on=joined_on,
            joined_at=joined_at,
            created_at=stamp,
            event_seq=seq,
        )
        UnitTransfer.objects.create(
            membership=membership,
            from_unit=None,
            to_unit=unit,
            effective_at=joined_at,
            reason=reason,
            recorded_by=actor,
            recorded_at=stamp,
            event_seq=seq,
        )
        StandingChange.objects.create(
            membership=membership,
            status=Standing.ACTIVE,
            effective_at=joined_at,
            reason=reason,
            recorded_by=actor,
            recorded_at=stamp,
            event_seq=seq,
        )
        return membership


def member_admit_new(
    *,
    actor: str,
    capacity: str,
    display_name: str,
    member_number: str,
    joined_on: date,
    unit: Unit,
    reason: str,
    occurred_at: datetime | None = None,
) -> Membership:
    """Record a new named person and admit them as a member of ``unit``: both or neither.

    Refusals are ``person_create``'s and ``member_admit``'s (``org.field_required``,
    ``member.number_taken``…); after one, no person, membership or event is left.
    """
    with transaction.atomic():
        person = person_create(
            actor=actor, capacity=capacity, display_name=display_name, occurred_at=occurred_at
        )
        return member_admit(
            actor=actor,
            capacity=capacity,
            person=person,
            member_number=member_number,
            joined_on=joined_on,
            unit=unit,
            reason=reason,
            occurred_at=occurred_at,
        )


def member_transfer(
    *,
    actor: str,
    capacity: str,
    person: Person,
    to_unit: Unit,
    effective: date | datetime,
    reason: str,
    occurred_at: datetime | None = None,
) -> UnitTransfer:
    reason = require_reason(reason)
    with transaction.atomic():
        org = organization()
        membership = locked_membership(person)
        effective_at = to_moment(effective, org=org, field="effective")
        latest = membership.transfers.order_by("-effective_at", "-id").first()
        check_history_order(
            membership,
            effective_at,
            latest=latest.effective_at if latest else None,
            field="effective",
        )
        standing = standing_at(person, effective_at)
        if standing is None or standing.status in (Standing.EXPELLED, Standing.RESIGNED):
            raise InvalidInput(
                f"{person.display_name} is no longer a member then.",
                code=codes.MEMBER_NOT_CURRENT,
                data={"field": "effective"},
            )
        from_unit = unit_at(person, effective_at)
        assert from_unit is not None  # admission always records a unit
        if from_unit.pk == to_unit.pk:
            raise InvalidInput(
                f"{person.display_name} is already in {to_unit.name}.",
                code=codes.MEMBER_SAME_UNIT,
                data={"field": "to_unit"},
            )
        event = record_event(
            stream=person.ledger_stream,
            type="member.transferred",
            actor=actor,
            capacity=capacity,
            payload={
                "person": person.public_id,
                "from_unit": from_unit.public_id,
                "to_unit": to_unit.public_id,
                "effective_at": effective_at,
                "reason": reason,
            },
            occurred_at=occurred_at,
        )
        return UnitTransfer.objects.create(
            membership=membership,
            from_unit=from_unit,
            to_unit=to_unit,
            effective_at=effective_at,
            reason=reason,
            recorded_by=actor,
            recorded_at=event.recorded_at,
            event_seq=event.seq,
        )
