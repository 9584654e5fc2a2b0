"""Seats on bodies and the terms people serve in them.

Seats grant access to cases (through the access layer), so ending a term ends the
holder's sessions in the same transaction: the next request is re-checked.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q

from docket.core.clock import now
from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import Body, Person, Seat, SeatTerm
from docket.org.selectors import organization, standing_at
from docket.org.services._common import (
    end_sessions,
    record,
    recorded_at,
    require_reason,
    to_moment,
)


def seat_create(
    *,
    actor: str,
    capacity: str,
    body: Body,
    number: int | None = None,
    label: str = "",
    occurred_at: datetime | None = None,
) -> Seat:
    """Add a seat; ``number`` defaults to the next free one."""
    with transaction.atomic():
        body = Body.objects.select_for_update().get(pk=body.pk)
        taken = set(body.seats.values_list("number", flat=True))
        if number is None:
            number = max(taken, default=0) + 1
        if number < 1:
            raise InvalidInput(
                "Seat numbers start at 1.", code=codes.FIELD_INVALID, data={"field": "number"}
            )
        if number in taken:
            raise InvalidInput(
                f"{body.name} already has seat {number}.",
                code=codes.SEAT_NUMBER_TAKEN,
                data={"field": "number"},
            )
        seat = Seat(body=body, number=number, label=label.strip(), created_at=recorded_at())
        seat.event_seq = record(
            stream="org",
            type="seat.created",
            actor=actor,
            capacity=capacity,
            payload={
                "seat": seat.public_id,
                "body": body.public_id,
                "number": number,
                "label": seat.label or None,
            },
            occurred_at=occurred_at,
        )
        seat.save()
        return seat


def _overlapping(starts_at: datetime, ends_at: datetime | None) -> Q:
    # Half-open intervals [a, b) and [c, d) overlap when a < d and c < b.
    q = Q(ends_at__isnull=True) | Q(ends_at__gt=starts_at)
    if ends_at is not None:
        q &= Q(starts_at__lt=ends_at)
    return q


def seat_term_begin(
    *,
    actor: str,
    capacity: str,
    seat: Seat,
    person: Person,
    starts: date | datetime,
    reason: str,
    ends: date | datetime | None = None,
    may_finish_open_cases: bool = False,
    occurred_at: datetime | None = None,
) -> SeatTerm:
    """``person`` serves in ``seat`` from ``starts`` until ``ends`` (open-ended if None)."""
    reason = require_reason(reason)
    with transaction.atomic():
        org = organization()
        # Lock the body: both overlap checks below (the seat's and the person's other
        # seats on the body) must see every concurrent term.
        Body.objects.select_for_update().filter(pk=seat.body_id).first()
        seat = Seat.objects.select_related("body").get(pk=seat.pk)
        starts_at = to_moment(starts, org=org, field="starts")
        ends_at = to_moment(ends, org=org, field="ends") if ends is not None else None
        if ends_at is not None and ends_at <= starts_at:
            raise InvalidInput(
                "A term ends after it starts.",
                code=codes.TERM_ENDS_BEFORE_START,
                data={"field": "ends"},
            )
        standing = standing_at(person, starts_at)
        if standing is None or not standing.in_good_standing:
            raise InvalidInput(
                f"{person.display_name} is not a member in good standing then.",
                code=codes.MEMBER_NOT_IN_GOOD_STANDING,
                data={"field": "person"},
            )
        overlap = _overlapping(starts_at, ends_at)
        if SeatTerm.objects.filter(overlap, seat=seat).exists():
            raise InvalidInput(
                f"{seat} is held by someone else in that period.",
                code=codes.TERM_SEAT_OCCUPIED,
                data={"field": "seat"},
            )
        if SeatTerm.objects.filter(overlap, seat__body=seat.body, person=person).exists():
            raise InvalidInput(
                f"{person.display_name} already sits on {seat.body.name} then.",
                code=codes.TERM_PERSON_ON_BODY,
                data={"field": "person"},
            )
        stamp = recorded_at()
        term = SeatTerm(
            seat=seat,
            person=person,
            starts_at=starts_at,
            ends_at=ends_at,
            may_finish_open_cases=may_finish_open_cases,
            reason=reason,
            recorded_by=actor,
            recorded_at=stamp,
            # A term recorded after it ended (history) needs no closing later.
            closed_at=stamp if ends_at is not None and ends_at <= stamp else None,
        )
        term.event_seq = record(
            stream="org",
            type="seat.term_began",
            actor=actor,
            capacity=capacity,
            payload={
                "term": term.public_id,
                "seat": seat.public_id,
                "body": seat.body.public_id,
                "person": person.public_id,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "may_finish_open_cases": may_finish_open_cases,
                "reason": reason,
            },
            occurred_at=occurred_at,
        )
        term.save()
        return term


def seat_term_end(
    *,
    actor: str,
    capacity: str,
    term: SeatTerm,
    reason: str,
    ends: date | datetime | None = None,
    occurred_at: datetime | None = None,
) -> SeatTerm:
    """End a term now (or at a past moment): resignation, removal, recall.

    The holder's sessions end in the same transaction. A term cannot be ended in the
    future from here: give ``ends`` to ``seat_term_begin`` for a fixed term.
    """
    reason = require_reason(reason)
    with transaction.atomic():
        org = organization()
        term = (
            SeatTerm.objects.select_for_update()
            .select_related("seat__body", "person")
            .get(pk=term.pk)
        )
        stamp = recorded_at()
        ends_at = stamp if ends is None else to_moment(ends, org=org, field="ends")
        if ends_at > stamp:
            raise InvalidInput(
                "A term can only be ended now or in the past.",
                code=codes.TERM_END_IN_FUTURE,
                data={"field": "ends"},
            )
        # Only an earlier end than the one on record makes sense (a recorded term
        # may still be cut short, e.g. a resignation entered with history).
        if term.ends_at is not None and term.ends_at <= ends_at:
            raise InvalidInput(
                "This term had already ended.",
                code=codes.TERM_ALREADY_ENDED,
                data={"field": "term"},
            )
        if ends_at <= term.starts_at:
            raise InvalidInput(
                "A term ends after it starts.",
                code=codes.TERM_ENDS_BEFORE_START,
                data={"field": "ends"},
            )
        early = term.ends_at is None or ends_at < term.ends_at
        _close(
            term,
            ends_at=ends_at,
            early=early,
            reason=reason,
            actor=actor,
            capacity=capacity,
            occurred_at=occurred_at,
            stamp=stamp,
        )
        return term


def seat_terms_expire(*, actor: str = "docket", capacity: str = "scheduler") -> int:
    """Close terms whose scheduled end has passed: record it and end the holder's sessions.

    Run by the worker; the access selector already stops honouring an ended term at
    its end, this makes the end visible in the ledger and logs the holder out.
    """
    stamp = now()
    count = 0
    with transaction.atomic():
        due = (
            SeatTerm.objects.select_for_update()
            .select_related("seat__body", "person")
            .filter(closed_at__isnull=True, ends_at__lte=stamp)
        )
        for term in due:
            assert term.ends_at is not None
            _close(
                term,
                ends_at=term.ends_at,
                early=False,
                reason="The term ran its course.",
                actor=actor,
                capacity=capacity,
                occurred_at=None,
                stamp=stamp,
            )
            count += 1
    return count


def _close(
    term: SeatTerm,
    *,
    ends_at: datetime,
    early: bool,
    reason: str,
    actor: str,
    capacity: str,
    occurred_at: datetime | None,
    stamp: datetime,
) -> None:
    record(
        stream="org",
        type="seat.term_ended",
        actor=actor,
        capacity=capacity,
        payload={
            "term": term.public_id,
            "seat": term.seat.public_id,
            "body": term.seat.body.public_id,
            "person": term.person.public_id,
            "ends_at": ends_at,
            "early": early,
            "reason": reason,
        },
        occurred_at=occurred_at,
    )
    term.ends_at = ends_at
    term.closed_at = stamp
    if early:
        term.ended_early_reason = reason
    term.save(update_fields=["ends_at", "closed_at", "ended_early_reason"])
    end_sessions(term.person)
