"""Read side of the org area: everything is asked "as at" a moment.

History rows are the truth; "current" is just ``at=now()``. Intervals are half-open:
a term with ``ends_at`` = T is not held at T, a suspension ``until`` U is over at U.
A ``date`` given as ``at`` means the start of that day in the organization's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from docket.core.clock import now
from docket.core.errors import NotFound
from docket.org import codes
from docket.org.models import (
    Body,
    Membership,
    OfficeHeld,
    Organization,
    Person,
    SeatTerm,
    Standing,
    StandingChange,
    Unit,
    UnitTransfer,
)

Moment = date | datetime | None


def organization() -> Organization:
    org = Organization.objects.first()
    if org is None:
        raise NotFound("The organization has not been set up yet.", code=codes.ORG_MISSING)
    return org


def as_moment(at: Moment, *, org: Organization | None = None) -> datetime:
    if at is None:
        return now()
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValueError("selectors need aware datetimes")
        return at
    zone = ZoneInfo((org or organization()).time_zone)
    return datetime.combine(at, time.min, tzinfo=zone)


# --- units -----------------------------------------------------------------------------


def unit_by_key(key: str) -> Unit:
    unit = Unit.objects.filter(key=key).first()
    if unit is None:
        raise NotFound(f"There is no unit {key!r}.", code=codes.UNIT_NOT_FOUND, data={"key": key})
    return unit


def unit_path(unit: Unit) -> list[Unit]:
    """The unit and its ancestors, root first (national > region > branch)."""
    by_id = {u.id: u for u in Unit.objects.filter(organization_id=unit.organization_id)}
    path = [unit]
    while path[-1].parent_id is not None:
        path.append(by_id[path[-1].parent_id])
    return list(reversed(path))


def unit_subtree_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it (a region's branches)."""
    children: dict[int | None, list[int]] = {}
    for uid, parent in Unit.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(uid)
    found, todo = set(), [unit.id]
    while todo:
        uid = todo.pop()
        found.add(uid)
        todo.extend(children.get(uid, []))
    return found


# --- members ---------------------------------------------------------------------------


def person_for_user(user: object) -> Person | None:
    """The person an account signs in as (None for accounts with no part in the org),
    with the organization (its time zone dates every page)."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return Person.objects.select_related("organization").filter(user_id=pk).first()


def membership_of(person: Person) -> Membership | None:
    return Membership.objects.filter(person=person).first()


@dataclass(frozen=True)
class StandingAt:
    """A member's standing at a moment, and since when it has held."""

    status: Standing
    since: datetime
    until: datetime | None = None
    proceeding: str = ""
    change: StandingChange | None = None
    lapsed: bool = False  # True when a dated suspension or leave has run out

    @property
    def in_good_standing(self) -> bool:
        return self.status == Standing.ACTIVE


def standing_from_history(changes: list[StandingChange], at: datetime) -> StandingAt | None:
    """Fold a member's standing changes (in effective order) at ``at``; pure, for lists."""
    current: StandingChange | None = None
    for change in changes:
        if change.effective_at <= at:
            current = change
        else:
            break
    if current is None:
        return None
    if current.until is not None and at >= current.until:
        # "Suspended until U" needs no second action: at U the member is active again.
        return StandingAt(status=Standing.ACTIVE, since=current.until, change=current, lapsed=True)
    return StandingAt(
        status=Standing(current.status),
        since=current.effective_at,
        until=current.until,
        proceeding=current.proceeding,
        change=current,
    )


def standing_history(person: Person) -> list[StandingChange]:
    return list(
        StandingChange.objects.filter(membership__person=person).order_by("effective_at", "id")
    )


def standing_at(person: Person, at: Moment = None) -> StandingAt | None:
    """None when the person is not a member (or had not yet joined) at ``at``."""
    moment = as_moment(at)
    return standing_from_history(standing_history(person), moment)


def unit_history(person: Person) -> list[UnitTransfer]:
    return list(
        UnitTransfer.objects.filter(membership__person=person)
        .select_related("from_unit", "to_unit")
        .order_by("effective_at", "id")
    )


def unit_at(person: Person, at: Moment = None) -> Unit | None:
    moment = as_moment(at)
    row = (
        UnitTransfer.objects.filter(membership__person=person, effective_at__lte=moment)
        .select_related("to_unit")
        .order_by("-effective_at", "-id")
        .first()
    )
    return row.to_unit if row else None


def offices_held(person: Person, at: Moment = None) -> QuerySet[OfficeHeld]:
    moment = as_moment(at)
    return (
        OfficeHeld.objects.filter(membership__person=person, starts_at__lte=moment)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=moment))
        .select_related("unit", "body")
    )


def office_history(person: Person) -> QuerySet[OfficeHeld]:
    return OfficeHeld.objects.filter(membership__person=person).select_related("unit", "body")


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    unit: Unit | None
    standing: StandingAt | None


def members_at(at: Moment = None, *, unit: Unit | None = None) -> list[MemberRow]:
    """Every member who had joined by ``at``, with unit and standing then.

    ``unit`` keeps those whose unit at ``at`` is that unit or below it. Two queries
    beyond the memberships, whatever the number of members.
    """
    moment = as_moment(at)
    members = list(
        Membership.objects.filter(joined_at__lte=moment)
        .select_related("person")
        .order_by("member_number")
    )
    ids = [m.id for m in members]
    changes: dict[int, list[StandingChange]] = {}
    for change in StandingChange.objects.filter(membership_id__in=ids).order_by(
        "effective_at", "id"
    ):
        changes.setdefault(change.membership_id, []).append(change)
    units: dict[int, Unit] = {}
    for transfer in (
        UnitTransfer.objects.filter(membership_id__in=ids, effective_at__lte=moment)
        .select_related("to_unit")
        .order_by("effective_at", "id")
    ):
        units[transfer.membership_id] = transfer.to_unit
    allowed = unit_subtree_ids(unit) if unit is not None else None
    rows = []
    for m in members:
        where = units.get(m.id)
        if allowed is not None and (where is None or where.id not in allowed):
            continue
        rows.append(MemberRow(m, where, standing_from_history(changes.get(m.id, []), moment)))
    return rows


# --- bodies, seats, terms --------------------------------------------------------------


def _in_term(moment: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_at__lte": moment}) & (
        Q(**{f"{prefix}ends_at__isnull": True}) | Q(**{f"{prefix}ends_at__gt": moment})
    )


def body_by_key(key: str, *, unit: Unit | None = None) -> Body:
    """The body with a protocol key; per-unit bodies (branch executives) need the unit."""
    bodies = Body.objects.filter(key=key)
    if unit is not None:
        bodies = bodies.filter(unit=unit)
    found = list(bodies[:2])
    if len(found) != 1:
        raise NotFound(f"There is no single body {key!r}.", data={"key": key})
    return found[0]


def seats_held(person: Person, at: Moment = None) -> QuerySet[SeatTerm]:
    """The terms ``person`` is serving at ``at`` (a term ended yesterday gives nothing)."""
    moment = as_moment(at)
    return SeatTerm.objects.filter(_in_term(moment), person=person).select_related(
        "seat", "seat__body"
    )


def finishing_terms(person: Person, at: Moment = None) -> QuerySet[SeatTerm]:
    """Ended terms whose panel may still finish the cases it held (protocol permitting).

    The access layer combines these with the cases each panel held when the term ended.
    """
    moment = as_moment(at)
    return SeatTerm.objects.filter(
        person=person, may_finish_open_cases=True, ends_at__lte=moment
    ).select_related("seat", "seat__body")


def body_terms(body: Body, at: Moment = None) -> QuerySet[SeatTerm]:
    moment = as_moment(at)
    return SeatTerm.objects.filter(_in_term(moment), seat__body=body).select_related(
        "person", "seat"
    )


def body_members(body: Body, at: Moment = None) -> QuerySet[Person]:
    moment = as_moment(at)
    return Person.objects.filter(
        id__in=SeatTerm.objects.filter(_in_term(moment), seat__body=body).values("person_id")
    ).order_by("display_name", "id")


def bodies_of(person: Person, at: Moment = None) -> QuerySet[Body]:
    moment = as_moment(at)
    return Body.objects.filter(
        id__in=SeatTerm.objects.filter(_in_term(moment), person=person).values("seat__body_id")
    ).order_by("id")
