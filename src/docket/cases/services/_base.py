"""The one pattern every case service follows (see ``docket.cases.acting``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from docket.core.errors import InvalidInput, ProtocolRefusal
from docket.crypto.services import content_put
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from ..acting import CaseContext, keep_refusal, open_for_action, perform
from ..models import Case

Deviation = Mapping[str, Any] | None


@contextmanager
def acting_on(by: Person, case: str) -> Iterator[CaseContext]:
    """A service's one transaction on a case, opened for ``by``. A step the protocol
    refuses changes nothing, and is then kept on the case's record (who tried which
    step, and why it was refused: ``acting.keep_refusal``), in its own transaction."""
    try:
        with transaction.atomic():
            yield open_for_action(by, case)
    except ProtocolRefusal as refused:
        keep_refusal(by, case, refused)
        raise


def text_required(value: str, field: str, *, limit: int = 200_000) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Please fill in {field.replace('_', ' ')}.", data={"field": field})
    if len(text) > limit:
        raise InvalidInput(f"{field} is too long.", data={"field": field, "limit": limit})
    return text


_CODE_HELP = {
    "local_id": "a short code of letters and digits, such as W1 or D2 (no spaces)",
    "category": "a few words of letters and digits, without punctuation",
    "citation": "a short citation of the rule or clause, such as s.4.2",
    "key": "a key in lower case, such as ndc",
}


def code_required(value: str | None, field: str, kind: str, *, required: bool = True) -> str:
    """A bounded code (``docket.events.registry.CODES``) of the event vocabulary, checked
    here so that every path (page, API, command, import) gets the same plain answer
    rather than the ledger's. Free text belongs in sealed content, never in a code
    (issue 24, finding 6)."""
    import re

    from docket.events.registry import CODES

    code = CODES[kind]
    text = (value or "").strip()
    if not text:
        if not required:
            return ""
        raise InvalidInput(f"Please fill in {field.replace('_', ' ')}.", data={"field": field})
    if len(text) > code.max_length or not re.fullmatch(code.pattern, text):
        raise InvalidInput(
            f"{field.replace('_', ' ').capitalize()} must be {_CODE_HELP.get(kind, code.why)}"
            f" (at most {code.max_length} characters); write anything longer in the text.",
            data={"field": field, "code": kind, "limit": code.max_length},
        )
    return text


def seal(ctx: CaseContext, *, kind: str, text: str | bytes, author: Person, **extra: Any) -> str:
    """Encrypt content into the case's store; the ledger then holds only its id."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    item = content_put(
        stream=ctx.stream,
        kind=kind,
        data=data,
        author=author.public_id,
        capacity="case",
        **extra,
    )
    return item.public_id


def act(
    by: Person,
    case: str | Case,
    action: str,
    payload: Mapping[str, Any] | Callable[[CaseContext], Mapping[str, Any]],
    *,
    deviation: Deviation = None,
    expect_seq: int | None = None,
    after: Callable[[CaseContext, LedgerEvent], None] | None = None,
) -> LedgerEvent:
    """Open the case for ``by``, build the payload (it may seal content), take the action,
    then run ``after`` (e.g. a standing change) — all in one transaction."""
    public = case.public_id if isinstance(case, Case) else case
    with acting_on(by, public) as ctx:
        body = payload(ctx) if callable(payload) else payload
        event = perform(
            ctx,
            person=by,
            action=action,
            payload=body,
            deviation=deviation,
            expect_seq=expect_seq,
        )
        if after is not None:
            after(ctx, event)
        return event
