"""Closing, reopening for review years later, linking cases, time-limited access."""

from __future__ import annotations

from datetime import datetime

from docket.core import clock
from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from ..acting import CaseContext, perform
from ._base import act, acting_on, seal, text_required


def case_close(
    *, by: Person, case: str, disposition: str, reasons: str = "", expect_seq: int | None = None
) -> LedgerEvent:
    return act(
        by,
        case,
        "close_case",
        lambda ctx: {
            "disposition": disposition,
            "reasons_ref": seal(ctx, kind="note", text=reasons, author=by)
            if reasons.strip()
            else None,
        },
        expect_seq=expect_seq,
    )


def case_reopen(
    *,
    by: Person,
    case: str,
    to_body: str,
    purpose: str,
    reasons: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Reopen a closed case for review; the reviewing body receives the whole record."""

    text = text_required(reasons, "reasons")
    with acting_on(by, case) as ctx:
        event = perform(
            ctx,
            person=by,
            action="reopen_case",
            payload={
                "to_body": to_body,
                "purpose": purpose,
                "reasons_ref": seal(ctx, kind="note", text=text, author=by),
            },
            expect_seq=expect_seq,
        )
        perform(
            ctx,
            person=by,
            action="hand_over_record",
            payload={"to_body": to_body, "through_seq": ctx.head, "withheld": []},
        )
        return event


def review_conclude(
    *,
    by: Person,
    case: str,
    findings: str,
    corrective_actions: list[str] | None = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Conclude a review. The findings and the corrective actions (prose, one per line)
    are sealed; the ledger keeps their ids (issue 24, finding 6)."""
    text = text_required(findings, "findings")
    actions = "\n".join(a.strip() for a in corrective_actions or () if a.strip())
    return act(
        by,
        case,
        "conclude_review",
        lambda ctx: {
            "findings_ref": seal(ctx, kind="decision", text=text, author=by),
            "corrective_actions_ref": seal(ctx, kind="decision", text=actions, author=by)
            if actions
            else None,
        },
        expect_seq=expect_seq,
    )


def case_link(
    *, by: Person, case: str, other: str, relation: str = "related", expect_seq: int | None = None
) -> LedgerEvent:
    """Link a related case. Only its opaque id is recorded; who may see it is decided by
    access rules, not by the link."""
    from docket.access.selectors import visible_cases

    def payload(ctx: CaseContext) -> dict[str, str]:
        # After the access check on this case; only a case the person may also see can
        # be linked, and any other answers exactly like a missing one.
        target = visible_cases(by).filter(public_id=other).first()
        if target is None or target.pk == ctx.case.pk:
            raise InvalidInput("No such other case.", data={"field": "other"})
        return {"other": target.stream, "relation": relation}

    return act(by, case, "link_case", payload, expect_seq=expect_seq)


def access_grant(
    *,
    by: Person,
    case: str,
    person: Person,
    until: datetime,
    reason: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Give someone time-limited access to the case. The reason is sealed with the case's
    content (it says something about the case) and the record keeps its id."""
    if until <= clock.now():
        raise InvalidInput("The end of the access must be in the future.", data={"field": "until"})
    text = text_required(reason, "reason", limit=2000)
    if len(text) < 3:
        raise InvalidInput("Please give the reason.", data={"field": "reason"})
    return act(
        by,
        case,
        "grant_access",
        lambda ctx: {
            "person": person.public_id,
            "until": until.isoformat(),
            "reason_ref": seal(ctx, kind="note", text=text, author=by),
        },
        expect_seq=expect_seq,
    )


def access_revoke(
    *, by: Person, case: str, person: Person, expect_seq: int | None = None
) -> LedgerEvent:
    from docket.org.services._common import end_sessions

    return act(
        by,
        case,
        "revoke_access",
        {"person": person.public_id},
        expect_seq=expect_seq,
        after=lambda ctx, event: end_sessions(person),
    )


def deviation_grant(
    *,
    by: Person,
    case: str,
    rules: list[str],
    justification: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """An empowered body allows, for the proceeding under way, steps that these rules of
    the protocol would refuse. The justification is part of the record and of every
    compliance report; each step taken under it is reported as a deviation."""
    text = text_required(justification, "justification", limit=2000)
    return act(
        by,
        case,
        "grant_deviation",
        {"rules": list(rules), "justification": text},
        expect_seq=expect_seq,
    )
