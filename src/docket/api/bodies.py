"""Bodies, seats and terms, for administrators: read, and terms begun or ended through
the org services."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Router

from docket.core.errors import InvalidInput, NotFound
from docket.org.models import Body, Person, Seat, SeatTerm
from docket.org.services import seat_term_begin, seat_term_end

from .auth import BODIES_READ, BODIES_WRITE, caller_of
from .errors import READ_ERRORS, WRITE_ERRORS, answers
from .moments import checked_moment
from .schemas import BodyDetailOut, BodyOut, PublicId, TermBeginIn, TermEndIn

router = Router(tags=["bodies"])
CAPACITY = "administrator"


def _body_out(body: Body, seats: int) -> dict[str, Any]:
    return {
        "id": body.public_id,
        "key": body.key,
        "name": body.name,
        "unit": body.unit.key,
        "seats": seats,
    }


def _body(body_id: str) -> Body:
    body = Body.objects.select_related("unit").filter(public_id=body_id).first()
    if body is None:
        raise NotFound("No such body.", code="body.not_found")
    return body


def _detail(body: Body) -> dict[str, Any]:
    terms = (
        SeatTerm.objects.filter(seat__body=body)
        .select_related("seat", "person")
        .order_by("seat__number", "starts_at", "id")
    )
    return {
        **_body_out(body, body.seats.count()),
        "terms": [
            {
                "id": t.public_id,
                "seat": t.seat.number,
                "person": t.person.public_id,
                "name": t.person.display_name,
                "starts_at": t.starts_at,
                "ends_at": t.ends_at,
                "may_finish_open_cases": t.may_finish_open_cases,
            }
            for t in terms
        ],
    }


@router.get(
    "", response=answers(list[BodyOut], READ_ERRORS), auth=BODIES_READ, operation_id="bodies_list"
)
def bodies_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every body of the organization (administrators)."""
    rows = Body.objects.select_related("unit").annotate(n=Count("seats")).order_by("key", "id")
    return [_body_out(b, b.n) for b in rows]


@router.get(
    "/{body_id}",
    response=answers(BodyDetailOut, READ_ERRORS),
    auth=BODIES_READ,
    operation_id="bodies_detail",
)
def bodies_detail(request: HttpRequest, body_id: PublicId) -> dict[str, Any]:
    """One body with every term of its seats, past and present (administrators)."""
    return _detail(_body(body_id))


@router.post(
    "/{body_id}/terms",
    response=answers(BodyDetailOut, WRITE_ERRORS),
    auth=BODIES_WRITE,
    operation_id="bodies_term_begin",
)
def bodies_term_begin(
    request: HttpRequest, body_id: PublicId, payload: TermBeginIn
) -> dict[str, Any]:
    """A person begins a term in one of the body's seats."""
    body = _body(body_id)
    seat = Seat.objects.filter(body=body, number=payload.seat).first()
    if seat is None:
        raise InvalidInput(
            "The body has no such seat.", code="seat.unknown", data={"field": "seat"}
        )
    person = Person.objects.filter(public_id=payload.person).first()
    if person is None:
        raise InvalidInput("No such person.", code="person.unknown", data={"field": "person"})
    seat_term_begin(
        actor=caller_of(request).actor,
        capacity=CAPACITY,
        seat=seat,
        person=person,
        starts=checked_moment(payload.starts, "starts"),
        ends=checked_moment(payload.ends, "ends") if payload.ends else None,
        may_finish_open_cases=payload.may_finish_open_cases,
        reason=payload.reason,
    )
    return _detail(body)


@router.post(
    "/{body_id}/terms/{term_id}/end",
    response=answers(BodyDetailOut, WRITE_ERRORS),
    auth=BODIES_WRITE,
    operation_id="bodies_term_end",
)
def bodies_term_end(
    request: HttpRequest, body_id: PublicId, term_id: PublicId, payload: TermEndIn
) -> dict[str, Any]:
    """End a term now, or at a past moment (resignation, removal)."""
    body = _body(body_id)
    term = SeatTerm.objects.filter(public_id=term_id, seat__body=body).first()
    if term is None:
        raise NotFound("No such term.", code="term.not_found")
    seat_term_end(
        actor=caller_of(request).actor,
        capacity=CAPACITY,
        term=term,
        ends=checked_moment(payload.ends, "ends") if payload.ends else None,
        reason=payload.reason,
    )
    return _detail(body)
