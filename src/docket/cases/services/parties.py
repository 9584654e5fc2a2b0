"""The parties' own steps: advocates, participation, supportive measures, informal
resolution by consent."""

from __future__ import annotations

from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from ._base import act, seal


def advocate_name(
    *,
    by: Person,
    case: str,
    party: str,
    advocate: Person | None,
    replaces: Person | None = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """A party names (or changes) their advocate. The engine refuses anyone who takes
    part in the case otherwise or holds a seat in it (``engine.PART_FIELDS``);
    ``advocate=None`` is a reference that named no one on record, refused with the same
    answer."""
    return act(
        by,
        case,
        "name_advocate",
        {
            "party": party,
            "advocate": advocate.public_id if advocate is not None else "",
            "replaces": replaces.public_id if replaces else None,
        },
        expect_seq=expect_seq,
    )


def participation_choose(
    *, by: Person, case: str, party: str, choice: str, expect_seq: int | None = None
) -> LedgerEvent:
    """Record a party's choice: take part, statement only, step back, or withdraw."""
    return act(
        by, case, "choose_participation", {"party": party, "choice": choice}, expect_seq=expect_seq
    )


def informal_propose(
    *, by: Person, case: str, kind: str, terms: str = "", expect_seq: int | None = None
) -> LedgerEvent:
    return act(
        by,
        case,
        "propose_informal",
        lambda ctx: {
            "kind": kind,
            "terms_ref": seal(ctx, kind="note", text=terms, author=by) if terms.strip() else None,
        },
        expect_seq=expect_seq,
    )


def informal_consent(
    *, by: Person, case: str, party: str, consent: str, expect_seq: int | None = None
) -> LedgerEvent:
    """A party's voluntary written consent to informal resolution."""
    from ._base import text_required

    text = text_required(consent, "consent")
    return act(
        by,
        case,
        "consent_informal",
        lambda ctx: {
            "party": party,
            "consent_ref": seal(ctx, kind="statement", text=text, author=by),
        },
        expect_seq=expect_seq,
    )


def informal_consent_withdraw(
    *, by: Person, case: str, party: str, expect_seq: int | None = None
) -> LedgerEvent:
    return act(by, case, "withdraw_consent", {"party": party}, expect_seq=expect_seq)


def informal_agree(
    *, by: Person, case: str, agreement: str, expect_seq: int | None = None
) -> LedgerEvent:
    from ._base import text_required

    text = text_required(agreement, "agreement")
    return act(
        by,
        case,
        "sign_agreement",
        lambda ctx: {"agreement_ref": seal(ctx, kind="decision", text=text, author=by)},
        expect_seq=expect_seq,
    )
