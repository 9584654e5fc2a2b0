"""The one pattern every case service follows (see ``docket.cases.acting``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction

from docket.core.errors import InvalidInput
from docket.crypto.services import content_put
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from ..acting import CaseContext, open_for_action, perform
from ..models import Case

Deviation = Mapping[str, Any] | None


def text_required(value: str, field: str, *, limit: int = 200_000) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Please fill in {field.replace('_', ' ')}.", data={"field": field})
    if len(text) > limit:
        raise InvalidInput(f"{field} is too long.", data={"field": field, "limit": limit})
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
    with transaction.atomic():
        ctx = open_for_action(by, public)
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
