"""The case tables as a function of the ledger.

``rows_for`` turns a case's events (read by the protocol engine) into the rows of
``Case``, ``CaseRole``, ``CaseBody`` and ``CaseObligation``; ``write`` stores them,
changing only the rows that differ. Services call
``refresh`` after appending, in the same transaction; ``docket ledger rebuild`` calls
the same functions through the projection registry and reports any drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction

from docket.ledger import projections
from docket.ledger.models import LedgerEvent
from docket.org.models import Body, Person
from docket.protocol.engine import Evaluation, evaluate
from docket.protocol.schema import Protocol
from docket.protocol.state import Event

from .models import Case, CaseBody, CaseObligation, CaseRole
from .protocols import case_protocol

Row = dict[str, Any]
Synced = TypeVar("Synced", CaseBody, CaseObligation)
CASE_FIELDS = (
    "stage", "closed", "disposition", "outcome", "sanctions", "holding_body_id", "reference",
    "received_at", "opened_at", "decided_at", "closed_at", "appeals", "violations",
    "deviations", "head_seq", "last_event_at", "panel_survives_term", "appeal_outcome",
)  # fmt: skip
BODY_FIELDS = ("kind", "since_seq", "current", "record_complete")
BODY_KEY = ("body_id", "relation", "proceeding")
OBLIGATION_FIELDS = (
    "clause", "text", "owed_by", "kind", "proceeding", "started_at", "due", "remind_at",
)  # fmt: skip
OBLIGATION_KEY = ("deadline", "started_seq")


def engine_event(row: LedgerEvent) -> Event:
    return Event(
        seq=row.seq,
        type=row.type,
        actor=row.actor,
        capacity=row.capacity,
        occurred_at=row.occurred_at,
        payload=row.payload,
        deviation=row.deviation,
    )


def case_events(case: Case) -> list[Event]:
    rows = LedgerEvent.objects.filter(stream=case.stream).order_by("seq")
    return [engine_event(r) for r in rows.only(
        "stream", "seq", "type", "actor", "capacity", "occurred_at", "payload", "deviation"
    )]  # fmt: skip


def body_resolver(case: Case, protocol: Protocol) -> dict[str, Body]:
    """Body key -> the organization's body for this case (per-unit bodies: the case's unit)."""
    found: dict[str, Body] = {}
    for body in Body.objects.filter(key__in=list(protocol.bodies)).select_related("unit"):
        spec = protocol.bodies[body.key]
        if spec.per_unit and case.unit_id is not None and body.unit_id != case.unit_id:
            continue
        found.setdefault(body.key, body)
    return found


def _latest(events: Sequence[Event], type_: str) -> Event | None:
    for event in reversed(events):
        if event.type == type_:
            return event
    return None


def rows_for(case: Case, protocol: Protocol, events: Sequence[Event], ev: Evaluation) -> list[Row]:
    state = ev.state
    bodies = body_resolver(case, protocol)
    rows: list[Row] = []

    decision = None
    for d in sorted(state.decisions.values(), key=lambda d: d.seq):
        if not d.overruled:
            decision = d
    decided = next((e for e in events if decision and e.seq == decision.seq), None)
    opened = _latest(events, "case.opened")
    closing = _latest(events, "case.closed") if state.closed else None
    holder = bodies.get(state.holding_body or "")
    rows.append(
        {
            "table": "case",
            "stage": state.stage,
            "closed": state.closed,
            "disposition": str(closing.payload.get("disposition", "")) if closing else "",
            "outcome": decision.outcome if decision else "",
            "sanctions": list(decision.sanctions) if decision else [],
            "holding_body_id": holder.pk if holder else None,
            "reference": state.reference or case.reference,
            "received_at": events[0].occurred_at if events else None,
            "opened_at": opened.occurred_at if opened else None,
            "decided_at": decided.occurred_at if decided else None,
            "closed_at": closing.occurred_at if closing else None,
            "appeals": len(state.appeals),
            "appeal_outcome": (
                {"filed": "pending"}.get(last := list(state.appeals.values())[-1], last)
                if state.appeals
                else ""
            ),
            "violations": len(ev.violations),
            "deviations": len(ev.deviations),
            "head_seq": state.seq,
            "last_event_at": state.last_at,
            "panel_survives_term": bool(
                state.holding_body in protocol.bodies
                and protocol.bodies[state.holding_body].panel_survives_term
            ),
        }
    )

    parts: set[tuple[str, str, datetime | None]] = set()
    for person in state.complainants:
        parts.add((person, "complainant", None))
    for person in state.respondents:
        parts.add((person, "respondent", None))
    for side in ("complainant", "respondent"):
        for person in state.advocates[side]:
            parts.add((person, f"{side}_advocate", None))
    for person in state.witnesses:
        parts.add((person, "witness", None))
    for person in state.investigators:
        parts.add((person, "investigator", None))
    current = state.proceeding
    if current is not None:
        for person in current.sitting():
            parts.add((person, "panel", None))
        if current.chair and current.chair in current.sitting():
            parts.add((current.chair, "panel_chair", None))
    for person in state.earlier_panels():
        parts.add((person, "earlier_panel", None))
    for person in state.conflicted:
        parts.add((person, "conflicted", None))
    grants: dict[str, datetime | None] = {}
    for event in events:
        if event.type == "access.granted":
            grants[str(event.payload["person"])] = datetime.fromisoformat(
                str(event.payload["until"])
            )
        elif event.type == "access.revoked":
            grants.pop(str(event.payload["person"]), None)
    for person, until in grants.items():
        parts.add((person, "grantee", until))
    if events and events[0].type == "complaint.received" and events[0].capacity == "reporter":
        parts.add((events[0].actor, "reporter", None))
    for person, role, until in sorted(parts, key=lambda p: (p[0], p[1])):
        rows.append({"table": "role", "person": person, "role": role, "until": until})

    for proc in state.proceedings:
        body = bodies.get(proc.body)
        if body is not None:
            rows.append(
                {
                    "table": "body",
                    "body_id": body.pk,
                    "relation": "holder",
                    "proceeding": proc.index,
                    "kind": proc.kind,
                    "since_seq": proc.start_seq,
                    # A closed case stays with the body that held it last: its members
                    # keep seeing it, as the record they are answerable for.
                    "current": proc is current,
                    "record_complete": proc.record_received,
                }
            )
    addressed: dict[str, int] = {}
    for event in events:
        key = event.payload.get("to_body") if event.type in _ADDRESSING else None
        if isinstance(key, str):
            addressed.setdefault(key, event.seq)
    # An appeal goes to the bodies the protocol lets decide appeals.
    appeal_bodies = _bodies_of(protocol, "decide_appeal")
    for event in events:
        if event.type == "appeal.filed":
            for key in appeal_bodies:
                addressed.setdefault(key, event.seq)
    # A closed case is addressed to the bodies the protocol lets reopen it (oversight):
    # they could not reopen what they cannot see.
    if state.closed:
        closing = _latest(events, "case.closed")
        for key in _bodies_of(protocol, "reopen_case"):
            addressed.setdefault(key, closing.seq if closing else state.seq)
    for d in state.decisions.values():
        for sanction in d.sanctions:
            spec = protocol.sanctions.get(sanction)
            if spec and spec.ratified_by and d.recommendation:
                addressed.setdefault(spec.ratified_by, d.seq)
    for key, seq in sorted(addressed.items()):
        body = bodies.get(key)
        if body is not None:
            rows.append(
                {
                    "table": "body",
                    "body_id": body.pk,
                    "relation": "addressed",
                    "proceeding": -1,
                    "kind": "",
                    "since_seq": seq,
                    "current": False,
                    "record_complete": True,
                }
            )
    # Deadlines still running: whether each is open, overdue or lapsed is a matter of the
    # moment it is read, so the rows do not depend on when the projection was written.
    for o in ev.obligations:
        if o.status in ("open", "overdue", "lapsed"):
            rows.append(
                {
                    "table": "obligation",
                    "deadline": o.deadline,
                    "started_seq": o.started_seq,
                    **{f: getattr(o, f) for f in OBLIGATION_FIELDS},
                }
            )
    return rows


_ADDRESSING = frozenset({"objection.filed", "correspondence.received"})


def _bodies_of(protocol: Any, action: str) -> list[str]:
    """The bodies the protocol names (``body:<key>``) as empowered to take ``action``."""
    return [b[5:] for b in getattr(protocol.actions.get(action), "by", ()) if b.startswith("body:")]


def snapshot(case: Case) -> list[Row]:
    case.refresh_from_db()
    rows: list[Row] = [{"table": "case", **{f: getattr(case, f) for f in CASE_FIELDS}}]
    roles = CaseRole.objects.filter(case=case).select_related("person")
    for person, role, until in sorted(
        ((r.person.public_id, r.role, r.until) for r in roles), key=lambda p: (p[0], p[1])
    ):
        rows.append({"table": "role", "person": person, "role": role, "until": until})
    for b in CaseBody.objects.filter(case=case):
        rows.append({"table": "body", **{f: getattr(b, f) for f in (*BODY_KEY, *BODY_FIELDS)}})
    for o in CaseObligation.objects.filter(case=case):
        rows.append(
            {
                "table": "obligation",
                **{f: getattr(o, f) for f in (*OBLIGATION_KEY, *OBLIGATION_FIELDS)},
            }
        )
    return _ordered(rows)


def _ordered(rows: list[Row]) -> list[Row]:
    def of(table: str, key: tuple[str, ...]) -> list[Row]:
        return sorted((r for r in rows if r["table"] == table), key=lambda r: [r[k] for k in key])

    return [
        *of("case", ()),
        *of("role", ("person", "role")),
        *of("body", ("relation", "proceeding", "body_id")),
        *of("obligation", OBLIGATION_KEY),
    ]


def write(case: Case, rows: list[Row]) -> None:
    (head,) = [r for r in rows if r["table"] == "case"]
    for field in CASE_FIELDS:
        setattr(case, field, head[field])
    case.save(update_fields=list(CASE_FIELDS))
    wanted_roles = {(r["person"], r["role"]): r["until"] for r in rows if r["table"] == "role"}
    people = dict(
        Person.objects.filter(public_id__in={p for p, _ in wanted_roles}).values_list(
            "public_id", "pk"
        )
    )
    existing = {(r.person.public_id, r.role): r for r in case.roles.select_related("person")}
    for key, row in existing.items():
        if key not in wanted_roles:
            row.delete()
        elif row.until != wanted_roles[key]:
            row.until = wanted_roles[key]
            row.save(update_fields=["until"])
    CaseRole.objects.bulk_create(
        [
            CaseRole(case=case, person_id=people[p], role=role, until=until)
            for (p, role), until in wanted_roles.items()
            if (p, role) not in existing and p in people
        ]
    )
    _sync(CaseBody, case, [r for r in rows if r["table"] == "body"], BODY_KEY, BODY_FIELDS)
    _sync(
        CaseObligation,
        case,
        [r for r in rows if r["table"] == "obligation"],
        OBLIGATION_KEY,
        OBLIGATION_FIELDS,
    )


def _sync(
    model: type[Synced],
    case: Case,
    wanted: list[Row],
    key: tuple[str, ...],
    fields: tuple[str, ...],
) -> None:
    """Make the case's rows of ``model`` equal ``wanted``: a step usually changes none or
    one of them, so compare and write only the difference."""
    want = {tuple(r[k] for k in key): r for r in wanted}
    for row in model.objects.filter(case=case):
        found = want.pop(tuple(getattr(row, k) for k in key), None)
        if found is None:
            row.delete()
        elif any(getattr(row, f) != found[f] for f in fields):
            for f in fields:
                setattr(row, f, found[f])
            row.save(update_fields=list(fields))
    model.objects.bulk_create(
        [model(case=case, **{f: r[f] for f in (*key, *fields)}) for r in want.values()]
    )


def refresh(case: Case, protocol: Protocol, events: Sequence[Event], ev: Evaluation) -> None:
    """Bring the case tables up to date with the record (inside the appending transaction)."""
    write(case, rows_for(case, protocol, events, ev))


# -- the ledger's rebuild command ---------------------------------------------------------


def _case_of(stream: str) -> Case | None:
    return Case.objects.filter(public_id=stream.removeprefix("case:")).first()


def _rebuild(stream: str, rows: Sequence[LedgerEvent]) -> list[Row]:
    case = _case_of(stream)
    if case is None:
        return []
    protocol = case_protocol(case.protocol)
    events = [engine_event(r) for r in rows]
    ev = evaluate(protocol, events, events[-1].occurred_at if events else case.protocol.loaded_at)
    return _ordered(rows_for(case, protocol, events, ev))


def _snapshot(stream: str) -> list[Row]:
    case = _case_of(stream)
    return snapshot(case) if case is not None else []


def _write(stream: str, rows: list[Row]) -> None:
    case = _case_of(stream)
    if case is not None and rows:
        with transaction.atomic():
            write(case, rows)


def register_projection() -> None:
    projections.register(
        "cases.case",
        rebuild=_rebuild,
        snapshot=_snapshot,
        write=_write,
        kinds={"case"},
        streams=lambda: (f"case:{p}" for p in Case.objects.values_list("public_id", flat=True)),
    )
