"""Who is told what: recipients of notices, from the case's roles, bodies and seats.

Everything here answers from the projections (``CaseRole``, ``CaseBody``) and the seats
held at the moment asked, and the caller then keeps only those who pass
``visible_cases`` at that moment. Nobody outside a case is ever a candidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from docket.cases.models import Case, CaseBody, CaseRole
from docket.org.models import Body, Person, SeatTerm
from docket.protocol.engine import Obligation
from docket.protocol.schema import Protocol

from .models import NoticeKind

SIDES = ("complainant", "respondent")
# Actions by which a body oversees another's handling of a case: its members hear of
# overdue duties (when the case is addressed to them, so that they may see it).
OVERSIGHT_ACTIONS = ("annul_proceeding", "overrule_decision", "order_reinvestigation")


@dataclass(frozen=True)
class Wanted:
    """A notice someone should get: the caller checks access and stores it once."""

    person_id: int
    kind: str
    dedupe_key: str
    due_at: datetime | None = None
    party: bool = False


def side_people(case: Case, side: str) -> set[int]:
    """The party on ``side`` and their advocates."""
    return set(
        CaseRole.objects.filter(case=case, role__in=(side, f"{side}_advocate")).values_list(
            "person_id", flat=True
        )
    )


def party_side_people(case: Case) -> set[int]:
    return side_people(case, "complainant") | side_people(case, "respondent")


def panel_people(case: Case, *, chair_only: bool = False) -> set[int]:
    roles = ("panel_chair",) if chair_only else ("panel", "panel_chair")
    return set(
        CaseRole.objects.filter(case=case, role__in=roles).values_list("person_id", flat=True)
    )


def _seat_holders(bodies: Iterable[int], at: datetime) -> set[int]:
    in_term = Q(starts_at__lte=at) & (Q(ends_at__isnull=True) | Q(ends_at__gt=at))
    return set(
        SeatTerm.objects.filter(in_term, seat__body_id__in=list(bodies)).values_list(
            "person_id", flat=True
        )
    )


def holding_people(case: Case, at: datetime) -> set[int]:
    """Members of the body holding the case now, and its panel."""
    bodies = CaseBody.objects.filter(case=case, relation="holder", current=True).values_list(
        "body_id", flat=True
    )
    return _seat_holders(bodies, at) | panel_people(case)


def body_people(case: Case, protocol: Protocol, key: str, at: datetime) -> set[int]:
    """Members of the body with protocol key ``key`` (the case's own unit for per-unit
    bodies such as branch executives)."""
    spec = protocol.bodies.get(key)
    bodies = Body.objects.filter(key=key)
    if spec is not None and spec.per_unit:
        bodies = bodies.filter(unit=case.unit)
    return _seat_holders(bodies.values_list("id", flat=True), at)


def escalation_people(case: Case, protocol: Protocol, at: datetime) -> set[int]:
    """Whom an overdue duty is escalated to: the holding body and its panel, the bodies
    the case was addressed to, and the protocol's oversight bodies."""
    people = holding_people(case, at)
    addressed = CaseBody.objects.filter(case=case, relation="addressed").values_list(
        "body_id", flat=True
    )
    people |= _seat_holders(addressed, at)
    for action in OVERSIGHT_ACTIONS:
        rule = protocol.actions.get(action)
        for capacity in rule.by if rule is not None else ():
            if capacity.startswith("body:"):
                people |= body_people(case, protocol, capacity.removeprefix("body:"), at)
    return people


def owing_people(case: Case, protocol: Protocol, owed_by: str, at: datetime) -> set[int]:
    """Who owes an obligation (``owed_by`` as the protocol's deadlines write it)."""
    if owed_by in SIDES:
        return side_people(case, owed_by)
    if owed_by == "party":
        return party_side_people(case)
    if owed_by == "holding_body":
        return holding_people(case, at)
    if owed_by in ("panel", "panel_chair"):
        return panel_people(case, chair_only=owed_by == "panel_chair")
    if owed_by in ("complainant_advocate", "respondent_advocate", "investigator", "witness"):
        return set(
            CaseRole.objects.filter(case=case, role=owed_by).values_list("person_id", flat=True)
        )
    if owed_by.startswith("body:"):
        return body_people(case, protocol, owed_by.removeprefix("body:"), at)
    return set()


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def _is_party_duty(owed_by: str) -> bool:
    return owed_by in (*SIDES, "party", "complainant_advocate", "respondent_advocate")


def for_event(
    case: Case,
    protocol: Protocol,
    event_type: str,
    payload: dict[str, object],
    seq: int,
    actor: str,
    started: list[Obligation],
    at: datetime,
) -> list[Wanted]:
    """The notices an event calls for. One per person per event: when several reasons
    apply to the same person, the first (most specific) wins and carries the earliest
    due date of the obligations the event started for them."""
    key = f"event:{seq}"
    wanted: dict[int, Wanted] = {}
    parties = party_side_people(case)

    def add(people: Iterable[int], kind: str, due: datetime | None = None) -> None:
        for pid in people:
            if pid not in wanted:
                wanted[pid] = Wanted(pid, kind, key, due, pid in parties)

    if event_type == "material.disclosed":
        add(side_people(case, str(payload.get("to", ""))), NoticeKind.MATERIAL_DISCLOSED)
    elif event_type == "hearing.scheduled":
        add(parties | panel_people(case), NoticeKind.HEARING_SCHEDULED, _moment(payload.get("at")))
    elif event_type in ("decision.issued", "decision.ratified", "decision.overruled"):
        add(parties, NoticeKind.DECISION_ISSUED)
    elif event_type == "appeal.filed":
        add(parties, NoticeKind.APPEAL_FILED)
    elif event_type == "appeal.decided":
        add(parties, NoticeKind.APPEAL_DECIDED)
    elif event_type in ("vote.opened", "panel.named"):
        add(panel_people(case), NoticeKind.ACTION_DUE)
    # Time limits the event started: tell whoever owes them, with the due date.
    for obligation in started:
        kind = (
            NoticeKind.RESPONSE_DUE if _is_party_duty(obligation.owed_by) else NoticeKind.ACTION_DUE
        )
        for pid in owing_people(case, protocol, obligation.owed_by, at):
            current = wanted.get(pid)
            if current is None:
                wanted[pid] = Wanted(pid, kind, key, obligation.due, pid in parties)
            elif current.due_at is None or (
                current.kind != NoticeKind.HEARING_SCHEDULED and obligation.due < current.due_at
            ):
                wanted[pid] = Wanted(pid, current.kind, key, obligation.due, current.party)
    actor_ids = set(Person.objects.filter(public_id=actor).values_list("id", flat=True))
    return [w for pid, w in wanted.items() if pid not in actor_ids]


def for_obligation(
    case: Case, protocol: Protocol, obligation: Obligation, at: datetime
) -> list[Wanted]:
    """Reminders before a time limit ends, escalations after a duty is overdue."""
    base = f"{obligation.deadline}:{obligation.started_seq}"
    parties = party_side_people(case)
    if obligation.status == "open" and at >= obligation.remind_at:
        people = owing_people(case, protocol, obligation.owed_by, at)
        return [
            Wanted(pid, NoticeKind.REMINDER, f"{base}:remind", obligation.due, pid in parties)
            for pid in people
        ]
    if obligation.status == "overdue":
        people = escalation_people(case, protocol, at) | owing_people(
            case, protocol, obligation.owed_by, at
        )
        return [
            Wanted(pid, NoticeKind.OVERDUE, f"{base}:overdue", obligation.due, pid in parties)
            for pid in people
        ]
    return []
