"""From a complaint to an opened case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from docket.core import clock
from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.models import Person, Unit

from ..acting import CaseContext, load, perform
from ..models import Case, ProtocolVersion
from ..protocols import parsed, protocol_in_force
from ._base import Deviation, act, code_required, seal


@dataclass(frozen=True)
class AllegationInput:
    id: str
    rule: str
    summary: str = ""


def complaint_receive(
    *,
    by: Person,
    protocol_id: str,
    received_by: str,
    category: str,
    channel: str,
    reporter_role: str,
    respondents: Sequence[Person],
    allegations: Sequence[AllegationInput],
    complainants: Sequence[Person] = (),
    account: str = "",
    unit: Unit | None = None,
    protocol: ProtocolVersion | None = None,
    intake_report: str | None = None,
) -> Case:
    """Begin a case file from a complaint, bound to the protocol version in force today."""
    # A category is a code, in clear (counted in reports), as is each allegation's rule
    # (a citation, checked with the payload); what is alleged goes in the allegation's
    # sealed summary (issue 24, finding 6).
    category = code_required(category, "category", "category")
    if not respondents:
        raise InvalidInput(
            "Name at least one person the complaint is about.", data={"field": "respondents"}
        )
    if not allegations:
        raise InvalidInput("Record at least one allegation.", data={"field": "allegations"})
    version = protocol or protocol_in_force(protocol_id, clock.now().date())
    with transaction.atomic():
        case = Case.objects.create(
            category=category,
            protocol=version,
            unit=unit,
            stage=parsed(version).stages[0].id,
        )
        ctx = load(case)

        def summary(a: AllegationInput) -> dict[str, str | None]:
            ref = seal(ctx, kind="note", text=a.summary, author=by) if a.summary.strip() else None
            return {"id": a.id, "rule": a.rule, "summary_ref": ref}

        payload = {
            "protocol_id": version.protocol_id,
            "protocol_version": version.version,
            "category": category,
            "channel": channel,
            "reporter_role": reporter_role,
            "complainants": [p.public_id for p in complainants],
            "respondents": [p.public_id for p in respondents],
            "allegations": [summary(a) for a in allegations],
            "received_by": received_by,
            "report_ref": seal(ctx, kind="report", text=account, author=by)
            if account.strip()
            else None,
            "intake_report": intake_report,
        }
        perform(ctx, person=by, action="receive_complaint", payload=payload)
        return ctx.case


def complaint_acknowledge(
    *, by: Person, case: str, note: str = "", expect_seq: int | None = None
) -> LedgerEvent:
    return act(
        by,
        case,
        "acknowledge_complaint",
        lambda ctx: {
            "note_ref": seal(ctx, kind="note", text=note, author=by) if note.strip() else None
        },
        expect_seq=expect_seq,
    )


def jurisdiction_assess(
    *, by: Person, case: str, accepted: bool, reasons: str = "", expect_seq: int | None = None
) -> LedgerEvent:
    return act(
        by,
        case,
        "assess_jurisdiction",
        lambda ctx: {
            "accepted": accepted,
            "reasons_ref": seal(ctx, kind="note", text=reasons, author=by)
            if reasons.strip()
            else None,
        },
        expect_seq=expect_seq,
    )


def next_reference(year: int) -> str:
    taken = Case.objects.filter(reference__startswith=f"{year}-").count()
    return f"{year}-{taken + 1:03d}"


def case_open(
    *,
    by: Person,
    case: str,
    body: str,
    reference: str = "",
    deviation: Deviation = None,
    expect_seq: int | None = None,
    occurred_at: datetime | None = None,
) -> LedgerEvent:
    """Open the case formally under its protocol, giving it its reference."""
    ref = reference.strip() or next_reference(clock.now().year)

    def payload(ctx: CaseContext) -> dict[str, str]:
        # Checked only after access, so nobody can probe which references exist.
        if Case.objects.filter(reference=ref).exclude(pk=ctx.case.pk).exists():
            raise InvalidInput(
                f"The reference {ref} is already in use.", data={"field": "reference"}
            )
        return {"reference": ref, "body": body}

    return act(
        by,
        case,
        "open_case",
        payload,
        deviation=deviation,
        expect_seq=expect_seq,
    )
