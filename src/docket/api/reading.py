"""What the API shows of a case a caller may see: the record and its content.

Access to the case itself is decided by ``docket.access.selectors`` (``case_for``).
Within a visible case: full-record viewers (bodies, panels, investigators, grantees)
see every event and may read every item; a party's side (party or advocate) sees the
events that concern it and reads the items given to it (disclosed) or written by its
caller; anyone else with a part (a witness, a reporter) sees their own steps and reads
what they wrote. Every read of content is journaled in the capacity of the reader.
"""

from __future__ import annotations

from typing import Any

from docket.access.selectors import Standing
from docket.cases.acting import load
from docket.core.errors import NotFound
from docket.crypto.models import ContentItem
from docket.ledger.models import LedgerEvent
from docket.org.models import Body

# Milestones every party side is told about.
PARTY_MILESTONES = frozenset(
    {
        "complaint.received",
        "case.opened",
        "case.referred",
        "panel.named",
        "hearing.scheduled",
        "hearing.adjourned",
        "decision.issued",
        "decision.ratified",
        "decision.overruled",
        "appeal.filed",
        "appeal.decided",
        "mistrial.declared",
        "proceeding.annulled",
        "case.closed",
        "case.reopened",
    }
)
_NAMING_FIELDS = ("to", "subject", "person", "advocate", "author", "party")


def capacity_of(standing: Standing) -> str:
    """The capacity in which the caller reads, for the access journal."""
    if standing.bodies:
        keys = sorted(Body.objects.filter(pk__in=standing.bodies).values_list("key", flat=True))
        if keys:
            return f"body:{keys[0]}"
    for role in (
        "panel_chair",
        "panel",
        "investigator",
        "grantee",
        "respondent",
        "complainant",
        "respondent_advocate",
        "complainant_advocate",
        "witness",
        "reporter",
    ):
        if role in standing.roles:
            return role
    return "viewer"


def _concerns(event: LedgerEvent, person: str, side: str | None) -> bool:
    if event.actor == person:
        return True
    payload = event.payload or {}
    for name in _NAMING_FIELDS:
        value = payload.get(name)
        if value == person or (side is not None and value == side):
            return True
    return side is not None and event.type in PARTY_MILESTONES


def record_for(standing: Standing) -> tuple[list[LedgerEvent], bool]:
    """The events the caller may see, and whether that is the whole record."""
    rows = list(LedgerEvent.objects.filter(stream=standing.case.stream).order_by("seq"))
    if standing.full_record:
        return rows, True
    person = standing.person.public_id
    return [e for e in rows if _concerns(e, person, standing.party)], False


def readable_item(standing: Standing, item_id: str) -> ContentItem:
    """The content item, if the caller may read it; NotFound otherwise (same answer for an
    item that does not exist, is in another case, or is not theirs to read)."""
    item = ContentItem.objects.filter(public_id=item_id, stream=standing.case.stream).first()
    if item is None:
        raise NotFound("No such item in this case.", code="content.not_found")
    if standing.full_record or item.author == standing.person.public_id:
        return item
    if standing.party is not None:
        state = load(standing.case, lock=False).evaluation.state
        given: dict[str, Any] = state.disclosed.get(standing.party, {})
        if item.public_id in given:
            return item
    raise NotFound("No such item in this case.", code="content.not_found")
