"""Decisions, ratification, sanctions, appeals, objections and oversight."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.models import Person
from docket.org.services import member_standing_change

from ..acting import CaseContext
from ._base import Deviation, act, seal, text_required


@dataclass(frozen=True)
class FindingInput:
    allegation: str
    finding: str  # established | not_established | not_decided


def decision_issue(
    *,
    by: Person,
    case: str,
    decision_id: str,
    vote_id: str | None,
    outcome: str,
    rationale: str,
    findings: Sequence[FindingInput],
    sanctions: Sequence[str] = (),
    standard: str | None = None,
    recommendation: bool = False,
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """A written decision: findings per allegation, the standard applied, the rationale
    (sealed) and any sanctions."""
    text = text_required(rationale, "rationale")
    if outcome == "sanction" and not sanctions:
        raise InvalidInput("Name the sanction.", data={"field": "sanctions"})

    def payload(ctx: CaseContext) -> dict[str, object]:
        unknown = [s for s in sanctions if s not in ctx.protocol.sanctions]
        if unknown:
            raise InvalidInput(
                f"The protocol has no sanction {', '.join(unknown)}.",
                data={"field": "sanctions", "allowed": list(ctx.protocol.sanctions)},
            )
        return {
            "decision_id": decision_id,
            "vote_id": vote_id,
            "outcome": outcome,
            "recommendation": recommendation,
            "findings": [{"allegation": f.allegation, "finding": f.finding} for f in findings],
            "standard": standard or ctx.protocol.decisions.standard,
            "sanctions": list(sanctions),
            "rationale_ref": seal(ctx, kind="decision", text=text, author=by),
        }

    return act(by, case, "issue_decision", payload, deviation=deviation, expect_seq=expect_seq)


def decision_ratify(
    *, by: Person, case: str, decision_id: str, expect_seq: int | None = None
) -> LedgerEvent:
    return act(by, case, "ratify_decision", {"decision_id": decision_id}, expect_seq=expect_seq)


def decision_overrule(
    *,
    by: Person,
    case: str,
    decision_id: str,
    grounds: Sequence[str],
    explanation: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Overrule a decision, stating the grounds (e.g. the clauses breached)."""
    text = text_required(explanation, "explanation")
    return act(
        by,
        case,
        "overrule_decision",
        lambda ctx: {
            "decision_id": decision_id,
            "grounds": list(grounds),
            "grounds_ref": seal(ctx, kind="decision", text=text, author=by),
        },
        expect_seq=expect_seq,
    )


def sanction_apply(
    *,
    by: Person,
    case: str,
    decision_id: str,
    sanction: str,
    subject: Person,
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Give effect to a sanction on the member's standing (after ratification where the
    protocol requires it)."""

    def after(ctx: CaseContext, event: LedgerEvent) -> None:
        spec = ctx.protocol.sanctions.get(sanction)
        if spec is None or spec.standing == "none" or not hasattr(subject, "membership"):
            return
        member_standing_change(
            actor=by.public_id,
            capacity=event.capacity,
            person=subject,
            status=spec.standing,
            effective=event.occurred_at,
            proceeding=ctx.case.public_id if spec.standing == "suspended" else "",
            # No case reference here: the member record is seen by administrators.
            reason=f"Sanction decided in a disciplinary proceeding: {spec.title}",
            cause=f"{ctx.stream}#{event.seq}",
        )

    return act(
        by,
        case,
        "apply_sanction",
        {"decision_id": decision_id, "sanction": sanction, "subject": subject.public_id},
        deviation=deviation,
        expect_seq=expect_seq,
        after=after,
    )


def appeal_file(
    *,
    by: Person,
    case: str,
    appeal_id: str,
    party: str,
    decision_id: str,
    grounds: Sequence[str],
    explanation: str,
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    text = text_required(explanation, "explanation")
    return act(
        by,
        case,
        "file_appeal",
        lambda ctx: {
            "appeal_id": appeal_id,
            "party": party,
            "decision_id": decision_id,
            "grounds": list(grounds),
            "grounds_ref": seal(ctx, kind="statement", text=text, author=by),
        },
        deviation=deviation,
        expect_seq=expect_seq,
    )


def appeal_decide(
    *,
    by: Person,
    case: str,
    appeal_id: str,
    outcome: str,
    reasons: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    text = text_required(reasons, "reasons")
    return act(
        by,
        case,
        "decide_appeal",
        lambda ctx: {
            "appeal_id": appeal_id,
            "outcome": outcome,
            "reasons_ref": seal(ctx, kind="decision", text=text, author=by),
        },
        expect_seq=expect_seq,
    )


def objection_file(
    *,
    by: Person,
    case: str,
    objection_id: str,
    to_body: str,
    clauses: Sequence[str],
    grounds: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """A formal objection that the process broke the protocol."""
    text = text_required(grounds, "grounds")
    return act(
        by,
        case,
        "file_objection",
        lambda ctx: {
            "objection_id": objection_id,
            "to_body": to_body,
            "clauses": list(clauses),
            "grounds_ref": seal(ctx, kind="statement", text=text, author=by),
        },
        expect_seq=expect_seq,
    )


def objection_answer(
    *,
    by: Person,
    case: str,
    objection_id: str,
    upheld: bool,
    reasons: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    text = text_required(reasons, "reasons")
    return act(
        by,
        case,
        "answer_objection",
        lambda ctx: {
            "objection_id": objection_id,
            "upheld": upheld,
            "reasons_ref": seal(ctx, kind="decision", text=text, author=by),
        },
        expect_seq=expect_seq,
    )


def mistrial_declare(
    *, by: Person, case: str, grounds: Sequence[str], reasons: str, expect_seq: int | None = None
) -> LedgerEvent:
    text = text_required(reasons, "reasons")
    return act(
        by,
        case,
        "declare_mistrial",
        lambda ctx: {
            "grounds": list(grounds),
            "reasons_ref": seal(ctx, kind="decision", text=text, author=by),
        },
        expect_seq=expect_seq,
    )


def proceeding_annul(
    *, by: Person, case: str, grounds: Sequence[str], reasons: str, expect_seq: int | None = None
) -> LedgerEvent:
    text = text_required(reasons, "reasons")
    return act(
        by,
        case,
        "annul_proceeding",
        lambda ctx: {
            "grounds": list(grounds),
            "reasons_ref": seal(ctx, kind="decision", text=text, author=by),
        },
        expect_seq=expect_seq,
    )
