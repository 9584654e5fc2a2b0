"""Reading cases: the list, one case, its record, its content, what the caller may do.

Every answer starts from ``visible_cases`` or ``case_for``: a case the caller may not see
is answered exactly like one that does not exist (404).
"""

from __future__ import annotations

import math
from typing import Any, Literal

from django.db.models import F, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from docket.access.selectors import case_for, visible_cases
from docket.cases.acting import capacities_of, load
from docket.cases.models import Case
from docket.core import clock
from docket.crypto.downloads import content_download_response
from docket.crypto.services import content_read
from docket.protocol.actions import ACTIONS
from docket.protocol.engine import participant_of
from docket.protocol.state import Event

from .auth import CASES_READ, caller_of
from .errors import READ_ERRORS, answers
from .presenters import case_out, event_out, standing_out
from .reading import capacity_of, readable_item, record_for
from .schemas import (
    CaseDetailOut,
    CasePage,
    ContentOut,
    ErrorOut,
    Key,
    PermittedOut,
    PublicId,
    RecordOut,
    ShortText,
)

router = Router(tags=["cases"], auth=CASES_READ)

# Sort keys the list accepts, and the ORM ordering each one means. Nothing from the
# request reaches order_by() or filter() without going through a table like this.
SORTS: dict[str, list[Any]] = {
    "recent": [F("last_event_at").desc(nulls_last=True), "id"],
    "oldest": [F("last_event_at").asc(nulls_first=True), "id"],
    "received": [F("received_at").desc(nulls_last=True), "id"],
    "reference": ["reference", "id"],
}
Sort = Literal["recent", "oldest", "received", "reference"]


class CaseFilters(Schema):
    stage: Key | None = None
    closed: bool | None = None
    category: ShortText | None = None
    protocol: Key | None = None
    reference: ShortText | None = Field(None, description="Cases whose reference starts so.")
    sort: Sort = "recent"
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(25, ge=1, le=100)


def _filtered(rows: QuerySet[Case], f: CaseFilters) -> QuerySet[Case]:
    if f.stage is not None:
        rows = rows.filter(stage=f.stage)
    if f.closed is not None:
        rows = rows.filter(closed=f.closed)
    if f.category:
        rows = rows.filter(category=f.category)
    if f.protocol is not None:
        rows = rows.filter(protocol__protocol_id=f.protocol)
    if f.reference:
        rows = rows.filter(reference__startswith=f.reference)
    return rows.order_by(*SORTS[f.sort])


@router.get("", response=answers(CasePage, READ_ERRORS), operation_id="cases_list")
def cases_list(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """The cases the caller may see now, filtered, sorted and a page at a time."""
    caller = caller_of(request)
    rows = _filtered(visible_cases(caller.person), filters)
    count = rows.count()
    start = (filters.page - 1) * filters.per_page
    page = rows.select_related("protocol", "holding_body")[start : start + filters.per_page]
    return {
        "items": [case_out(c) for c in page],
        "meta": {
            "count": count,
            "page": filters.page,
            "per_page": filters.per_page,
            "pages": max(1, math.ceil(count / filters.per_page)),
        },
    }


@router.get("/{case_id}", response=answers(CaseDetailOut, READ_ERRORS), operation_id="cases_detail")
def cases_detail(request: HttpRequest, case_id: PublicId) -> dict[str, Any]:
    """One case and the caller's standing in it."""
    standing = case_for(caller_of(request).person, case_id)
    return {**case_out(standing.case), "standing": standing_out(standing)}


@router.get(
    "/{case_id}/record", response=answers(RecordOut, READ_ERRORS), operation_id="cases_record"
)
def cases_record(request: HttpRequest, case_id: PublicId) -> dict[str, Any]:
    """The case's ledger events the caller may see. Payloads carry identifiers and
    references to content, never the content itself."""
    standing = case_for(caller_of(request).person, case_id)
    events, complete = record_for(standing)
    return {
        "case": standing.case.public_id,
        "complete": complete,
        "head_seq": standing.case.head_seq,
        "events": [event_out(e) for e in events],
    }


@router.get(
    "/{case_id}/content/{item_id}",
    response=answers(ContentOut, READ_ERRORS),
    operation_id="cases_content",
)
def cases_content(request: HttpRequest, case_id: PublicId, item_id: PublicId) -> dict[str, Any]:
    """Decrypt one item of the case's content (journaled as a read). Text comes in the
    answer; a file's bytes come from its download address."""
    caller = caller_of(request)
    standing = case_for(caller.person, case_id)
    item = readable_item(standing, item_id)
    is_text = item.media_type.split(";", 1)[0].strip() == "text/plain"
    body: str | None = None
    if is_text:
        data = content_read(item=item, reader=caller.actor, capacity=capacity_of(standing))
        body = data.decode("utf-8", errors="replace")
    return {
        "item": item.public_id,
        "kind": item.kind,
        "version": item.version,
        "media_type": item.media_type,
        "size": item.size,
        "text": body,
        "download": None
        if is_text
        else f"/api/v1/cases/{standing.case.public_id}/content/{item.public_id}/download",
    }


@router.get(
    "/{case_id}/content/{item_id}/download",
    response={status: ErrorOut for status in READ_ERRORS},
    operation_id="cases_content_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def cases_content_download(
    request: HttpRequest, case_id: PublicId, item_id: PublicId
) -> StreamingHttpResponse:
    """The decrypted bytes of one item, as an attachment (journaled as a download)."""
    caller = caller_of(request)
    standing = case_for(caller.person, case_id)
    item = readable_item(standing, item_id)
    return content_download_response(item=item, reader=caller.actor, capacity=capacity_of(standing))


@router.get(
    "/{case_id}/permitted",
    response=answers(PermittedOut, READ_ERRORS),
    operation_id="cases_permitted",
)
def cases_permitted(request: HttpRequest, case_id: PublicId) -> dict[str, Any]:
    """Every action of the case's protocol, with the engine's verdict for the caller now:
    allowed (and in which capacity), or refused with reasons and clauses."""
    caller = caller_of(request)
    standing = case_for(caller.person, case_id)
    ctx = load(standing.case, lock=False)
    at = clock.now()
    capacities = capacities_of(ctx, standing.person, at)
    participants = [
        (c, participant_of(Event(0, "", standing.person.public_id, c, at, {}))) for c in capacities
    ]
    verdicts = []
    for action in ctx.protocol.actions:
        tried = [(c, ctx.evaluation.check(action, p)) for c, p in participants]
        capacity, verdict = next(((c, v) for c, v in tried if v.allowed), tried[0])
        verdicts.append(
            {
                "action": action,
                "title": ACTIONS[action].title,
                "allowed": verdict.allowed,
                "capacity": capacity if verdict.allowed else None,
                "reasons": [
                    {
                        "code": r.code,
                        "clause": r.clause,
                        "rule": r.rule,
                        "message": r.message(ctx.protocol),
                    }
                    for r in verdict.refusals
                ],
                "deviable_by": list(verdict.deviable_by),
            }
        )
    return {"case": standing.case.public_id, "capacities": capacities, "actions": verdicts}
