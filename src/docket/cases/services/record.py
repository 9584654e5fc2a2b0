"""What goes on the record: notice of the allegations, statements, evidence, reports,
what is given to each party and their answers, outside proceedings, notes, letters."""

from __future__ import annotations

from collections.abc import Sequence

from docket.core.errors import InvalidInput
from docket.crypto.models import ContentItem
from docket.crypto.uploads import evidence_prepare_bytes
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from ._base import Deviation, act, acting_on, code_required, seal, text_required

STATEMENT_ROLES = ("complainant", "respondent", "witness")


def charges_serve(
    *,
    by: Person,
    case: str,
    respondent: Person,
    allegations: Sequence[str],
    notice: str,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Give the respondent written notice of the allegations."""
    text = text_required(notice, "notice")
    return act(
        by,
        case,
        "serve_charges",
        lambda ctx: {
            "to": respondent.public_id,
            "allegations": list(allegations),
            "notice_ref": seal(ctx, kind="letter", text=text, author=by),
        },
        expect_seq=expect_seq,
    )


def statement_record(
    *,
    by: Person,
    case: str,
    author: Person | None,
    role: str,
    label: str,
    text: str,
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Record a statement of a party or witness, encrypted; the ledger keeps its id.

    Recorded by its author, their side's advocate, or the body holding the case on the
    author's behalf, under the author's real part; only the body holding the case calls
    a new witness, and nobody else makes a seat holder one (the engine decides,
    ``engine.PART_FIELDS``). ``author=None`` is a reference that named no one on
    record, refused with the same answer."""
    if role not in STATEMENT_ROLES:
        raise InvalidInput(f"{role!r} is not a kind of statement.", data={"field": "role"})
    body = text_required(text, "text")
    label = code_required(label, "label", "local_id")
    return act(
        by,
        case,
        "record_statement",
        lambda ctx: {
            # Sealed under the author's name; a refused step (an author on no record
            # included) rolls the sealed item back with everything else.
            "item": seal(ctx, kind="statement", text=body, author=author or by),
            "author": author.public_id if author is not None else "",
            "role": role,
            "label": label,
        },
        deviation=deviation,
        expect_seq=expect_seq,
    )


def statement_correct(
    *, by: Person, case: str, item: str, text: str, expect_seq: int | None = None
) -> LedgerEvent:
    """A corrected version of a statement; the earlier version stays, sealed."""
    body = text_required(text, "text")
    earlier = ContentItem.objects.filter(public_id=item).first()

    def payload(ctx):  # type: ignore[no-untyped-def]
        material = ctx.evaluation.state.material.get(item)
        if earlier is None or material is None or earlier.stream != ctx.stream:
            raise InvalidInput("No such statement in this case.", data={"field": "item"})
        author = Person.objects.get(public_id=material.author)
        new = seal(ctx, kind="statement", text=body, author=author, supersedes=earlier)
        return {
            "item": new,
            "author": material.author,
            "role": material.kind.split("_")[0],
            "label": material.label,
            "supersedes": item,
        }

    return act(by, case, "record_statement", payload, expect_seq=expect_seq)


def statement_withdraw(
    *, by: Person, case: str, item: str, expect_seq: int | None = None
) -> LedgerEvent:
    return act(by, case, "withdraw_statement", {"item": item}, expect_seq=expect_seq)


def evidence_record(
    *,
    by: Person,
    case: str,
    label: str,
    data: bytes,
    filename: str | None = None,
    provided_by: Person | None = None,
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Add a file of evidence: type checked from its content, image metadata removed,
    then encrypted with its original name."""
    label = code_required(label, "label", "local_id")
    prepared = evidence_prepare_bytes(data=data, filename=filename)
    return act(
        by,
        case,
        "record_evidence",
        lambda ctx: {
            "item": seal(
                ctx,
                kind="evidence",
                text=prepared.data,
                author=provided_by or by,
                media_type=prepared.media_type,
                filename=prepared.filename,
            ),
            "label": label,
            "provided_by": provided_by.public_id if provided_by else None,
        },
        deviation=deviation,
        expect_seq=expect_seq,
    )


def report_prepare(
    *, by: Person, case: str, label: str, text: str, expect_seq: int | None = None
) -> LedgerEvent:
    body = text_required(text, "text")
    code = code_required(label, "label", "local_id")
    return act(
        by,
        case,
        "prepare_report",
        lambda ctx: {
            "item": seal(ctx, kind="statement", text=body, author=by),
            "label": code,
        },
        expect_seq=expect_seq,
    )


def material_disclose(
    *,
    by: Person,
    case: str,
    to: str,
    items: Sequence[str],
    deviation: Deviation = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Give material to a party (complainant or respondent)."""
    if not items:
        raise InvalidInput("Choose what to give.", data={"field": "items"})

    def payload(ctx):  # type: ignore[no-untyped-def]
        known = ctx.evaluation.state.material
        missing = [i for i in items if i not in known]
        if missing:
            raise InvalidInput(
                "Some of these items are not on this case's record.",
                data={"field": "items", "unknown": missing},
            )
        return {"to": to, "items": list(items)}

    return act(by, case, "disclose_material", payload, deviation=deviation, expect_seq=expect_seq)


def response_receive(
    *,
    by: Person,
    case: str,
    party: str,
    text: str,
    to_items: Sequence[str] = (),
    expect_seq: int | None = None,
) -> LedgerEvent:
    """A party's answer (e.g. to disclosed statements), encrypted."""
    body = text_required(text, "text")
    return act(
        by,
        case,
        "receive_response",
        lambda ctx: {
            "party": party,
            "item": seal(ctx, kind="statement", text=body, author=by),
            "to_items": list(to_items),
        },
        expect_seq=expect_seq,
    )


def parallel_proceeding_note(
    *,
    by: Person,
    case: str,
    forum: str,
    outcome: str = "",
    details: str = "",
    expect_seq: int | None = None,
) -> LedgerEvent:
    """A proceeding outside the organization (the police, an employer, a court). Where
    it was and how it ended are sealed like its details: they say who is involved and
    what happened, and retention must be able to destroy them (issue 24, finding 6)."""
    where = text_required(forum, "forum", limit=2000)
    ended = outcome.strip()
    told = details.strip()
    return act(
        by,
        case,
        "note_parallel_proceeding",
        lambda ctx: {
            "forum_ref": seal(ctx, kind="note", text=where, author=by),
            "outcome_ref": seal(ctx, kind="note", text=ended, author=by) if ended else None,
            "details_ref": seal(ctx, kind="note", text=told, author=by) if told else None,
        },
        expect_seq=expect_seq,
    )


def note_add(
    *, by: Person, case: str, text: str, label: str = "", expect_seq: int | None = None
) -> LedgerEvent:
    """A procedural note, sealed. Its label is a code ("N1") by which it is referred to,
    kept in clear; a title in prose belongs in the note's text."""
    body = text_required(text, "text")
    code = code_required(label, "label", "local_id", required=False)
    return act(
        by,
        case,
        "add_note",
        lambda ctx: {
            "item": seal(ctx, kind="note", text=body, author=by),
            "label": code or None,
        },
        expect_seq=expect_seq,
    )


def correspondence_receive(
    *,
    by: Person,
    case: str,
    to_body: str,
    text: str,
    sender: Person | None = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    body = text_required(text, "text")
    return act(
        by,
        case,
        "receive_correspondence",
        lambda ctx: {
            "to_body": to_body,
            "sender": sender.public_id if sender else None,
            "item": seal(ctx, kind="letter", text=body, author=sender or by),
        },
        expect_seq=expect_seq,
    )


def identity_record(*, by: Person, case: str, person: Person, identity: str) -> str:
    """Keep a non-member's real identity encrypted under this case's key; the person is
    otherwise known only by their label. Returns the content id."""

    from docket.core import clock
    from docket.org.services import person_identity_recorded

    from ..acting import capacities_of

    name = text_required(identity, "identity", limit=500)
    with acting_on(by, case) as ctx:
        # Only the body holding the case (or its panel or investigator) keeps identities,
        # and only of people taking part in it.
        roles = ctx.evaluation.state.roles_of(by.public_id)
        holder = ctx.evaluation.state.holding_body
        seats = [c for c in capacities_of(ctx, by, clock.now()) if c == f"body:{holder}"]
        if not seats and not roles & {"panel", "investigator"}:
            from docket.core.errors import PermissionDenied

            raise PermissionDenied(
                "Only the body holding the case records identities.", code="identity.not_holder"
            )
        if not ctx.evaluation.state.roles_of(person.public_id) - {"participant"}:
            raise InvalidInput("That person takes no part in this case.", data={"field": "person"})
        ref = seal(ctx, kind="identity", text=name, author=person)
        person_identity_recorded(
            actor=by.public_id,
            capacity="case",
            person=person,
            identity_ref=ref,
            reason=f"Identity kept with {ctx.stream}",
        )
        return ref
