"""A case's state: the fold of its events.

``CaseState.apply`` is the only way state changes, one event at a time, so that the
engine can ask a protocol's guards about the state just before each event (to judge
history) or about the state now (to decide what may happen next).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Event:
    """One ledger event as the engine sees it."""

    seq: int
    type: str
    actor: str
    capacity: str
    occurred_at: datetime
    payload: Mapping[str, Any]
    deviation: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Participant:
    """Who is asking: a person, and the bodies in which they hold a seat right now."""

    person: str
    bodies: frozenset[str] = frozenset()
    member: bool = True


@dataclass
class Material:
    id: str
    kind: str
    label: str
    author: str | None
    proceeding: int
    seq: int
    withdrawn: bool = False


@dataclass
class Vote:
    id: str
    motion: str  # in clear only in votes opened before issue 24; else "" and sealed:
    sanction: str | None
    proceeding: int
    seq: int
    eligible: tuple[str, ...]
    casts: dict[str, str] = field(default_factory=dict)
    closed: bool = False
    motion_ref: str | None = None  # the sealed motion (issue 24, finding 6)

    @property
    def title(self) -> str:
        """How lists name the vote, in clear: its id and the sanction it is about (or the
        motion of a vote opened before motions were sealed)."""
        if self.motion:
            return f"{self.id}: {self.motion}"
        return f"{self.id}: {self.sanction}" if self.sanction else self.id


@dataclass
class Decision:
    id: str
    outcome: str
    recommendation: bool
    sanctions: tuple[str, ...]
    vote_id: str | None
    proceeding: int
    seq: int
    ratified: bool = False
    overruled: bool = False


@dataclass
class Proceeding:
    index: int
    body: str
    kind: str  # original, referral, reinvestigation, review, remand
    start_seq: int
    started_at: datetime
    panel: tuple[str, ...] = ()
    chair: str | None = None
    recused: set[str] = field(default_factory=set)
    record_received: bool = True
    void: bool = False
    hearing_held: bool = False
    waived_by: set[str] = field(default_factory=set)
    # rule name -> (body, seq of the grant, justification): deviations granted for this
    # proceeding by a body the protocol empowers.
    granted: dict[str, tuple[str, int, str]] = field(default_factory=dict)

    def sitting(self) -> tuple[str, ...]:
        if not self.recused:
            return self.panel
        return tuple(p for p in self.panel if p not in self.recused)


@dataclass
class DeadlineInstance:
    """One running time limit, e.g. the respondent's 7 days after a disclosure."""

    deadline: str
    proceeding: int
    started_seq: int
    started_at: datetime
    due: datetime
    met_at: datetime | None = None
    met_seq: int | None = None


@dataclass
class Measure:
    id: str
    kind: str
    subject: str
    active: bool = True


@dataclass
class CaseState:
    protocol_id: str = ""
    protocol_version: int = 0
    stage: str = ""
    reference: str = ""
    seq: int = 0
    last_at: datetime | None = None
    closed: bool = False
    complainants: set[str] = field(default_factory=set)
    respondents: set[str] = field(default_factory=set)
    advocates: dict[str, set[str]] = field(
        default_factory=lambda: {"complainant": set(), "respondent": set()}
    )
    witnesses: set[str] = field(default_factory=set)
    investigators: set[str] = field(default_factory=set)
    conflicted: set[str] = field(default_factory=set)
    # person -> end of their explicit access grant, while it has not been revoked
    grants: dict[str, datetime] = field(default_factory=dict)
    # Events whose part-giving the engine refused (``engine.PART_REFUSED``): recorded
    # history keeps them, but they give nobody a part.
    withheld: set[int] = field(default_factory=set)
    proceedings: list[Proceeding] = field(default_factory=list)
    material: dict[str, Material] = field(default_factory=dict)
    disclosed: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"complainant": {}, "respondent": {}}
    )
    participation: dict[str, str] = field(default_factory=dict)
    consents: dict[str, bool] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    votes: dict[str, Vote] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    appeals: dict[str, str] = field(default_factory=dict)  # appeal id -> status
    deadlines: dict[str, list[DeadlineInstance]] = field(default_factory=dict)
    # (event type, party or "") -> (seq, occurred_at, proceeding index) of the latest one
    latest: dict[tuple[str, str], tuple[int, datetime, int]] = field(default_factory=dict)
    # person -> parts in the case; emptied by every event that can change someone's part
    _roles: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    # The proceeding under way (the last one begun); kept as a field for the hot path.
    proceeding: Proceeding | None = None

    # -- reading -------------------------------------------------------------------

    @property
    def holding_body(self) -> str | None:
        current = self.proceeding
        return current.body if current else None

    def earlier_panels(self) -> set[str]:
        return {p for proc in self.proceedings[:-1] for p in proc.panel}

    def parties(self) -> set[str]:
        return self.complainants | self.respondents

    def roles_of(self, person: str) -> frozenset[str]:
        """The parts a person plays in this case (without body seats)."""
        cached = self._roles.get(person)
        if cached is None:
            cached = self._roles[person] = frozenset(self._compute_roles(person))
        return cached

    def _compute_roles(self, person: str) -> set[str]:
        roles: set[str] = set()
        if person in self.complainants:
            roles |= {"complainant", "party"}
        if person in self.respondents:
            roles |= {"respondent", "party"}
        if person in self.advocates["complainant"]:
            roles |= {"complainant_advocate", "advocate"}
        if person in self.advocates["respondent"]:
            roles |= {"respondent_advocate", "advocate"}
        if person in self.witnesses:
            roles.add("witness")
        if person in self.investigators:
            roles.add("investigator")
        current = self.proceeding
        if current is not None and person in current.sitting():
            roles.add("panel")
            if current.chair == person:
                roles.add("panel_chair")
        if person in self.earlier_panels():
            roles.add("earlier_panel")
        if roles:
            roles.add("participant")
        return roles

    def latest_of(
        self, event_type: str, party: str = "", *, proceeding_only: bool = False
    ) -> tuple[int, datetime, int] | None:
        found = self.latest.get((event_type, party))
        if found is None:
            return None
        if proceeding_only and self.proceeding is not None and found[2] != self.proceeding.index:
            return None
        return found

    def material_in_scope(self, kinds: tuple[str, ...], scope: str) -> list[Material]:
        current = self.proceeding.index if self.proceeding else -1
        return [
            m
            for m in self.material.values()
            if m.kind in kinds and not m.withdrawn and (scope == "case" or m.proceeding == current)
        ]

    # -- changing ------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(self, event)
            if event.type in _ROLE_EVENTS:
                self._roles.clear()
        p = event.payload
        party = p.get("party") or p.get("to") or ""
        index = self.proceeding.index if self.proceeding else -1
        mark = (event.seq, event.occurred_at, index)
        self.latest[(event.type, "")] = mark
        if isinstance(party, str) and party:
            self.latest[(event.type, party)] = mark
        self.seq = event.seq
        self.last_at = event.occurred_at

    def _begin(self, event: Event, body: str, kind: str) -> None:
        self.proceeding = Proceeding(
            index=len(self.proceedings),
            body=body,
            kind=kind,
            start_seq=event.seq,
            started_at=event.occurred_at,
            record_received=not self.proceedings,
        )
        self.proceedings.append(self.proceeding)

    def _add_material(self, event: Event, kind: str, label: str, author: str | None) -> None:
        item = str(event.payload["item"])
        index = self.proceeding.index if self.proceeding else 0
        self.material[item] = Material(item, kind, label, author, index, event.seq)


def _complaint_received(s: CaseState, e: Event) -> None:
    p = e.payload
    s.protocol_id = str(p["protocol_id"])
    s.protocol_version = int(p["protocol_version"])
    s.complainants |= set(p.get("complainants", ()))
    s.respondents |= set(p.get("respondents", ()))
    s._begin(e, str(p["received_by"]), "original")
    if p.get("report_ref"):
        index = s.proceeding.index if s.proceeding else 0
        ref = str(p["report_ref"])
        s.material[ref] = Material(ref, "complaint", "the complaint", None, index, e.seq)


def _case_opened(s: CaseState, e: Event) -> None:
    s.reference = str(e.payload["reference"])
    body = str(e.payload["body"])
    current = s.proceeding
    if current is not None and current.body != body:
        # Opening by another body than the one that received it is a referral.
        s._begin(e, body, "referral")
        s.proceedings[-1].record_received = True


def _case_referred(s: CaseState, e: Event) -> None:
    s._begin(e, str(e.payload["to_body"]), str(e.payload["kind"]))


def _reinvestigation(s: CaseState, e: Event) -> None:
    s._begin(e, str(e.payload["to_body"]), "reinvestigation")


def _record_handed_over(s: CaseState, e: Event) -> None:
    current = s.proceeding
    if current is None or current.body != e.payload["to_body"]:
        return
    # Everything recorded before this body took the case up must be included.
    complete = not e.payload.get("withheld") and int(e.payload["through_seq"]) >= (
        current.start_seq - 1
    )
    current.record_received = current.record_received or complete


def _panel_named(s: CaseState, e: Event) -> None:
    current = s.proceeding
    if current is None:
        return
    current.panel = tuple(e.payload["members"])
    current.chair = e.payload.get("chair")
    current.recused = set()


def _conflict_declared(s: CaseState, e: Event) -> None:
    person = str(e.payload["person"])
    s.conflicted.add(person)
    if e.payload.get("recused", True) and s.proceeding is not None:
        s.proceeding.recused.add(person)


def _investigator(s: CaseState, e: Event) -> None:
    s.investigators.add(str(e.payload["person"]))


def _advocate(s: CaseState, e: Event) -> None:
    if e.seq in s.withheld:
        return
    group = s.advocates[str(e.payload["party"])]
    if e.payload.get("replaces"):
        group.discard(str(e.payload["replaces"]))
    group.add(str(e.payload["advocate"]))


def _measure_imposed(s: CaseState, e: Event) -> None:
    p = e.payload
    s.measures[str(p["measure_id"])] = Measure(str(p["measure_id"]), p["kind"], p["subject"])


def _measure_ended(s: CaseState, e: Event) -> None:
    measure = s.measures.get(str(e.payload["measure_id"]))
    if measure is not None and (e.type == "measure.lifted" or e.payload["outcome"] == "lifted"):
        measure.active = False


def _consented(s: CaseState, e: Event) -> None:
    s.consents[str(e.payload["party"])] = e.type == "informal.consented"


def _statement(s: CaseState, e: Event) -> None:
    role = str(e.payload["role"])
    s._add_material(e, f"{role}_statement", str(e.payload["label"]), str(e.payload["author"]))
    if role == "witness" and e.seq not in s.withheld:
        s.witnesses.add(str(e.payload["author"]))
    superseded = e.payload.get("supersedes")
    if superseded and superseded in s.material:
        s.material[superseded].withdrawn = True


def _statement_withdrawn(s: CaseState, e: Event) -> None:
    item = s.material.get(str(e.payload["item"]))
    if item is not None:
        item.withdrawn = True


def _evidence(s: CaseState, e: Event) -> None:
    s._add_material(e, "evidence", str(e.payload["label"]), e.payload.get("provided_by"))


def _report(s: CaseState, e: Event) -> None:
    s._add_material(e, "investigation_report", str(e.payload["label"]), None)


def _disclosed(s: CaseState, e: Event) -> None:
    given = s.disclosed[str(e.payload["to"])]
    for item in e.payload["items"]:
        given.setdefault(str(item), e.seq)


def _participation(s: CaseState, e: Event) -> None:
    s.participation[str(e.payload["party"])] = str(e.payload["choice"])


def _hearing_held(s: CaseState, e: Event) -> None:
    if s.proceeding is not None:
        s.proceeding.hearing_held = True


def _hearing_waived(s: CaseState, e: Event) -> None:
    if s.proceeding is not None:
        s.proceeding.waived_by.add(str(e.payload["party"]))


def _vote_opened(s: CaseState, e: Event) -> None:
    p = e.payload
    current = s.proceeding
    eligible = current.sitting() if current else ()
    index = current.index if current else 0
    s.votes[str(p["vote_id"])] = Vote(
        str(p["vote_id"]),
        str(p.get("motion", "")),  # a vote opened before its motion was sealed
        p.get("sanction"),
        index,
        e.seq,
        eligible,
        motion_ref=p.get("motion_ref"),
    )


def _vote_cast(s: CaseState, e: Event) -> None:
    vote = s.votes.get(str(e.payload["vote_id"]))
    if vote is not None and not vote.closed:
        vote.casts[e.actor] = str(e.payload["choice"])


def _vote_closed(s: CaseState, e: Event) -> None:
    vote = s.votes.get(str(e.payload["vote_id"]))
    if vote is not None:
        vote.closed = True


def _decision_issued(s: CaseState, e: Event) -> None:
    p = e.payload
    index = s.proceeding.index if s.proceeding else 0
    s.decisions[str(p["decision_id"])] = Decision(
        str(p["decision_id"]),
        str(p["outcome"]),
        bool(p.get("recommendation", False)),
        tuple(p.get("sanctions", ())),
        p.get("vote_id"),
        index,
        e.seq,
    )


def _decision_ratified(s: CaseState, e: Event) -> None:
    decision = s.decisions.get(str(e.payload["decision_id"]))
    if decision is not None:
        decision.ratified = True


def _decision_overruled(s: CaseState, e: Event) -> None:
    decision = s.decisions.get(str(e.payload["decision_id"]))
    if decision is not None:
        decision.overruled = True


def _appeal_filed(s: CaseState, e: Event) -> None:
    s.appeals[str(e.payload["appeal_id"])] = "filed"


def _appeal_decided(s: CaseState, e: Event) -> None:
    s.appeals[str(e.payload["appeal_id"])] = str(e.payload["outcome"])


def _void(s: CaseState, e: Event) -> None:
    if s.proceeding is not None:
        s.proceeding.void = True


def _deviation_granted(s: CaseState, e: Event) -> None:
    if s.proceeding is None or not e.capacity.startswith("body:"):
        return
    for rule in e.payload["rules"]:
        s.proceeding.granted[str(rule)] = (e.capacity[5:], e.seq, str(e.payload["justification"]))


def _granted(s: CaseState, e: Event) -> None:
    until = e.payload.get("until")
    if isinstance(until, str):
        s.grants[str(e.payload["person"])] = datetime.fromisoformat(until)
    elif isinstance(until, datetime):
        s.grants[str(e.payload["person"])] = until


def _revoked(s: CaseState, e: Event) -> None:
    s.grants.pop(str(e.payload["person"]), None)


def _closed(s: CaseState, e: Event) -> None:
    s.closed = True


def _reopened(s: CaseState, e: Event) -> None:
    s.closed = False
    s._begin(e, str(e.payload["to_body"]), "review")


# Events after which someone's part in the case may differ.
_ROLE_EVENTS = frozenset(
    {
        "complaint.received",
        "case.opened",
        "case.referred",
        "reinvestigation.ordered",
        "case.reopened",
        "panel.named",
        "conflict.declared",
        "investigator.appointed",
        "advocate.named",
        "statement.recorded",
    }
)

_HANDLERS: dict[str, Callable[[CaseState, Event], None]] = {
    "complaint.received": _complaint_received,
    "case.opened": _case_opened,
    "case.referred": _case_referred,
    "reinvestigation.ordered": _reinvestigation,
    "record.handed_over": _record_handed_over,
    "panel.named": _panel_named,
    "conflict.declared": _conflict_declared,
    "investigator.appointed": _investigator,
    "advocate.named": _advocate,
    "measure.imposed": _measure_imposed,
    "measure.reviewed": _measure_ended,
    "measure.lifted": _measure_ended,
    "informal.consented": _consented,
    "informal.consent_withdrawn": _consented,
    "statement.recorded": _statement,
    "statement.withdrawn": _statement_withdrawn,
    "evidence.recorded": _evidence,
    "report.prepared": _report,
    "material.disclosed": _disclosed,
    "participation.chosen": _participation,
    "hearing.held": _hearing_held,
    "hearing.waived": _hearing_waived,
    "vote.opened": _vote_opened,
    "vote.cast": _vote_cast,
    "vote.closed": _vote_closed,
    "decision.issued": _decision_issued,
    "decision.ratified": _decision_ratified,
    "decision.overruled": _decision_overruled,
    "appeal.filed": _appeal_filed,
    "appeal.decided": _appeal_decided,
    "mistrial.declared": _void,
    "proceeding.annulled": _void,
    "deviation.granted": _deviation_granted,
    "access.granted": _granted,
    "access.revoked": _revoked,
    "case.closed": _closed,
    "case.reopened": _reopened,
}
