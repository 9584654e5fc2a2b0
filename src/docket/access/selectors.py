"""Who may see which case, at a given moment. One selector for everything.

A person sees a case when the record gives them a part in it, or when they hold a
seat, at that moment, in a body that holds the case now or to which it was addressed,
or when they hold an explicit grant that has not expired. A declared conflict or a
recusal denies access whatever else applies. Lists, searches, counts, exports and
notifications all call ``visible_cases``; the detail check, ``case_for``, applies the same
rule to one case over the few rows that concern it (``_sees``, kept in step with the
query and checked against it by tests/access), and answers a case that may not be seen
exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from docket.cases.models import Case, CaseBody, CaseRole
from docket.core import clock
from docket.core.errors import NotFound
from docket.org.models import Person, SeatTerm

PARTY_ROLES = ("complainant", "respondent", "complainant_advocate", "respondent_advocate")
# Parts that are a person's own stake in the case: a declared conflict never takes them
# away (a conflict bars the seat, the panel and grants, not one's own case).
OWN_ROLES = (*PARTY_ROLES, "witness", "reporter")
PANEL_ROLES = ("panel", "panel_chair")
# Parts that keep a person from the whole record whatever seat they hold: a party's side
# (one does not judge one's own case) and a declared conflict. Any other part (a witness)
# never lowers what a seat, a panel, an investigation or a grant gives.
LIMITING_ROLES = (*PARTY_ROLES, "conflicted")
WHOLE_RECORD_ROLES = (*PANEL_ROLES, "investigator", "grantee")
# Parts that come with a seat or an appointment by the holding body.
SEAT_ROLES = (*PANEL_ROLES, "investigator")


def sees_whole_record(roles: Collection[str], through_body: bool) -> bool:
    """Whether someone with these parts in a case, who sees it through a body or not,
    follows its whole record: never on a party's side or with a declared conflict; always
    through a seat (a part never lowers what a seat gives, so a witness who sits on the
    holding body or its panel sees it whole); through a grant, unless they are a witness
    (a grant does not lift a witness above their part: their account must not be shaped
    by reading the others')."""
    held = set(roles)
    if held & set(LIMITING_ROLES):
        return False
    if through_body or held & set(SEAT_ROLES):
        return True
    return "grantee" in held and "witness" not in held


def _in_term(at: datetime) -> Q:
    return Q(starts_at__lte=at) & (Q(ends_at__isnull=True) | Q(ends_at__gt=at))


def _seat_bodies(person: Person, at: datetime) -> QuerySet[SeatTerm, Any]:
    return SeatTerm.objects.filter(_in_term(at), person=person).values("seat__body_id")


def _finishing_bodies(person: Person, at: datetime) -> QuerySet[SeatTerm, Any]:
    # Terms that ended but whose holders may finish the panels they sit on.
    return SeatTerm.objects.filter(
        person=person, may_finish_open_cases=True, starts_at__lte=at
    ).values("seat__body_id")


def visible_cases(
    person: Person | None, at: datetime | None = None, *, links: int | None = None
) -> QuerySet[Case]:
    """Every case ``person`` may see at ``at`` (default: now). ``links``: what
    ``body_links(person, at)`` answered, when the caller already asked."""
    if person is None:
        return Case.objects.none()
    at = at or clock.now()
    roles = CaseRole.objects.filter(case=OuterRef("pk"), person=person)
    seats = _seat_bodies(person, at)
    own = Exists(roles.filter(role__in=OWN_ROLES))
    investigator = Exists(roles.filter(role="investigator"))
    granted = Exists(roles.filter(role="grantee", until__gt=at))
    # A panel member keeps the case while they hold a seat in the holding body, or, while
    # the case is open, a finished term — where both the term and the protocol let
    # panels complete their cases.
    panel = Exists(roles.filter(role__in=PANEL_ROLES)) & (
        Q(holding_body__in=seats)
        | (
            Q(closed=False, panel_survives_term=True)
            & Q(holding_body__in=_finishing_bodies(person, at))
        )
    )
    holder_or_addressed = Exists(
        CaseBody.objects.filter(case=OuterRef("pk"), body__in=seats).filter(
            Q(relation="holder", current=True) | Q(relation="addressed")
        )
    )
    denied = Exists(roles.filter(role="conflicted"))
    rule = own | ((investigator | granted | panel | holder_or_addressed) & ~denied)
    links = body_links(person, at) if links is None else links
    if many(links):
        # Someone on a body that holds a great many cases: the rule row by row lets the
        # database walk cases in the order asked for and stop at the end of the page.
        return Case.objects.filter(rule)
    # Every route to a case passes through a part of this person's in it (CaseRole) or a
    # link of the case to a body they sit on (CaseBody); restricting to those cases first
    # lets the database start from the person's few rows instead of every case. Without
    # any link (most people: parties, members), the links are left out of the question,
    # so the database does not plan for the cases of bodies they do not sit on.
    candidates = CaseRole.objects.filter(person=person).values("case_id")
    if links:
        candidates = candidates.union(
            CaseBody.objects.filter(body__in=seats, relation__in=("holder", "addressed")).values(
                "case_id"
            )
        )
    return Case.objects.filter(Q(pk__in=candidates), rule)


# Past this many cases linked to a person's bodies, starting from those cases costs more
# than checking the rule on each case in turn (both give the same answer).
MANY_CASES = 500


def many(links: int) -> bool:
    """Are ``links`` (what ``body_links`` answered) so many that checking the rule case
    by case, in the order asked for, is the better plan?"""
    return links >= MANY_CASES


def body_links(person: Person, at: datetime) -> int:
    """How many links of cases to the bodies ``person`` sits on at ``at`` (holder or
    addressed), counted up to ``MANY_CASES``."""
    links = CaseBody.objects.filter(
        body__in=_seat_bodies(person, at), relation__in=("holder", "addressed")
    )
    return links.values("pk")[:MANY_CASES].count()


PAGE_RELATED = ("protocol", "holding_body")


def visible_page(
    person: Person | None,
    at: datetime,
    start: int,
    stop: int,
    among: Q | None = None,
    *,
    links: int | None = None,
) -> list[Case]:
    """Cases ``start`` to ``stop`` of those ``person`` may see at ``at`` (and that match
    ``among``), most recently active first: ``visible_cases(...)[start:stop]``, read so
    that the first page costs the same among a hundred thousand cases as among a
    thousand.

    Someone whose bodies hold many cases (``many``) reaches them by three routes:
    their own part in a case, another part in it (panel, investigator, grant), or a body
    they sit on. Asked as one question, the routes are alternatives (``OR``) and
    PostgreSQL answers by hashing every row of every route first (all 200,000 panel rows
    of a chair who sits on every panel). Asked route by route, each is one walk down
    the activity index that stops after ``stop`` cases (or, for a route of few rows, a
    start from those rows); the page is the first ``stop`` of what the routes found.
    ``links``: what ``body_links(person, at)`` answered, when the caller already asked.
    """
    if person is None:
        return []
    among = among if among is not None else Q()
    links = body_links(person, at) if links is None else links
    if not many(links):
        return list(
            visible_cases(person, at, links=links)
            .filter(among)
            .select_related(*PAGE_RELATED)[start:stop]
        )
    roles = CaseRole.objects.filter(person=person)
    parts = roles.filter(
        Q(role="investigator")
        | Q(role="grantee", until__gt=at)
        | (
            Q(role__in=PANEL_ROLES)
            & (
                Q(case__holding_body__in=_seat_bodies(person, at))
                | Q(
                    case__closed=False,
                    case__panel_survives_term=True,
                    case__holding_body__in=_finishing_bodies(person, at),
                )
            )
        )
    )
    bodies = CaseBody.objects.filter(
        Q(relation="holder", current=True) | Q(relation="addressed"),
        body__in=_seat_bodies(person, at),
    )
    not_denied = ~Exists(roles.filter(case=OuterRef("pk"), role="conflicted"))
    # (rows, what else must hold, whether the rows are known to be many): ``body_links``
    # has counted the bodies' links already.
    routes = (
        (roles.filter(role__in=OWN_ROLES), Q(), False),
        (parts, not_denied, False),
        (bodies, not_denied, True),
    )
    found: set[int] = set()
    for rows, also, known_many in routes:
        walk = known_many
        if not known_many:
            size = rows.values("pk")[: max(MANY_CASES, 1)].count()
            if not size:
                continue
            walk = many(size)
        # A route of many rows walks cases in order, checking each, and stops at
        # ``stop``; a route of few rows starts from them.
        on_route = (
            Q(Exists(rows.filter(case=OuterRef("pk"))))
            if walk
            else Q(pk__in=rows.values("case_id"))
        )
        found.update(Case.objects.filter(among, on_route, also).values_list("pk", flat=True)[:stop])
    return list(Case.objects.filter(pk__in=found).select_related(*PAGE_RELATED)[start:stop])


@dataclass(frozen=True)
class Standing:
    """How a person stands in a case they may see: what the pages may show them."""

    case: Case
    person: Person
    roles: frozenset[str]
    bodies: frozenset[int]  # body ids through which they see it
    # Their seat terms begun by the moment asked about (ended ones too), with each seat's
    # body: what ``capacities_of`` needs, read once here.
    terms: tuple[SeatTerm, ...] = ()

    @property
    def is_party_side(self) -> bool:
        return bool(self.roles & set(PARTY_ROLES))

    @property
    def party(self) -> str | None:
        """complainant or respondent: whose side they are on (for the party portal)."""
        for side in ("respondent", "complainant"):
            if side in self.roles or f"{side}_advocate" in self.roles:
                return side
        return None

    @property
    def full_record(self) -> bool:
        """Bodies, panels, investigators and grantees see the whole record — never someone
        on a party's side, whatever seat they also hold, and never someone with a declared
        conflict. A witness's part does not lower what their seat gives."""
        return sees_whole_record(self.roles, bool(self.bodies))


def seats_in_case(person: Person, case: Case, at: datetime | None = None) -> frozenset[str]:
    """The bodies (protocol keys) through which ``person`` holds a seat in ``case`` at
    ``at``: those they sit on that hold the case now or to which it was addressed. What
    the protocol engine needs to know, beyond the record, before it lets someone give
    this person a part in the case (``docket.protocol.engine.Named``)."""
    at = at or clock.now()
    return frozenset(
        CaseBody.objects.filter(case=case, body__in=_seat_bodies(person, at))
        .filter(Q(relation="holder", current=True) | Q(relation="addressed"))
        .values_list("body__key", flat=True)
    )


def case_for(person: Person | None, public_id: str, at: datetime | None = None) -> Standing:
    """The case and the person's standing in it, or NotFound — the same answer for a case
    that exists but may not be seen."""
    at = at or clock.now()
    if person is None:
        raise NotFound("No such case.", code="case.not_found")
    # A missing case runs the same queries as one the person may not see, so that neither
    # the answer nor the time it takes tells them apart.
    case: Case | None
    try:
        case = Case.objects.select_related("protocol", "holding_body").get(public_id=public_id)
    except Case.DoesNotExist:
        case = None
    case_pk = case.pk if case is not None else 0  # no row has id 0
    parts = list(
        CaseRole.objects.filter(case_id=case_pk, person=person).values_list("role", "until")
    )
    terms = tuple(
        SeatTerm.objects.filter(person=person, starts_at__lte=at).select_related("seat__body")
    )
    seats = {t.seat.body_id for t in terms if t.ends_at is None or t.ends_at > at}
    finishing = {t.seat.body_id for t in terms if t.may_finish_open_cases}
    # The case's links to bodies are few (one per proceeding, and addresses): all of
    # them, kept where the person sits on the body and it holds the case now or the
    # case was addressed to it.
    bodies = frozenset(
        body
        for body, relation, current in (
            CaseBody.objects.filter(case_id=case_pk).values_list("body_id", "relation", "current")
            if seats
            else ()
        )
        if body in seats and ((relation == "holder" and current) or relation == "addressed")
    )
    if case is None or not _sees(case, parts, seats, finishing, bodies, at):
        raise NotFound("No such case.", code="case.not_found")
    roles = frozenset(
        role
        for role, until in parts
        if not (role == "grantee" and until is not None and until <= at)
    )
    return Standing(case=case, person=person, roles=roles, bodies=bodies, terms=terms)


def _sees(
    case: Case,
    parts: list[tuple[str, datetime | None]],
    seats: set[int],
    finishing: set[int],
    bodies: frozenset[int],
    at: datetime,
) -> bool:
    """``visible_cases``'s rule for one case, over the person's rows: their parts in it
    (role, until), the bodies they sit on at ``at``, the bodies of terms that let them
    finish open cases, and the bodies among ``seats`` that hold the case now or to which
    it was addressed."""
    roles = {role for role, _ in parts}
    if roles & set(OWN_ROLES):
        return True
    if "conflicted" in roles:
        return False
    if "investigator" in roles:
        return True
    if any(role == "grantee" and until is not None and until > at for role, until in parts):
        return True
    if roles & set(PANEL_ROLES) and (
        case.holding_body_id in seats
        or (not case.closed and case.panel_survives_term and case.holding_body_id in finishing)
    ):
        return True
    return bool(bodies)
