"""Bodies taking up the case: referral, reinvestigation, the record that follows it,
panels, conflicts and investigators."""

from __future__ import annotations

from collections.abc import Sequence

from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from ..acting import CaseContext, perform
from ._base import Deviation, act, acting_on, seal


def _reasons(ctx: CaseContext, text: str, by: Person) -> str | None:
    return seal(ctx, kind="note", text=text, author=by) if text.strip() else None


def _hand_over(
    ctx: CaseContext,
    by: Person,
    to_body: str,
    withheld: Sequence[int],
    deviation: Deviation,
    expect_seq: int | None = None,
) -> LedgerEvent:
    return perform(
        ctx,
        person=by,
        action="hand_over_record",
        payload={"to_body": to_body, "through_seq": ctx.head, "withheld": list(withheld)},
        deviation=deviation,
        expect_seq=expect_seq,
    )


def case_refer(
    *,
    by: Person,
    case: str,
    to_body: str,
    reasons: str = "",
    hand_over: bool = True,
    withheld: Sequence[int] = (),
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Hand the case to another body. The whole record goes with it, on the record;
    keeping any part back needs a deviation by an empowered body."""
    with acting_on(by, case) as ctx:
        event = perform(
            ctx,
            person=by,
            action="refer_case",
            payload={
                "to_body": to_body,
                "kind": "referral",
                "reasons_ref": _reasons(ctx, reasons, by),
            },
            expect_seq=expect_seq,
        )
        if hand_over:
            _hand_over(ctx, by, to_body, withheld, deviation)
        return event


def reinvestigation_order(
    *,
    by: Person,
    case: str,
    to_body: str,
    reasons: str = "",
    without_prejudice: bool = True,
    hand_over: bool = True,
    withheld: Sequence[int] = (),
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Call in another body to investigate again; the earlier record goes with it."""
    with acting_on(by, case) as ctx:
        event = perform(
            ctx,
            person=by,
            action="order_reinvestigation",
            payload={
                "to_body": to_body,
                "without_prejudice": without_prejudice,
                "reasons_ref": _reasons(ctx, reasons, by),
            },
            expect_seq=expect_seq,
        )
        if hand_over:
            _hand_over(ctx, by, to_body, withheld, deviation)
        return event


def record_hand_over(
    *,
    by: Person,
    case: str,
    to_body: str,
    withheld: Sequence[int] = (),
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Hand the record so far to the body that holds the case."""
    with acting_on(by, case) as ctx:
        return _hand_over(ctx, by, to_body, withheld, deviation, expect_seq)


def panel_name(
    *,
    by: Person,
    case: str,
    body: str,
    members: Sequence[Person],
    chair: Person | None = None,
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    ids = [m.public_id for m in members]
    if len(set(ids)) != len(ids):
        raise InvalidInput("A person is named twice on the panel.", data={"field": "members"})
    if chair is not None and chair.public_id not in ids:
        raise InvalidInput("The chair must be one of the panel.", data={"field": "chair"})
    return act(
        by,
        case,
        "name_panel",
        {"body": body, "members": ids, "chair": chair.public_id if chair else None},
        deviation=deviation,
        expect_seq=expect_seq,
    )


def conflict_declare(
    *,
    by: Person,
    case: str,
    person: Person | None = None,
    reasons: str = "",
    recuse: bool = True,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Declare a conflict of interest (one's own, or, for the body, a member's); the
    person is recused and loses access to the case."""
    who = person or by

    def after(ctx: CaseContext, event: LedgerEvent) -> None:
        # A recusal ends access to the case: end the person's sessions at once.
        if recuse:
            from docket.org.services._common import end_sessions

            end_sessions(who)

    return act(
        by,
        case,
        "declare_conflict",
        lambda ctx: {
            "person": who.public_id,
            "recused": recuse,
            "reasons_ref": _reasons(ctx, reasons, by),
        },
        expect_seq=expect_seq,
        after=after,
    )


def investigator_appoint(
    *, by: Person, case: str, person: Person, expect_seq: int | None = None
) -> LedgerEvent:
    return act(
        by, case, "appoint_investigator", {"person": person.public_id}, expect_seq=expect_seq
    )
