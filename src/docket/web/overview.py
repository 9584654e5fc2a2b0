"""Many cases at a glance (the dashboard, a body's case list): the engine's obligations
for each open case, read with a fixed number of queries — the events of all the cases
in one query, the person's parts and seats in one each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from docket.access.selectors import PARTY_ROLES
from docket.cases.models import Case, CaseBody, CaseRole
from docket.cases.projection import engine_event
from docket.cases.protocols import case_protocol
from docket.ledger.models import LedgerEvent
from docket.org.models import Person, SeatTerm
from docket.protocol.engine import Obligation, evaluate
from docket.protocol.schema import Protocol
from docket.protocol.state import Event

from .casepage import owed_by_viewer

ROLE_WORDS = {
    "complainant": "Complainant",
    "respondent": "Respondent",
    "complainant_advocate": "Advocate for the complainant",
    "respondent_advocate": "Advocate for the respondent",
    "panel_chair": "Chair of the panel",
    "panel": "On the panel",
    "investigator": "Investigator",
    "witness": "Witness",
    "reporter": "Reported it",
    "grantee": "Time-limited access",
}
ROLE_ORDER = list(ROLE_WORDS)


@dataclass
class CaseRow:
    case: Case
    roles: set[str] = field(default_factory=set)
    bodies: list[str] = field(default_factory=list)  # body names through which it is seen
    obligations: list[Obligation] = field(default_factory=list)
    mine: list[Obligation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def party(self) -> bool:
        return bool(self.roles & set(PARTY_ROLES))

    @property
    def full_record(self) -> bool:
        return not self.party and (
            bool(self.bodies)
            or bool(self.roles & {"panel", "panel_chair", "investigator", "grantee"})
        )

    @property
    def role_label(self) -> str:
        for role in ROLE_ORDER:
            if role in self.roles:
                return _(ROLE_WORDS[role])
        if self.bodies:
            return _("Member of the %(body)s") % {"body": self.bodies[0]}
        return ""

    @property
    def group(self) -> str:
        if self.party:
            return "party"
        if self.roles & {"panel", "panel_chair", "investigator"}:
            return "panel"
        if self.bodies:
            return "body"
        return "other"

    @property
    def overdue(self) -> list[Obligation]:
        return [o for o in self.obligations if o.status == "overdue"]

    @property
    def title(self) -> str:
        return self.case.reference or _("New complaint (not yet opened)")


def _seat_bodies(person: Person, at: datetime) -> dict[int, str]:
    terms = SeatTerm.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at), person=person, starts_at__lte=at
    ).select_related("seat__body")
    return {t.seat.body_id: t.seat.body.key for t in terms}


def overview(person: Person, cases: Sequence[Case], at: datetime) -> list[CaseRow]:
    """One row per case, with the engine's open obligations and those owed by ``person``."""
    rows = {c.pk: CaseRow(c) for c in cases}
    if not rows:
        return []
    for case_id, role in CaseRole.objects.filter(
        Q(until__isnull=True) | Q(until__gt=at), person=person, case_id__in=rows
    ).values_list("case_id", "role"):
        rows[case_id].roles.add(role)
    seats = _seat_bodies(person, at)
    links = CaseBody.objects.filter(case_id__in=rows, body_id__in=seats).filter(
        Q(relation="holder", current=True) | Q(relation="addressed")
    )
    for link in links.select_related("body"):
        if link.body.name not in rows[link.case_id].bodies:
            rows[link.case_id].bodies.append(link.body.name)
    open_streams = {c.stream: rows[c.pk] for c in cases if not c.closed}
    if open_streams:
        query = (
            LedgerEvent.objects.filter(stream__in=list(open_streams))
            .order_by("stream", "seq")
            .only(
                "stream", "seq", "type", "actor", "capacity", "occurred_at", "payload", "deviation"
            )
        )
        grouped: dict[str, list[Event]] = defaultdict(list)
        for ledger_row in query:
            grouped[ledger_row.stream].append(engine_event(ledger_row))
        my_keys = set(seats.values())
        # Each case follows its bound version plus amendments for open cases, the same
        # protocol the services judge by; one lookup per distinct version.
        followed: dict[int, Protocol] = {}
        for stream, events in grouped.items():
            row = open_streams[stream]
            version = row.case.protocol
            if version.pk not in followed:
                followed[version.pk] = case_protocol(version)
            evaluation = evaluate(followed[version.pk], events, at)
            row.events = events
            row.obligations = evaluation.open_obligations()
            state = evaluation.state
            keys = {f"body:{k}" for k in my_keys} | set(state.roles_of(person.public_id))
            if state.holding_body in my_keys:
                keys.add("holding_body")
            row.mine = [o for o in row.obligations if owed_by_viewer(o.owed_by, keys)]
    return list(rows.values())
