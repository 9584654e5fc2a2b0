"""The member roster, for administrators: read, and change through the org services."""

from __future__ import annotations

import math
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from docket.core.errors import InvalidInput, NotFound
from docket.org.models import Membership, Person, Unit
from docket.org.selectors import (
    StandingAt,
    members_at,
    standing_at,
    standing_history,
    unit_at,
    unit_by_key,
    unit_history,
)
from docket.org.services import member_admit, member_standing_change, member_transfer

from .auth import MEMBERS_READ, MEMBERS_WRITE, caller_of
from .errors import READ_ERRORS, WRITE_ERRORS, answers
from .moments import checked_date, checked_moment
from .schemas import (
    Key,
    MemberAdmitIn,
    MemberDetailOut,
    MemberPage,
    MemberStandingIn,
    MemberTransferIn,
    PublicId,
)

router = Router(tags=["members"])
CAPACITY = "administrator"


class MemberFilters(Schema):
    unit: Key | None = Field(None, description="Only this unit (key) and the units below it.")
    status: Literal["active", "suspended", "expelled", "resigned", "on_leave"] | None = None
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(50, ge=1, le=200)


def _standing(s: StandingAt | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"status": s.status, "since": s.since, "until": s.until}


def _member(m: Membership, unit: Unit | None, standing: StandingAt | None) -> dict[str, Any]:
    return {
        "person": m.person.public_id,
        "name": m.person.display_name,
        "member_number": m.member_number,
        "joined_on": m.joined_on.isoformat(),
        "unit": unit.key if unit else None,
        "standing": _standing(standing),
    }


def _unit(key: str, field: str = "unit") -> Unit:
    try:
        return unit_by_key(key)
    except NotFound:
        raise InvalidInput("No such unit.", code="unit.unknown", data={"field": field}) from None


def _membership(person_id: str) -> Membership:
    found = Membership.objects.select_related("person").filter(person__public_id=person_id).first()
    if found is None:
        raise NotFound("No such member.", code="member.not_found")
    return found


@router.get(
    "", response=answers(MemberPage, READ_ERRORS), auth=MEMBERS_READ, operation_id="members_list"
)
def members_list(request: HttpRequest, filters: Query[MemberFilters]) -> dict[str, Any]:
    """Every member now, with unit and standing (administrators)."""
    unit = _unit(filters.unit) if filters.unit else None
    rows = members_at(unit=unit)
    if filters.status is not None:
        rows = [r for r in rows if r.standing is not None and r.standing.status == filters.status]
    start = (filters.page - 1) * filters.per_page
    return {
        "items": [
            _member(r.membership, r.unit, r.standing)
            for r in rows[start : start + filters.per_page]
        ],
        "meta": {
            "count": len(rows),
            "page": filters.page,
            "per_page": filters.per_page,
            "pages": max(1, math.ceil(len(rows) / filters.per_page)),
        },
    }


def _detail(m: Membership) -> dict[str, Any]:
    person = m.person
    return {
        **_member(m, unit_at(person), standing_at(person)),
        "standing_history": [
            {
                "status": c.status,
                "effective_at": c.effective_at,
                "until": c.until,
                "reason": c.reason,
                "recorded_at": c.recorded_at,
            }
            for c in standing_history(person)
        ],
        "unit_history": [
            {"to_unit": t.to_unit.key, "effective_at": t.effective_at, "reason": t.reason}
            for t in unit_history(person)
        ],
    }


@router.get(
    "/{person_id}",
    response=answers(MemberDetailOut, READ_ERRORS),
    auth=MEMBERS_READ,
    operation_id="members_detail",
)
def members_detail(request: HttpRequest, person_id: PublicId) -> dict[str, Any]:
    """One member's standing and unit history (administrators)."""
    return _detail(_membership(person_id))


@router.post(
    "",
    response=answers(MemberDetailOut, WRITE_ERRORS),
    auth=MEMBERS_WRITE,
    operation_id="members_admit",
)
def members_admit(request: HttpRequest, payload: MemberAdmitIn) -> dict[str, Any]:
    """Admit a recorded person as a member of a unit."""
    person = Person.objects.filter(public_id=payload.person).first()
    if person is None:
        raise InvalidInput("No such person.", code="person.unknown", data={"field": "person"})
    membership = member_admit(
        actor=caller_of(request).actor,
        capacity=CAPACITY,
        person=person,
        member_number=payload.member_number,
        joined_on=checked_date(payload.joined_on, "joined_on"),
        unit=_unit(payload.unit),
        reason=payload.reason,
    )
    return _detail(_membership(membership.person.public_id))


@router.post(
    "/{person_id}/transfer",
    response=answers(MemberDetailOut, WRITE_ERRORS),
    auth=MEMBERS_WRITE,
    operation_id="members_transfer",
)
def members_transfer(
    request: HttpRequest, person_id: PublicId, payload: MemberTransferIn
) -> dict[str, Any]:
    """Move a member to another unit from a date."""
    m = _membership(person_id)
    member_transfer(
        actor=caller_of(request).actor,
        capacity=CAPACITY,
        person=m.person,
        to_unit=_unit(payload.to_unit, "to_unit"),
        effective=checked_moment(payload.effective, "effective"),
        reason=payload.reason,
    )
    return _detail(m)


@router.post(
    "/{person_id}/standing",
    response=answers(MemberDetailOut, WRITE_ERRORS),
    auth=MEMBERS_WRITE,
    operation_id="members_standing_change",
)
def members_standing_change(
    request: HttpRequest, person_id: PublicId, payload: MemberStandingIn
) -> dict[str, Any]:
    """Change a member's standing from a moment on (a suspension needs an end)."""
    m = _membership(person_id)
    member_standing_change(
        actor=caller_of(request).actor,
        capacity=CAPACITY,
        person=m.person,
        status=payload.status,
        effective=checked_moment(payload.effective, "effective"),
        until=checked_moment(payload.until, "until") if payload.until else None,
        reason=payload.reason,
    )
    return _detail(m)
