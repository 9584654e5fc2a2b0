"""What every org service shares: input checks, moments, the ledger call, session ends."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from docket.core.clock import now
from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.ledger.services import ledger_append
from docket.org import codes
from docket.org.models import Organization, Person


def require_text(value: str, *, field: str, code: str = codes.FIELD_REQUIRED) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(
            f"{field.replace('_', ' ').capitalize()} is required.", code=code, data={"field": field}
        )
    return cleaned


def require_reason(reason: str) -> str:
    return require_text(reason, field="reason", code=codes.REASON_REQUIRED)


def to_moment(value: date | datetime, *, org: Organization, field: str) -> datetime:
    """A date means the start of that day in the organization's zone; datetimes must be aware.

    Naive datetimes are refused rather than guessed: an hour's error on a term's end
    decides whether someone still sees a case.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidInput(
                f"{field} needs a time zone.", code=codes.NAIVE_DATETIME, data={"field": field}
            )
        return value
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=ZoneInfo(org.time_zone))
    raise InvalidInput(
        f"{field} must be a date or a datetime.", code=codes.FIELD_INVALID, data={"field": field}
    )


def record(
    *,
    stream: str,
    type: str,
    actor: str,
    capacity: str,
    payload: Mapping[str, Any],
    occurred_at: datetime | None,
) -> int:
    """Append the event; returns its sequence number in the stream."""
    event = record_event(
        stream=stream,
        type=type,
        actor=actor,
        capacity=capacity,
        payload=payload,
        occurred_at=occurred_at,
    )
    return int(event.seq)


def record_event(
    *,
    stream: str,
    type: str,
    actor: str,
    capacity: str,
    payload: Mapping[str, Any],
    occurred_at: datetime | None,
) -> LedgerEvent:
    """Append the event and return it (history rows copy its seq and recorded_at).

    ``occurred_at`` is given only when recording history after the fact (imports);
    the ledger then marks the event as imported and keeps both dates.
    """
    actor = require_text(actor, field="actor")
    capacity = require_text(capacity, field="capacity")
    event = ledger_append(
        stream=stream,
        type=type,
        actor=actor,
        capacity=capacity,
        payload=payload,
        occurred_at=occurred_at,
        recorded_by=actor if occurred_at is not None else "",
        provenance="import" if occurred_at is not None else "live",
    )
    return event


def end_sessions(person: Person) -> None:
    """End the account's sessions (in the caller's transaction)."""
    if person.user_id is not None:
        from docket.accounts.sessions import end_all_sessions

        end_all_sessions(person.user_id)


def recorded_at() -> datetime:
    return now()
