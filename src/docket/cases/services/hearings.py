"""Hearings: scheduling with notice, holding, adjourning, waiving."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from ._base import Deviation, act, seal


def hearing_schedule(
    *,
    by: Person,
    case: str,
    hearing_id: str,
    at: datetime,
    notice_to: Sequence[str] = ("complainant", "respondent"),
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    if at.tzinfo is None:
        raise InvalidInput("The hearing time needs a time zone.", data={"field": "at"})
    return act(
        by,
        case,
        "schedule_hearing",
        {"hearing_id": hearing_id, "at": at.isoformat(), "notice_to": list(notice_to)},
        deviation=deviation,
        expect_seq=expect_seq,
    )


def hearing_hold(
    *,
    by: Person,
    case: str,
    hearing_id: str,
    attendance: Sequence[Person],
    record: str = "",
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Record that the hearing took place: who attended, and the record of it (sealed)."""
    return act(
        by,
        case,
        "hold_hearing",
        lambda ctx: {
            "hearing_id": hearing_id,
            "attendance": [p.public_id for p in attendance],
            "record_ref": seal(ctx, kind="deliberation", text=record, author=by)
            if record.strip()
            else None,
        },
        deviation=deviation,
        expect_seq=expect_seq,
    )


def hearing_adjourn(
    *,
    by: Person,
    case: str,
    hearing_id: str,
    until: datetime | None = None,
    reasons: str = "",
    expect_seq: int | None = None,
) -> LedgerEvent:
    if until is not None and until.tzinfo is None:
        raise InvalidInput("The new time needs a time zone.", data={"field": "until"})
    return act(
        by,
        case,
        "adjourn_hearing",
        lambda ctx: {
            "hearing_id": hearing_id,
            "until": until.isoformat() if until else None,
            "reasons_ref": seal(ctx, kind="note", text=reasons, author=by)
            if reasons.strip()
            else None,
        },
        expect_seq=expect_seq,
    )


def hearing_waive(
    *, by: Person, case: str, party: str, waiver: str = "", expect_seq: int | None = None
) -> LedgerEvent:
    """A party waives the hearing, where the protocol lets them."""
    return act(
        by,
        case,
        "waive_hearing",
        lambda ctx: {
            "party": party,
            "waiver_ref": seal(ctx, kind="statement", text=waiver, author=by)
            if waiver.strip()
            else None,
        },
        expect_seq=expect_seq,
    )
