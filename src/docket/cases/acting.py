"""How every case service acts: check, then execute, in one transaction.

``open_for_action`` locks the case and reads its record; ``perform`` chooses the
capacity in which the person acts, asks the protocol engine, and either raises a
``ProtocolRefusal`` carrying the engine's reasons and clauses, or appends the event and
brings the case tables up to date. Side effects (notices) are queued with
``on_commit`` so nothing is sent for a transaction that rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from docket.access.selectors import case_for, seats_in_case
from docket.core import clock
from docket.core.errors import InvalidInput, ProtocolRefusal
from docket.ledger.models import LedgerEvent
from docket.ledger.services import ledger_append
from docket.org.models import Body, Person, SeatTerm
from docket.protocol.engine import (
    PART_FIELDS,
    Evaluation,
    Named,
    Verdict,
    evaluate,
    participant_of,
)
from docket.protocol.schema import Protocol
from docket.protocol.state import Event, Participant

from . import projection
from .models import Case
from .protocols import case_protocol

# Listeners told about each appended case event after commit (notices, indexes).
_AFTER_COMMIT: list[Callable[[Case, LedgerEvent], None]] = []


def on_case_event(listener: Callable[[Case, LedgerEvent], None]) -> None:
    """Register a function called after commit for every event appended to a case."""
    if listener not in _AFTER_COMMIT:
        _AFTER_COMMIT.append(listener)


def off_case_event(listener: Callable[[Case, LedgerEvent], None]) -> None:
    """Undo ``on_case_event`` (tests, and areas switched off)."""
    if listener in _AFTER_COMMIT:
        _AFTER_COMMIT.remove(listener)


@dataclass
class CaseContext:
    case: Case
    protocol: Protocol
    events: list[Event]
    evaluation: Evaluation
    appended: list[LedgerEvent] = field(default_factory=list)

    @property
    def stream(self) -> str:
        return self.case.stream

    @property
    def head(self) -> int:
        return self.events[-1].seq if self.events else 0


def load(case: Case, *, at: datetime | None = None, lock: bool = True) -> CaseContext:
    """Read a case's record and the engine's view of it (locking the case row)."""
    if lock:
        case = Case.objects.select_for_update().select_related("protocol").get(pk=case.pk)
    protocol = case_protocol(case.protocol)
    events = projection.case_events(case)
    return CaseContext(case, protocol, events, evaluate(protocol, events, at or clock.now()))


def open_for_action(person: Person, public_id: str) -> CaseContext:
    """The case ``person`` wants to act on, or NotFound if they may not see it."""
    standing = case_for(person, public_id)
    return load(standing.case)


def capacities_of(
    ctx: CaseContext, person: Person, at: datetime, terms: Iterable[SeatTerm] | None = None
) -> list[str]:
    """The capacities in which ``person`` could act now, the most specific first.
    ``terms``: the person's terms begun by ``at``, with their seats' bodies, when the
    caller has read them already (``Standing.terms``)."""
    if terms is None:
        terms = (
            SeatTerm.objects.filter(person=person, starts_at__lte=at)
            .select_related("seat__body")
            .order_by("seat__body__key")
        )
    bodies: list[Body] = [
        t.seat.body
        for t in terms
        if t.ends_at is None or t.ends_at > at or _may_finish(ctx, t, person)
    ]
    holding = ctx.evaluation.state.holding_body
    keys: list[str] = []
    for body in bodies:
        spec = ctx.protocol.bodies.get(body.key)
        if spec is None or (spec.per_unit and body.unit_id != ctx.case.unit_id):
            continue
        if body.key not in keys:
            keys.append(body.key)
    keys.sort(key=lambda k: (k != holding, k))
    return [f"body:{k}" for k in keys] + [_role_capacity(ctx, person)]


def _may_finish(ctx: CaseContext, term: SeatTerm, person: Person) -> bool:
    spec = ctx.protocol.bodies.get(term.seat.body.key)
    current = ctx.evaluation.state.proceeding
    return bool(
        term.may_finish_open_cases
        and spec is not None
        and spec.panel_survives_term
        and current is not None
        and current.body == term.seat.body.key
        and person.public_id in current.panel
        and not ctx.evaluation.state.closed
    )


def _role_capacity(ctx: CaseContext, person: Person) -> str:
    roles = ctx.evaluation.state.roles_of(person.public_id)
    for role in (
        "respondent",
        "complainant",
        "respondent_advocate",
        "complainant_advocate",
        "investigator",
        "witness",
    ):
        if role in roles:
            return role
    return "member" if hasattr(person, "membership") else "guest"


def _participant(person: Person, capacity: str) -> Participant:
    # Exactly as the engine will read the recorded event, so live == history.
    probe = Event(0, "", person.public_id, capacity, clock.now(), {})
    return participant_of(probe)


def named_in(
    ctx: CaseContext, action: str, payload: Mapping[str, Any], at: datetime
) -> Named | None:
    """For a step that gives someone a part in the case (``engine.PART_FIELDS``), what
    the engine needs beyond the record: whether that person is on record here, and the
    bodies through which they hold a seat in the case (``access.seats_in_case``). The
    engine decides; this only reads."""
    field_name = PART_FIELDS.get(action)
    if field_name is None:
        return None
    public_id = str(payload.get(field_name) or "")
    named = Person.objects.filter(public_id=public_id).first() if public_id else None
    if named is None:
        return {}
    return {public_id: seats_in_case(named, ctx.case, at)}


def refusal(ctx: CaseContext, verdict: Verdict) -> ProtocolRefusal:
    reasons: list[dict[str, Any]] = [
        {
            "code": r.code,
            "clause": r.clause,
            "rule": r.rule,
            "message": r.message(ctx.protocol),
            "data": dict(r.data),
        }
        for r in verdict.refusals
    ]
    return ProtocolRefusal(
        " ".join(str(r["message"]) for r in reasons),
        data={
            "action": verdict.action,
            "reasons": reasons,
            "deviable_by": list(verdict.deviable_by),
        },
    )


def perform(
    ctx: CaseContext,
    *,
    person: Person,
    action: str,
    payload: Mapping[str, Any],
    deviation: Mapping[str, Any] | None = None,
    expect_seq: int | None = None,
    occurred_at: datetime | None = None,
    capacity: str | None = None,
    provenance: str = "live",
    recorded_by: str = "",
    enforce: bool = True,
) -> LedgerEvent:
    """Take ``action`` on the case as ``person``: refuse with the engine's reasons, or
    append the event and refresh the case tables. ``enforce=False`` records history as it
    happened (imports), breaches included; the engine then reports them."""
    from docket.events.registry import validate
    from docket.protocol.actions import ACTIONS

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("perform() must run inside the service's transaction")
    at = occurred_at or clock.now()
    event_type = ACTIONS[action].event
    clean = validate(event_type, payload)
    if deviation is not None:
        deviation = {**deviation, "rules": list(deviation.get("rules", []))}
    evaluation = ctx.evaluation if occurred_at is None else evaluate(ctx.protocol, ctx.events, at)
    named = named_in(ctx, action, clean, at) if enforce else None
    if capacity is None:
        candidates = capacities_of(ctx, person, at)
        if deviation is not None:
            # A deviation is the act of the empowered body: only its members may take it.
            # Anyone else is answered as if they had asked without one.
            wanted = f"body:{deviation.get('body', '')}"
            if wanted in candidates:
                candidates = [wanted]
            else:
                deviation = None
        verdicts = [
            (c, evaluation.check(action, _participant(person, c), clean, deviation, named))
            for c in candidates
        ]
        chosen = next(((c, v) for c, v in verdicts if v.allowed), verdicts[0])
        capacity, verdict = chosen
    else:
        verdict = evaluation.check(action, _participant(person, capacity), clean, deviation, named)
    if enforce and not verdict.allowed:
        if all(r.code == "protocol.unknown_reference" for r in verdict.refusals):
            raise InvalidInput(
                " ".join(r.reason for r in verdict.refusals),
                code="input.unknown_reference",
                data={"action": action},
            )
        refused = refusal(ctx, verdict)
        refused.data["capacity"] = capacity  # who they tried to act as, for the record
        raise refused
    if deviation is not None and verdict.deviation:
        deviation = {**deviation, "rules": [r.rule for r in verdict.refusals if r.rule]}
    elif deviation is not None and enforce:
        raise InvalidInput(
            "Nothing needs a deviation here; take the step without one.",
            code="deviation.unneeded",
        )
    return _append(
        ctx,
        type=event_type,
        actor=person.public_id,
        capacity=capacity,
        payload=clean,
        occurred_at=occurred_at,
        recorded_by=recorded_by,
        provenance=provenance,
        deviation=deviation,
        expect_seq=expect_seq,
    )


def _append(ctx: CaseContext, *, occurred_at: datetime | None, **row_fields: Any) -> LedgerEvent:
    """Append one event to the case's ledger and bring its tables up to date."""
    seen = row_fields.get("expect_seq")
    # Refused attempts since the caller looked are on the record but changed nothing:
    # they do not make the caller's view of the case stale.
    if (
        seen is not None
        and seen < ctx.head
        and all(e.type == REFUSED for e in ctx.events if e.seq > seen)
    ):
        row_fields["expect_seq"] = ctx.head
    row = ledger_append(stream=ctx.stream, occurred_at=occurred_at, **row_fields)
    ctx.events.append(projection.engine_event(row))
    at = occurred_at or clock.now()
    ctx.evaluation = evaluate(ctx.protocol, ctx.events, max(at, clock.now()))
    projection.refresh(ctx.case, ctx.protocol, ctx.events, ctx.evaluation)
    ctx.appended.append(row)
    case = ctx.case
    transaction.on_commit(lambda: [listener(case, row) for listener in list(_AFTER_COMMIT)])
    return row


REFUSED = "step.refused"


def refusal_payload(refused: ProtocolRefusal) -> dict[str, Any] | None:
    """What the record keeps of a refused step: the step and the protocol's reasons
    (codes, clauses, rules), never what the person tried to record."""
    data = refused.data or {}
    reasons = [
        {"code": r["code"], "clause": r.get("clause") or None, "rule": r.get("rule") or None}
        for r in data.get("reasons", [])
    ]
    if not data.get("action") or not reasons:
        return None
    return {"action": data["action"], "reasons": reasons}


def keep_refusal(person: Person, public_id: str, refused: ProtocolRefusal) -> None:
    """Put a step the engine refused on the case's record (``step.refused``): who tried
    it, in which capacity, when, and why it was refused. Runs after the refused step's
    own transaction was rolled back, in a transaction of its own."""

    payload = refusal_payload(refused)
    if payload is None:
        return
    capacity = str((refused.data or {}).get("capacity") or "member")
    with transaction.atomic():
        ctx = open_for_action(person, public_id)
        record_refused(ctx, person=person, capacity=capacity, payload=payload)


def record_refused(
    ctx: CaseContext,
    *,
    person: Person,
    capacity: str,
    payload: Mapping[str, Any],
    occurred_at: datetime | None = None,
    provenance: str = "live",
    recorded_by: str = "",
) -> LedgerEvent:
    """Append a ``step.refused`` event (live, or from an imported record)."""
    from docket.events.registry import validate

    return _append(
        ctx,
        type=REFUSED,
        actor=person.public_id,
        capacity=capacity,
        payload=validate(REFUSED, payload),
        occurred_at=occurred_at,
        recorded_by=recorded_by,
        provenance=provenance,
        deviation=None,
        expect_seq=None,
    )
