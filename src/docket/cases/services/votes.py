"""Deliberation and votes: quorum and thresholds come from the protocol."""

from __future__ import annotations

from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from ._base import Deviation, act, seal, text_required


def vote_open(
    *,
    by: Person,
    case: str,
    vote_id: str,
    motion: str,
    sanction: str | None = None,
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Open a vote on a motion. The motion's words are sealed (they may say what is
    alleged and of whom); the ledger keeps the vote's id and the sanction's key."""
    text = text_required(motion, "motion", limit=2000)
    return act(
        by,
        case,
        "open_vote",
        lambda ctx: {
            "vote_id": vote_id,
            "motion_ref": seal(ctx, kind="deliberation", text=text, author=by),
            "sanction": sanction,
        },
        deviation=deviation,
        expect_seq=expect_seq,
    )


def vote_cast(
    *,
    by: Person,
    case: str,
    vote_id: str,
    choice: str,
    dissent: str = "",
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Cast one's vote; a dissent is kept sealed with it."""
    return act(
        by,
        case,
        "cast_vote",
        lambda ctx: {
            "vote_id": vote_id,
            "choice": choice,
            "dissent_ref": seal(ctx, kind="deliberation", text=dissent, author=by)
            if dissent.strip()
            else None,
        },
        expect_seq=expect_seq,
    )


def vote_close(
    *, by: Person, case: str, vote_id: str, expect_seq: int | None = None
) -> LedgerEvent:
    return act(by, case, "close_vote", {"vote_id": vote_id}, expect_seq=expect_seq)
