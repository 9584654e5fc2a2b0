"""The compliance report of one case: was the protocol followed?

``compliance_from`` is pure: it reads the protocol, the case's events and the engine's
evaluation of them (``docket.protocol.engine.evaluate``) and says, with the clause of
the protocol each time,

- every **violation**: a step taken although the protocol forbade it, with the events
  involved;
- every **deviation**: a step a guard would have refused, taken by a body the protocol
  empowers to deviate, with who justified it and why;
- every **obligation** met late or still open or overdue;
- every **handover** of the record: to which body, through which event, what was
  withheld; and each body that took the case up (referral, reinvestigation, review,
  remand) without the complete earlier record.

``ok`` is true when there is no violation. Deviations are not violations (the protocol
allows them), but they are always shown.

``as_dict()`` gives a stable JSON shape, versioned as ``"format": "docket-compliance/1"``
(documented in ``docs/reports.md``); ``as_text()`` gives plain text for the terminal.

``compliance_report(case)`` is the database wrapper: it loads the case's record
through ``docket.cases.acting.load`` and adds the ledger head it reflects. It does not
check access: callers fetch the case through ``case_for``/``visible_cases`` first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from docket.protocol.engine import Evaluation
from docket.protocol.schema import Protocol
from docket.protocol.state import Event

if TYPE_CHECKING:
    from docket.cases.models import Case

FORMAT = "docket-compliance/1"
# Obligation statuses the report lists; "met" on time, "lapsed" windows a party chose
# not to use, and "cancelled" ones (the proceeding ended) are not failures.
REPORTED_OBLIGATIONS = ("met_late", "overdue", "open")
# Kinds of proceeding that take the case over from another body.
TAKE_OVER_KINDS = ("referral", "reinvestigation", "review", "remand")


@dataclass(frozen=True)
class EventRef:
    seq: int
    type: str
    occurred_at: datetime


@dataclass(frozen=True)
class ViolationItem:
    key: str
    clause: str
    text: str
    reason: str
    code: str
    proceeding: int
    body: str
    events: tuple[EventRef, ...]


@dataclass(frozen=True)
class DeviationItem:
    seq: int
    action: str
    occurred_at: datetime | None
    who: str
    body: str
    justification: str
    rules: tuple[str, ...]
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class ObligationItem:
    deadline: str
    clause: str
    text: str
    owed_by: str
    kind: str
    status: str  # met_late | overdue | open
    proceeding: int
    started_seq: int
    due: datetime
    met_at: datetime | None
    met_seq: int | None


@dataclass(frozen=True)
class HandoverItem:
    seq: int
    occurred_at: datetime
    by: str
    to_body: str
    through_seq: int
    withheld: tuple[int, ...]
    proceeding: int | None  # the proceeding of the receiving body it served
    complete: bool  # everything before that body took the case up, nothing withheld
    missing: tuple[int, int] | None  # (first, last) seq not covered, if any


@dataclass(frozen=True)
class RefusedItem:
    """A step Docket refused (``step.refused``): who tried it, as what, and why."""

    seq: int
    action: str
    title: str
    occurred_at: datetime
    who: str
    capacity: str
    clauses: tuple[str, ...]
    codes: tuple[str, ...]
    by: str  # in words: "tried for the National Disciplinary Committee"


@dataclass(frozen=True)
class ProceedingItem:
    index: int
    body: str
    kind: str
    start_seq: int
    started_at: datetime
    record_received: bool
    void: bool


@dataclass(frozen=True)
class ComplianceReport:
    reference: str
    protocol_id: str
    protocol_version: int
    protocol_label: str
    time_zone: str
    at: datetime
    head_seq: int
    head_hash: str
    bodies: Mapping[str, str]
    violations: tuple[ViolationItem, ...]
    deviations: tuple[DeviationItem, ...]
    obligations: tuple[ObligationItem, ...]
    handovers: tuple[HandoverItem, ...]
    proceedings: tuple[ProceedingItem, ...]
    handover_clause: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    refused: tuple[RefusedItem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def without_record(self) -> tuple[ProceedingItem, ...]:
        """Bodies that took the case up without the complete earlier record."""
        return tuple(
            p for p in self.proceedings if p.kind in TAKE_OVER_KINDS and not p.record_received
        )

    @property
    def overdue(self) -> tuple[ObligationItem, ...]:
        return tuple(o for o in self.obligations if o.status == "overdue")

    def body_name(self, key: str) -> str:
        return self.bodies.get(key, key)

    # -- output ----------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape ``docket-compliance/1`` (see docs/reports.md)."""
        return {
            "format": FORMAT,
            "case": {"reference": self.reference},
            "protocol": {
                "id": self.protocol_id,
                "version": self.protocol_version,
                "label": self.protocol_label,
            },
            "at": _iso(self.at),
            "head": {"seq": self.head_seq, "hash": self.head_hash},
            "ok": self.ok,
            "counts": {
                "violations": len(self.violations),
                "deviations": len(self.deviations),
                "refused": len(self.refused),
                "obligations": len(self.obligations),
                "overdue": len(self.overdue),
                "handovers": len(self.handovers),
                "without_record": len(self.without_record),
            },
            "violations": [
                {
                    "key": v.key,
                    "clause": v.clause,
                    "rule": v.text,
                    "reason": v.reason,
                    "code": v.code,
                    "proceeding": v.proceeding,
                    "body": v.body,
                    "events": [
                        {"seq": e.seq, "type": e.type, "occurred_at": _iso(e.occurred_at)}
                        for e in v.events
                    ],
                }
                for v in self.violations
            ],
            "deviations": [
                {
                    "seq": d.seq,
                    "action": d.action,
                    "occurred_at": _iso(d.occurred_at),
                    "who": d.who,
                    "body": d.body,
                    "justification": d.justification,
                    "rules": list(d.rules),
                    "clauses": list(d.clauses),
                }
                for d in self.deviations
            ],
            "refused": [
                {
                    "seq": r.seq,
                    "action": r.action,
                    "occurred_at": _iso(r.occurred_at),
                    "who": r.who,
                    "capacity": r.capacity,
                    "clauses": list(r.clauses),
                    "codes": list(r.codes),
                }
                for r in self.refused
            ],
            "obligations": [
                {
                    "deadline": o.deadline,
                    "clause": o.clause,
                    "text": o.text,
                    "owed_by": o.owed_by,
                    "kind": o.kind,
                    "status": o.status,
                    "proceeding": o.proceeding,
                    "started_seq": o.started_seq,
                    "due": _iso(o.due),
                    "met_at": _iso(o.met_at),
                    "met_seq": o.met_seq,
                }
                for o in self.obligations
            ],
            "handovers": [
                {
                    "seq": h.seq,
                    "occurred_at": _iso(h.occurred_at),
                    "by": h.by,
                    "to_body": h.to_body,
                    "through_seq": h.through_seq,
                    "withheld": list(h.withheld),
                    "proceeding": h.proceeding,
                    "complete": h.complete,
                    "missing": list(h.missing) if h.missing else None,
                }
                for h in self.handovers
            ],
            "without_record": [
                {
                    "proceeding": p.index,
                    "body": p.body,
                    "kind": p.kind,
                    "start_seq": p.start_seq,
                    "started_at": _iso(p.started_at),
                    "clause": self.handover_clause,
                }
                for p in self.without_record
            ],
            "proceedings": [
                {
                    "index": p.index,
                    "body": p.body,
                    "kind": p.kind,
                    "start_seq": p.start_seq,
                    "started_at": _iso(p.started_at),
                    "record_received": p.record_received,
                    "void": p.void,
                }
                for p in self.proceedings
            ],
        }

    def when(self, value: datetime | None) -> str:
        """A moment in the protocol's time zone, as people read it."""
        if value is None:
            return "-"
        return value.astimezone(ZoneInfo(self.time_zone)).strftime("%Y-%m-%d %H:%M %Z")

    def day(self, value: datetime | None) -> str:
        if value is None:
            return "-"
        return value.astimezone(ZoneInfo(self.time_zone)).strftime("%Y-%m-%d")

    def as_text(self) -> str:
        """Plain text for the terminal, citing the protocol's clauses."""
        lines: list[str] = []
        add = lines.append
        add(f"Compliance report: case {self.reference}")
        add(f"Protocol: {self.protocol_label} ({self.protocol_id} v{self.protocol_version})")
        head = f", head {self.head_hash[:16]}" if self.head_hash else ""
        add(f"Record: events 1 to {self.head_seq}{head}")
        add(f"Judged at: {self.when(self.at)}")
        if self.ok:
            add("Result: no violation of the protocol was found.")
        else:
            n = len(self.violations)
            add(f"Result: {n} violation{'s' if n != 1 else ''} of the protocol.")
        add("")

        add(f"Violations ({len(self.violations)})")
        if not self.violations:
            add("  None.")
        for i, v in enumerate(self.violations, start=1):
            cite = v.clause or "(no clause)"
            add(f"  {i}. {cite}: {v.text or v.key}")
            add(f"     {v.reason}")
            add(f"     Body holding the case: {self.body_name(v.body)}")
            for e in v.events:
                add(f"     - event {e.seq}, {e.type}, {self.when(e.occurred_at)}")
        add("")

        add(f"Deviations ({len(self.deviations)})")
        if not self.deviations:
            add("  None.")
        for d in self.deviations:
            clauses = ", ".join(c for c in d.clauses if c) or "-"
            add(
                f"  - event {d.seq} ({d.action}), {self.when(d.occurred_at)}: "
                f"by {d.who} for the {self.body_name(d.body)}"
            )
            add(f"    Departs from: {', '.join(d.rules) or '-'} ({clauses})")
            add(f"    Justification: {d.justification}")
        add("")

        add(f"Steps refused ({len(self.refused)})")
        if not self.refused:
            add("  None.")
        for r in self.refused:
            clauses = ", ".join(c for c in r.clauses if c) or "-"
            add(f"  - event {r.seq}, {self.when(r.occurred_at)}: {r.title}, {r.by}")
            add(f"    Refused under: {clauses}")
        add("")

        add(f"Obligations met late or still open ({len(self.obligations)})")
        if not self.obligations:
            add("  None.")
        for o in self.obligations:
            met = f", met {self.when(o.met_at)} (event {o.met_seq})" if o.met_at else ""
            add(f"  - {o.clause}: {o.text}")
            add(
                f"    {_STATUS_WORDS.get(o.status, o.status)}; owed by {o.owed_by}; "
                f"due {self.when(o.due)}{met}"
            )
        add("")

        add(f"Handovers of the record ({len(self.handovers)})")
        if not self.handovers:
            add("  None.")
        for h in self.handovers:
            state = "complete" if h.complete else "incomplete"
            add(
                f"  - event {h.seq}, {self.day(h.occurred_at)}: to the "
                f"{self.body_name(h.to_body)}, events 1 to {h.through_seq}; {state}"
            )
            if h.withheld:
                add(f"    Withheld: events {', '.join(str(s) for s in h.withheld)}")
            if h.missing:
                add(f"    Not included: events {h.missing[0]} to {h.missing[1]}")
        without = self.without_record
        add("")
        add(f"Bodies that took the case up without the complete earlier record ({len(without)})")
        if not without:
            add("  None.")
        for p in without:
            cite = f" ({self.handover_clause})" if self.handover_clause else ""
            add(
                f"  - the {self.body_name(p.body)}, {p.kind} from event {p.start_seq} "
                f"({self.day(p.started_at)}){cite}"
            )
        return "\n".join(lines) + "\n"


_STATUS_WORDS = {
    "met_late": "met late",
    "overdue": "overdue",
    "open": "still open",
}


def _clause_key(clause: str) -> tuple[Any, ...]:
    # "s.4.10" after "s.4.2": numbers compare as numbers.
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in clause.split(".")
    )


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def compliance_from(
    protocol: Protocol,
    events: Sequence[Event],
    evaluation: Evaluation,
    *,
    reference: str,
    bodies: Mapping[str, str] | None = None,
    head_hash: str = "",
) -> ComplianceReport:
    """The compliance report of a case from the engine's evaluation of its events."""
    by_seq = {e.seq: e for e in events}
    state = evaluation.state
    proceedings = tuple(
        ProceedingItem(
            index=p.index,
            body=p.body,
            kind=p.kind,
            start_seq=p.start_seq,
            started_at=p.started_at,
            record_received=p.record_received,
            void=p.void,
        )
        for p in state.proceedings
    )
    holder = {p.index: p.body for p in proceedings}

    def ref(seq: int) -> EventRef:
        e = by_seq.get(seq)
        if e is None:
            return EventRef(seq, "", evaluation.at)
        return EventRef(seq, e.type, e.occurred_at)

    violations = tuple(
        ViolationItem(
            key=v.key,
            clause=v.clause,
            text=v.text,
            reason=v.reason,
            code=v.code,
            proceeding=v.proceeding,
            body=holder.get(v.proceeding, ""),
            events=tuple(ref(s) for s in v.events),
        )
        for v in sorted(
            evaluation.violations,
            key=lambda v: (min(v.events, default=0), _clause_key(v.clause), v.key),
        )
    )
    deviations = tuple(
        DeviationItem(
            seq=d.seq,
            action=d.action,
            occurred_at=by_seq[d.seq].occurred_at if d.seq in by_seq else None,
            who=d.actor,
            body=d.body,
            justification=d.justification,
            rules=d.rules,
            clauses=d.clauses,
        )
        for d in evaluation.deviations
    )
    obligations = tuple(
        ObligationItem(
            deadline=o.deadline,
            clause=o.clause,
            text=o.text,
            owed_by=o.owed_by,
            kind=o.kind,
            status=o.status,
            proceeding=o.proceeding,
            started_seq=o.started_seq,
            due=o.due,
            met_at=o.met_at,
            met_seq=o.met_seq,
        )
        for o in evaluation.obligations
        if o.status in REPORTED_OBLIGATIONS
    )
    handovers = tuple(_handover(e, proceedings) for e in events if e.type == "record.handed_over")
    names = dict(bodies) if bodies is not None else {}
    for key, spec in protocol.bodies.items():
        names.setdefault(key, spec.name)
    refused = tuple(_refused(e, names) for e in events if e.type == "step.refused")
    hand_over = protocol.actions.get("hand_over_record")
    return ComplianceReport(
        reference=reference,
        protocol_id=protocol.protocol.id,
        protocol_version=protocol.protocol.version,
        protocol_label=protocol.label,
        time_zone=protocol.protocol.time_zone,
        at=evaluation.at,
        head_seq=events[-1].seq if events else 0,
        head_hash=head_hash,
        bodies=names,
        violations=violations,
        deviations=deviations,
        obligations=obligations,
        handovers=handovers,
        proceedings=proceedings,
        handover_clause=hand_over.clause if hand_over else "",
        refused=refused,
    )


def _refused(event: Event, names: Mapping[str, str]) -> RefusedItem:
    from docket.protocol.actions import ACTIONS

    capacity = event.capacity
    if capacity.startswith("body:"):
        by = f"tried for the {names.get(capacity[5:], capacity[5:])}"
    else:
        by = f"tried by the {capacity.replace('_', ' ')}"
    action = str(event.payload["action"])
    reasons = event.payload.get("reasons", [])
    spec = ACTIONS.get(action)
    return RefusedItem(
        seq=event.seq,
        action=action,
        title=spec.title if spec else action.replace("_", " "),
        occurred_at=event.occurred_at,
        who=event.actor,
        capacity=event.capacity,
        clauses=tuple(str(r.get("clause") or "") for r in reasons),
        codes=tuple(str(r["code"]) for r in reasons),
        by=by,
    )


def _handover(event: Event, proceedings: Sequence[ProceedingItem]) -> HandoverItem:
    p = event.payload
    to_body = str(p.get("to_body", ""))
    through = int(p.get("through_seq", 0))
    withheld = tuple(sorted(int(s) for s in p.get("withheld", ()) or ()))
    # The proceeding under way when the record was handed over (as the engine reads it).
    current = None
    for proc in proceedings:
        if proc.start_seq <= event.seq:
            current = proc
    served = current if current is not None and current.body == to_body else None
    missing: tuple[int, int] | None = None
    if served is not None and through < served.start_seq - 1:
        missing = (through + 1, served.start_seq - 1)
    complete = served is not None and not withheld and missing is None
    return HandoverItem(
        seq=event.seq,
        occurred_at=event.occurred_at,
        by=event.actor,
        to_body=to_body,
        through_seq=through,
        withheld=withheld,
        proceeding=served.index if served else None,
        complete=complete,
        missing=missing,
    )


def compliance_report(case: Case, *, at: datetime | None = None) -> ComplianceReport:
    """The compliance report of a stored case (no access check: callers do that)."""
    from docket.cases.acting import load
    from docket.ledger.selectors import stream_head

    ctx = load(case, at=at, lock=False)
    head = stream_head(case.stream)
    return compliance_from(
        ctx.protocol,
        ctx.events,
        ctx.evaluation,
        reference=case.reference or case.public_id,
        head_hash=head[1] if head else "",
    )
