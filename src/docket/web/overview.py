"""Many cases at a glance (the dashboard, a body's case list), a page at a time: each
case's running deadlines come from the projected ``CaseObligation`` rows, and what is due
from the viewer across all their cases is one database query, so a page costs the same
whether the organization has a thousand cases or a hundred thousand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from docket.access.selectors import (
    LIMITING_ROLES,
    PARTY_ROLES,
    SEAT_ROLES,
    body_links,
    many,
    sees_whole_record,
    visible_cases,
    visible_page,
)
from docket.cases.models import Case, CaseBody, CaseObligation, CaseRole
from docket.cases.obligations import owed_by_q, owes
from docket.events.registry import event_type
from docket.ledger.models import LedgerEvent
from docket.org.models import Person, SeatTerm

PAGE_SIZE = 50
ATTENTION_LIMIT = 25  # obligations listed under "Needs your attention"

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


@dataclass(frozen=True)
class Running:
    """A running deadline as read at one moment: open or overdue."""

    obligation: CaseObligation
    status: str

    @classmethod
    def at(cls, obligation: CaseObligation, at: datetime) -> Running:
        return cls(obligation, obligation.status_at(at))

    def __getattr__(self, name: str) -> Any:  # text, clause, due, owed_by, case…
        return getattr(self.obligation, name)


@dataclass
class CaseRow:
    case: Case
    roles: set[str] = field(default_factory=set)
    bodies: list[str] = field(default_factory=list)  # body names through which it is seen
    obligations: list[Running] = field(default_factory=list)  # open or overdue
    mine: list[Running] = field(default_factory=list)

    @property
    def party(self) -> bool:
        return bool(self.roles & set(PARTY_ROLES))

    @property
    def full_record(self) -> bool:
        # As on the case page (access.selectors.Standing.full_record).
        return sees_whole_record(self.roles, bool(self.bodies))

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
    def overdue(self) -> list[Running]:
        return [o for o in self.obligations if o.status == "overdue"]

    @property
    def title(self) -> str:
        return case_title(self.case)


def case_title(case: Case) -> str:
    return case.reference or _("New complaint (not yet opened)")


def seat_bodies(person: Person, at: datetime) -> dict[int, str]:
    """Body id -> key, for the bodies ``person`` sits on at ``at``."""
    terms = SeatTerm.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at), person=person, starts_at__lte=at
    ).select_related("seat__body")
    return {t.seat.body_id: t.seat.body.key for t in terms}


@dataclass(frozen=True)
class Scope:
    """Who is looking and when, with what the access rule needs to know about them, read
    once per page: the bodies they sit on and how many case links those bodies have."""

    person: Person
    at: datetime
    seats: dict[int, str]  # what ``seat_bodies`` answered
    links: int  # what ``body_links`` answered

    @classmethod
    def of(cls, person: Person, at: datetime) -> Scope:
        return cls(person, at, seat_bodies(person, at), body_links(person, at))

    def seen(self, case: str, also: Q | None = None) -> Q:
        """Rows whose case (the field ``case``) the person may see (``visible_cases``),
        and that matches ``also`` (a filter on ``Case``)."""
        cases = visible_cases(self.person, self.at, links=self.links).order_by()
        if also is not None:
            cases = cases.filter(also)
        if many(self.links):
            # Checked case by case as the walk reaches it: asked of the rows directly,
            # PostgreSQL hashes every body link of the organization first (the body
            # clauses are inside an OR; 20-30 ms at 100,000 cases, here under 1 ms).
            return Q(Exists(cases.filter(pk=OuterRef(case))))
        return Q(**{f"{case}__in": cases.values("pk")})  # start from the person's few cases

    def followed(self, case: str) -> Q:
        """Rows whose case the person may see and follows as a whole
        (``whole_record_q``)."""
        return self.seen(case, whole_record_q(self.person, self.at, self.seats, case="pk"))


@dataclass
class Page:
    """One page of a list of cases, newest activity first."""

    rows: list[CaseRow]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_of(scope: Scope, number: int, among: Q | None = None) -> tuple[list[Case], int, bool]:
    """The ``number``-th page (counted from 1) of the cases ``scope.person`` may see (and
    that match ``among``), without counting them all: one row more than a page tells
    whether another page follows."""
    number = max(1, number)
    start = (number - 1) * PAGE_SIZE
    found = visible_page(
        scope.person, scope.at, start, start + PAGE_SIZE + 1, among, links=scope.links
    )
    return found[:PAGE_SIZE], number, len(found) > PAGE_SIZE


def overview(scope: Scope, cases: list[Case]) -> list[CaseRow]:
    """One row per case, with its running deadlines and those owed by ``scope.person``."""
    person, at, seats = scope.person, scope.at, scope.seats
    rows = {c.pk: CaseRow(c) for c in cases}
    if not rows:
        return []
    for case_id, role in CaseRole.objects.filter(
        Q(until__isnull=True) | Q(until__gt=at), person=person, case_id__in=rows
    ).values_list("case_id", "role"):
        rows[case_id].roles.add(role)
    links = CaseBody.objects.filter(case_id__in=rows, body_id__in=seats).filter(
        Q(relation="holder", current=True) | Q(relation="addressed")
    )
    for link in links.select_related("body"):
        if link.body.name not in rows[link.case_id].bodies:
            rows[link.case_id].bodies.append(link.body.name)
    running = CaseObligation.objects.filter(
        case_id__in=[c.pk for c in cases if not c.closed]
    ).order_by("due", "started_seq")
    for found in running:
        o = Running.at(found, at)
        if o.status == "lapsed":
            continue
        row = rows[o.case_id]
        row.obligations.append(o)
        if owes(o.owed_by, row.roles, seats.values(), row.case.holding_body_id in seats):
            row.mine.append(o)
    return list(rows.values())


def attention(scope: Scope) -> tuple[list[Running], list[Running]]:
    """What is due from ``scope.person`` (soonest first) and what is overdue (longest first) in
    the cases they may see: theirs to do, and, where they see the whole record, the
    case's. Each list holds at most ``ATTENTION_LIMIT`` obligations, read from the
    database whatever the number of cases."""
    person, at, seats = scope.person, scope.at, scope.seats
    running = CaseObligation.objects.filter(
        scope.seen("case_id"), case__closed=False
    ).select_related("case")
    mine = running.filter(owed_by_q(person.pk, at, seats))
    due = mine.filter(due__gte=at).order_by("due", "pk")[:ATTENTION_LIMIT]
    overdue = running.filter(kind="duty", due__lt=at).filter(
        owed_by_q(person.pk, at, seats) | whole_record_q(person, at, seats)
    )
    late = overdue.order_by("due", "pk")[:ATTENTION_LIMIT]
    return [Running.at(o, at) for o in due], [Running.at(o, at) for o in late]


def whole_record_q(person: Person, at: datetime, seats: dict[int, str], case: str = "case_id") -> Q:
    """Rows whose case (the field ``case``) ``person`` follows as a whole — through a
    body, a panel, an investigation or a grant, not as a party: the
    ``CaseRow.full_record`` rule, checked row by row so the database can stop early."""
    parts = CaseRole.objects.filter(case=OuterRef(case), person=person).filter(
        Q(until__isnull=True) | Q(until__gt=at)
    )
    through_body = CaseBody.objects.filter(case=OuterRef(case), body_id__in=list(seats)).filter(
        Q(relation="holder", current=True) | Q(relation="addressed")
    )
    # sees_whole_record, as SQL: a seat, or a grant to someone who is not a witness.
    through_seat = parts.filter(role__in=SEAT_ROLES)
    through_grant = parts.filter(role="grantee")
    witness = parts.filter(role="witness")
    own_side = parts.filter(role__in=LIMITING_ROLES)
    seat = Q(Exists(through_body)) | Q(Exists(through_seat))
    return (seat | (Q(Exists(through_grant)) & ~Q(Exists(witness)))) & ~Q(Exists(own_side))


def recent_activity(rows: list[CaseRow], limit: int = 10) -> list[tuple[Any, CaseRow, str]]:
    """The latest entries on the cases of ``rows`` the viewer sees whole (the rows of the
    first page are the most recently active cases)."""
    whole = {row.case.stream: row for row in rows if row.full_record}
    if not whole:
        return []
    latest = (
        LedgerEvent.objects.filter(stream__in=list(whole))
        .order_by("-occurred_at", "-seq")
        .only("stream", "seq", "type", "occurred_at")[:limit]
    )
    return [(e, whole[e.stream], event_type(e.type).summary) for e in latest]
