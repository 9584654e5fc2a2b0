"""What the API shows of a case a caller may see: the record and its content.

Access to the case itself is decided by ``docket.access.selectors`` (``case_for``); what
the caller may read inside it, which events they are shown and the capacity a read is
journaled under, by the one disclosure rule (``docket.access.disclosure``), which the
pages use too.
"""

from __future__ import annotations

from docket.access import disclosure
from docket.access.selectors import Standing
from docket.cases.acting import load
from docket.core.errors import NotFound
from docket.crypto.models import ContentItem
from docket.ledger.models import LedgerEvent

capacity_of = disclosure.reading_capacity


def record_for(standing: Standing) -> tuple[list[LedgerEvent], bool]:
    """The events the caller may see, and whether that is the whole record."""
    rows = list(LedgerEvent.objects.filter(stream=standing.case.stream).order_by("seq"))
    return disclosure.shown_events(standing, rows), standing.full_record


def readable_item(standing: Standing, item_id: str) -> ContentItem:
    """The content item, if the caller may read it; NotFound otherwise (same answer for an
    item that does not exist, is in another case, or is not theirs to read)."""
    item = ContentItem.objects.filter(public_id=item_id, stream=standing.case.stream).first()
    if item is not None and (standing.full_record or _may_read(standing, item.public_id)):
        return item
    raise NotFound("No such item in this case.", code="content.not_found")


def _may_read(standing: Standing, item: str) -> bool:
    ctx = load(standing.case, lock=False)
    return disclosure.may_read(standing, ctx.evaluation.state, ctx.events, item)
