"""The party portal and the documents a viewer may read.

A complainant, a respondent or their advocates see only what the protocol gives their
side: material disclosed to them, their own side's statements and answers, notices to
them, hearings they were given notice of, decisions and their appeal rights. Nothing
else of the record — and nothing about the other party beyond "the complainant" or
"the respondent".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from docket.access import disclosure

from .casepage import CasePage, kind_title

# Titles of the items the disclosure rule lets a viewer read (``docket.access.disclosure``),
# by the payload field that refers to them; items listed as material use their kind.
REF_TITLES = {
    "notice_ref": "Written notice of the allegations",
    "report_ref": "The complaint as given",
    "record_ref": "Record of the hearing",
    "rationale_ref": "Reasons for the decision",
    "reasons_ref": "Reasons",
    "grounds_ref": "Grounds",
    "details_ref": "Details",
    "waiver_ref": "Written waiver",
    "dissent_ref": "Reasons of a vote",
    "findings_ref": "Findings of the review",
    "note_ref": "Note",
    "terms_ref": "Terms",
    "consent_ref": "Consent",
    "agreement_ref": "Agreement",
    "manifest_ref": "Manifest",
    "reason_ref": "Reason",
    "message_ref": "Message",
}
ITEM_TITLES = {
    "response.received": "A party's answer",
    "correspondence.received": "Letter",
    "note.added": "Procedural note",
}


@dataclass(frozen=True)
class Readable:
    item: str
    title: str
    label: str
    seq: int


def readable_items(page: CasePage) -> list[Readable]:
    """Every sealed item of the case the viewer may read, in the order of the record, as
    the disclosure rule decides (``docket.access.disclosure``), titled for the viewer."""
    return [Readable(r.item, _title(r, page), r.label, r.seq) for r in page.readable]


def _title(r: disclosure.Readable, page: CasePage) -> str:
    if r.source == "material":
        return kind_title(r.kind)
    event, _dot, field = r.source.partition(".")
    if field == "allegations.summary_ref":
        return _("Allegation %(id)s") % {"id": r.about}
    if event == "decision.issued" and not page.full_record:
        return _("Reasons for the decision %(id)s") % {"id": r.about}
    if event == "response.received" and field == "item" and not page.full_record:
        return _("Your answer")
    if field == "item" and event in ITEM_TITLES:
        return _(ITEM_TITLES[event])
    return _(REF_TITLES.get(field, "Document"))


def portal_context(page: CasePage) -> dict[str, Any]:
    side = page.side or ""
    state = page.state
    events = page.ctx.events
    given = [d for d in page.documents if side in d.disclosed]
    own = [d for d in page.documents if side not in d.disclosed]
    notices = [
        {"at": e.occurred_at, "allegations": e.payload.get("allegations", [])}
        for e in events
        if e.type == "charges.served" and side == "respondent"
    ]
    hearings = [
        {"id": e.payload["hearing_id"], "at": e.payload["at"], "given": e.occurred_at}
        for e in events
        if e.type == "hearing.scheduled" and side in e.payload.get("notice_to", [])
    ]
    held = {str(e.payload["hearing_id"]) for e in events if e.type == "hearing.held"}
    for hearing in hearings:
        hearing["held"] = str(hearing["id"]) in held
        hearing["at"] = _parse(hearing["at"])
    decisions = [
        {
            "id": e.payload["decision_id"],
            "at": e.occurred_at,
            "outcome": e.payload["outcome"],
            "findings": e.payload.get("findings", []),
            "sanctions": e.payload.get("sanctions", []),
            "recommendation": e.payload.get("recommendation", False),
        }
        for e in events
        if e.type == "decision.issued"
    ]
    group = state.complainants if side == "complainant" else state.respondents
    measures = [m for m in state.measures.values() if m.subject in group]
    appeal_windows = [o for o in page.obligations if o.deadline == "appeal_window"]
    answers = [
        {"at": e.occurred_at}
        for e in events
        if e.type == "response.received" and e.payload.get("party") == side
    ]
    return {
        "side": side,
        "side_title": _("complainant") if side == "complainant" else _("respondent"),
        "given": given,
        "own": own,
        "notices": notices,
        "hearings": hearings,
        "decisions": decisions,
        "measures": measures,
        "appeal_windows": appeal_windows,
        "answers": answers,
        "participation": state.participation.get(side, ""),
        "advocates": [page.name(a) for a in sorted(state.advocates.get(side, set()))],
        "kind_title": kind_title,
        "closed": state.closed,
    }


def _parse(value: Any) -> Any:
    from datetime import datetime

    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value
