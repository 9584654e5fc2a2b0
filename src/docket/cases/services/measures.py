"""Interim and supportive measures. A suspension changes the member's standing in the
same transaction; lifting it restores it."""

from __future__ import annotations

from datetime import datetime

from docket.core import clock
from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.models import Person
from docket.org.services import member_standing_change

from ..acting import CaseContext
from ._base import Deviation, act, seal

_SUSPENDING = {"suspension", "emergency_removal"}


def _reasons(ctx: CaseContext, text: str, by: Person) -> str | None:
    return seal(ctx, kind="note", text=text, author=by) if text.strip() else None


def measure_impose(
    *,
    by: Person,
    case: str,
    measure_id: str,
    kind: str,
    subject: Person,
    reasons: str,
    until: datetime | None = None,
    supportive: bool = False,
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Put a measure in place. Suspension and emergency removal suspend the subject's
    membership for the proceeding (or until a date); the respondent may challenge them at
    once (``measure_challenge``)."""
    if not reasons.strip():
        raise InvalidInput("Say why the measure is needed.", data={"field": "reasons"})

    def after(ctx: CaseContext, event: LedgerEvent) -> None:
        if kind in _SUSPENDING and not supportive and hasattr(subject, "membership"):
            member_standing_change(
                actor=by.public_id,
                capacity=event.capacity,
                person=subject,
                status="suspended",
                effective=event.occurred_at,
                until=until,
                proceeding="" if until else ctx.case.public_id,
                # No case reference here: the member record is seen by administrators.
                reason="Interim measure in a disciplinary proceeding",
                cause=f"{ctx.stream}#{event.seq}",
            )

    return act(
        by,
        case,
        "impose_measure",
        lambda ctx: {
            "measure_id": measure_id,
            "kind": kind,
            "subject": subject.public_id,
            "until": until.isoformat() if until else None,
            "supportive": supportive,
            "reasons_ref": _reasons(ctx, reasons, by),
        },
        deviation=deviation,
        expect_seq=expect_seq,
        after=after,
    )


def support_offer(
    *,
    by: Person,
    case: str,
    measure_id: str,
    party_person: Person,
    description: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """A supportive measure for either party (no effect on standing)."""
    return measure_impose(
        by=by,
        case=case,
        measure_id=measure_id,
        kind="support",
        subject=party_person,
        reasons=description,
        supportive=True,
        expect_seq=expect_seq,
    )


def measure_challenge(
    *, by: Person, case: str, measure_id: str, grounds: str, expect_seq: int | None = None
) -> LedgerEvent:
    return act(
        by,
        case,
        "challenge_measure",
        lambda ctx: {"measure_id": measure_id, "grounds_ref": _reasons(ctx, grounds, by)},
        expect_seq=expect_seq,
    )


def _restore(ctx: CaseContext, by: Person, event: LedgerEvent, measure_id: str) -> None:
    measure = ctx.evaluation.state.measures.get(measure_id)
    if measure is None or measure.kind not in _SUSPENDING:
        return
    from docket.org.models import Person as P

    subject = P.objects.filter(public_id=measure.subject).first()
    if subject is None or not hasattr(subject, "membership"):
        return
    from docket.org.selectors import standing_at

    # Restore only the suspension this case imposed; never undo another case's
    # suspension, an expulsion, a resignation or a leave.
    now = standing_at(subject, max(event.occurred_at, clock.now()))
    if now is not None and now.status == "suspended" and now.proceeding == ctx.case.public_id:
        member_standing_change(
            actor=by.public_id,
            capacity=event.capacity,
            person=subject,
            status="active",
            effective=max(event.occurred_at, clock.now()),
            reason=f"Interim measure {measure_id} ended",
            cause=f"{ctx.stream}#{event.seq}",
        )


def measure_review(
    *,
    by: Person,
    case: str,
    measure_id: str,
    outcome: str,
    reasons: str = "",
    expect_seq: int | None = None,
) -> LedgerEvent:
    def after(ctx: CaseContext, event: LedgerEvent) -> None:
        if outcome == "lifted":
            _restore(ctx, by, event, measure_id)

    return act(
        by,
        case,
        "review_measure",
        lambda ctx: {
            "measure_id": measure_id,
            "outcome": outcome,
            "reasons_ref": _reasons(ctx, reasons, by),
        },
        expect_seq=expect_seq,
        after=after,
    )


def measure_lift(
    *, by: Person, case: str, measure_id: str, reasons: str = "", expect_seq: int | None = None
) -> LedgerEvent:
    return act(
        by,
        case,
        "lift_measure",
        lambda ctx: {"measure_id": measure_id, "reasons_ref": _reasons(ctx, reasons, by)},
        expect_seq=expect_seq,
        after=lambda ctx, event: _restore(ctx, by, event, measure_id),
    )
