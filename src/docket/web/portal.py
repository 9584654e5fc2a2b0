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

from .casepage import CasePage, kind_title

# Sealed references in payloads that a full-record viewer may read, with their titles.
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
    """Every sealed item of the case the viewer may read, in the order of the record."""
    found: dict[str, Readable] = {}
    for doc in page.documents:
        found[doc.item] = Readable(doc.item, doc.kind_title, doc.label, doc.seq)
    for e in page.ctx.events:
        p = e.payload
        if page.full_record:
            for key, title in REF_TITLES.items():
                if p.get(key):
                    found.setdefault(str(p[key]), Readable(str(p[key]), _(title), "", e.seq))
            if e.type in ITEM_TITLES and p.get("item"):
                found.setdefault(
                    str(p["item"]), Readable(str(p["item"]), _(ITEM_TITLES[e.type]), "", e.seq)
                )
            for allegation in p.get("allegations", []) if e.type == "complaint.received" else []:
                if allegation.get("summary_ref"):
                    ref = str(allegation["summary_ref"])
                    found.setdefault(
                        ref, Readable(ref, _("Allegation %(id)s") % allegation, "", e.seq)
                    )
            continue
        side = page.side
        if side is None:
            continue
        if e.type == "response.received" and p.get("party") == side and p.get("item"):
            found.setdefault(str(p["item"]), Readable(str(p["item"]), _("Your answer"), "", e.seq))
        elif e.type == "charges.served" and side == "respondent" and p.get("notice_ref"):
            ref = str(p["notice_ref"])
            found.setdefault(ref, Readable(ref, _("Written notice of the allegations"), "", e.seq))
        elif e.type == "decision.issued" and p.get("rationale_ref"):
            ref = str(p["rationale_ref"])
            found.setdefault(
                ref,
                Readable(
                    ref, _("Reasons for the decision %(id)s") % {"id": p["decision_id"]}, "", e.seq
                ),
            )
    return sorted(found.values(), key=lambda r: r.seq)


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
