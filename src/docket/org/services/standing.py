"""A member's standing: active, suspended (until a date or for a proceeding), expelled,
resigned, on leave. Only this service writes standing."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import Person, Standing, StandingChange
from docket.org.selectors import organization, standing_at
from docket.org.services._common import record_event, require_reason, to_moment
from docket.org.services.member import check_history_order, locked_membership

# Standings that can be re-recorded with new terms (a longer suspension, a new leave
# date); re-recording any other is a mistake worth refusing.
_RENEWABLE = {Standing.SUSPENDED, Standing.ON_LEAVE}
_DATED = {Standing.SUSPENDED, Standing.ON_LEAVE}


def member_standing_change(
    *,
    actor: str,
    capacity: str,
    person: Person,
    status: str,
    effective: date | datetime,
    reason: str,
    until: date | datetime | None = None,
    proceeding: str = "",
    cause: str = "",
    occurred_at: datetime | None = None,
) -> StandingChange:
    """Change a member's standing from ``effective`` on.

    A suspension needs an end: ``until`` (it lapses back to active then) or
    ``proceeding``, the case it lasts for (a later change ends it). ``cause`` names the
    ledger event behind the change ("case:<id>#<seq>") when there is one.
    """
    reason = require_reason(reason)
    if status not in Standing.values:
        raise InvalidInput(
            f"{status!r} is not a standing.",
            code=codes.STANDING_UNKNOWN,
            data={"field": "status", "allowed": list(Standing.values)},
        )
    new = Standing(status)
    proceeding = (proceeding or "").strip()
    if until is not None and new not in _DATED:
        raise InvalidInput(
            f"A change to {new.label.lower()} has no end date.",
            code=codes.STANDING_UNTIL_NOT_ALLOWED,
            data={"field": "until"},
        )
    if proceeding and new != Standing.SUSPENDED:
        raise InvalidInput(
            "Only a suspension can last for a proceeding.",
            code=codes.STANDING_PROCEEDING_NOT_ALLOWED,
            data={"field": "proceeding"},
        )
    if new == Standing.SUSPENDED and until is None and not proceeding:
        raise InvalidInput(
            "A suspension needs an end date or the proceeding it lasts for.",
            code=codes.STANDING_SUSPENSION_END,
            data={"field": "until"},
        )
    if until is not None and proceeding:
        raise InvalidInput(
            "Give an end date or a proceeding, not both.",
            code=codes.STANDING_UNTIL_AND_PROCEEDING,
            data={"field": "until"},
        )
    with transaction.atomic():
        org = organization()
        membership = locked_membership(person)
        effective_at = to_moment(effective, org=org, field="effective")
        until_at = to_moment(until, org=org, field="until") if until is not None else None
        if until_at is not None and until_at <= effective_at:
            raise InvalidInput(
                "The end must come after the start.",
                code=codes.STANDING_UNTIL_BEFORE_START,
                data={"field": "until"},
            )
        latest = membership.standing_changes.order_by("-effective_at", "-id").first()
        check_history_order(
            membership,
            effective_at,
            latest=latest.effective_at if latest else None,
            field="effective",
        )
        previous = standing_at(person, effective_at)
        assert previous is not None  # admission records the first standing
        if previous.status == new and new not in _RENEWABLE:
            raise InvalidInput(
                f"{person.display_name} is already {new.label.lower()} then.",
                code=codes.STANDING_UNCHANGED,
                data={"field": "status"},
            )
        event = record_event(
            stream=person.ledger_stream,
            type="member.standing_changed",
            actor=actor,
            capacity=capacity,
            payload={
                "person": person.public_id,
                "status": new.value,
                "previous": previous.status.value,
                "effective_at": effective_at,
                "until": until_at,
                "proceeding": proceeding or None,
                "cause": cause or None,
                "reason": reason,
            },
            occurred_at=occurred_at,
        )
        return StandingChange.objects.create(
            membership=membership,
            status=new,
            effective_at=effective_at,
            until=until_at,
            proceeding=proceeding,
            reason=reason,
            cause=cause,
            recorded_by=actor,
            recorded_at=event.recorded_at,
            event_seq=event.seq,
        )
