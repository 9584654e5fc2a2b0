"""Acceptance (issue 5): over random organizations, parts and moments, every way of listing
cases agrees with the detail check, and both agree with the access rule as written.

The rule (docs/access.md, ``docket.access.selectors``): a person sees a case when the
record gives them a part in it (party, advocate, witness, investigator, reporter), or an
explicit grant that has not run out, or — on a panel — while they hold a seat in the
holding body (or a term that lets panels finish open cases), or when they hold a seat,
at that moment, in the body that holds the case now or a body it was addressed to; a
declared conflict or recusal denies everything.

``expected`` below is that rule written again in plain Python over the rows, independent
of the ORM query it checks. For each random world and moment, for every person (and
nobody): the list (``visible_cases``), its count, the repeat-subject list
(``intake.routing.cases_told_about``) and every detail check (``case_for``) must agree
with it. Random worlds write the projection rows directly (Case, CaseRole, CaseBody,
seats and terms: all projections); ``test_services_built_cases_*`` builds real cases
through the services and checks the same at moments across 2013-2024.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.access.selectors import case_for, visible_cases, visible_page
from docket.cases import services as s
from docket.cases.models import Case, CaseBody, CaseRole, ProtocolVersion
from docket.core.clock import frozen_at
from docket.core.errors import NotFound
from docket.org.models import Body, Person, Seat, SeatTerm

from .conftest import ACTOR, CAP, at, new_member, new_term

pytestmark = pytest.mark.django_db

# A person's own stake in the case: a conflict never takes it away.
OWN = {"complainant", "respondent", "complainant_advocate", "respondent_advocate",
       "witness", "reporter"}  # fmt: skip
PANEL = {"panel", "panel_chair"}
ROLES = sorted(CaseRole.Role.values)
T0 = datetime(2020, 1, 6, 12, tzinfo=UTC)


# --- the rule, written again over plain rows ----------------------------------------------


@dataclass(frozen=True)
class Term:
    person: int
    body: int
    starts: datetime
    ends: datetime | None
    may_finish: bool


@dataclass(frozen=True)
class CaseRow:
    pk: int
    public_id: str
    closed: bool
    holding: int | None
    survives: bool  # the protocol lets the holding body's panel finish after terms end
    roles: frozenset[tuple[int, str, datetime | None]]  # (person, role, until)
    bodies: frozenset[tuple[int, str, bool]]  # (body, relation, current)


def snapshot() -> tuple[list[Term], list[CaseRow]]:
    terms = [
        Term(t.person_id, t.seat.body_id, t.starts_at, t.ends_at, t.may_finish_open_cases)
        for t in SeatTerm.objects.select_related("seat")
    ]
    cases = []
    for case in Case.objects.all():
        cases.append(
            CaseRow(
                case.pk,
                case.public_id,
                case.closed,
                case.holding_body_id,
                case.panel_survives_term,
                frozenset(
                    CaseRole.objects.filter(case=case).values_list("person_id", "role", "until")
                ),
                frozenset(
                    CaseBody.objects.filter(case=case).values_list("body_id", "relation", "current")
                ),
            )
        )
    return terms, cases


def seat_bodies(terms: Iterable[Term], person: int, moment: datetime) -> set[int]:
    return {
        t.body
        for t in terms
        if t.person == person and t.starts <= moment and (t.ends is None or t.ends > moment)
    }


def expected(terms: list[Term], case: CaseRow, person: int, moment: datetime) -> bool:
    roles = {role for p, role, _ in case.roles if p == person}
    if roles & OWN:
        return True
    if "conflicted" in roles:  # bars every other route
        return False
    if "investigator" in roles:
        return True
    if any(
        p == person and role == "grantee" and until is not None and until > moment
        for p, role, until in case.roles
    ):
        return True
    seats = seat_bodies(terms, person, moment)
    finishing = {
        t.body for t in terms if t.person == person and t.may_finish and t.starts <= moment
    }
    finishing_here = not case.closed and case.survives and case.holding in finishing
    if roles & PANEL and (case.holding in seats or finishing_here):
        return True
    return any(
        body in seats and ((relation == "holder" and current) or relation == "addressed")
        for body, relation, current in case.bodies
    )


def expected_bodies(terms: list[Term], case: CaseRow, person: int, moment: datetime) -> set[int]:
    seats = seat_bodies(terms, person, moment)
    return {
        body
        for body, relation, current in case.bodies
        if body in seats and ((relation == "holder" and current) or relation == "addressed")
    }


def as_if_many(person: Person | None, moment: datetime) -> set[int]:
    """visible_cases as it answers someone whose bodies hold at least MANY_CASES cases."""
    from docket.access import selectors

    threshold = selectors.MANY_CASES
    selectors.MANY_CASES = 0
    try:
        return set(visible_cases(person, moment).values_list("pk", flat=True))
    finally:
        selectors.MANY_CASES = threshold


def pages_as_if_many(person: Person | None, moment: datetime, threshold: int) -> list[list[int]]:
    """The pages ``visible_page`` reads route by route, with the threshold between "few"
    and "many" rows set to ``threshold``: the whole list, and a window inside it."""
    from docket.access import selectors

    kept = selectors.MANY_CASES
    selectors.MANY_CASES = threshold
    try:
        return [
            [c.pk for c in visible_page(person, moment, start, stop)]
            for start, stop in ((0, 10_000), (1, 3))
        ]
    finally:
        selectors.MANY_CASES = kept


def check_world(people: list[Person | None], moment: datetime) -> int:
    """Every list agrees with every detail check and with the rule; returns how many
    (person, case) pairs were visible (so that callers can tell the test saw something)."""
    from docket.intake.routing import cases_told_about

    terms, cases = snapshot()
    seen = 0
    for person in people:
        listed = set(visible_cases(person, moment).values_list("pk", flat=True))
        assert visible_cases(person, moment).count() == len(listed)
        # The form used for people whose bodies hold a great many cases agrees.
        assert as_if_many(person, moment) == listed
        # A page read route by route is the same slice of the same order, whichever
        # routes count as "many" (walked in order) or "few" (started from their rows).
        ordered = list(visible_cases(person, moment).values_list("pk", flat=True))
        for threshold in (0, 2):
            assert pages_as_if_many(person, moment, threshold) == [ordered, ordered[1:3]]
        # The list does not repeat a case (joins through several routes stay distinct).
        assert len(list(visible_cases(person, moment).values_list("pk", flat=True))) == len(listed)
        detail = set()
        refusals: list[NotFound] = []
        for case in cases:
            try:
                standing = case_for(person, case.public_id, moment)
            except NotFound as refused:
                refusals.append(refused)
                continue
            detail.add(case.pk)
            assert person is not None
            assert standing.case.pk == case.pk
            own_roles = {
                role
                for p, role, until in case.roles
                if p == person.pk and not (role == "grantee" and (until is None or until <= moment))
            }
            assert standing.roles == own_roles
            assert standing.bodies == expected_bodies(terms, case, person.pk, moment)
        rule = {c.pk for c in cases if person is not None and expected(terms, c, person.pk, moment)}
        assert listed == detail == rule, (person, moment, listed, detail, rule)
        assert all(r.code == "case.not_found" and r.status == 404 for r in refusals)
        # A nonexistent id answers exactly like an invisible case.
        with pytest.raises(NotFound) as missing:
            case_for(person, "ZZZZZZZZZZZZZZZZ", moment)
        assert missing.value.code == "case.not_found"
        # Repeat-subject notices: only ever about cases the person may see.
        if person is not None:
            with frozen_at(moment):
                told = set(cases_told_about(person).values_list("pk", flat=True))
            assert told <= detail
        seen += len(detail)
    return seen


# --- random worlds ------------------------------------------------------------------------

N_PEOPLE = 7
DAY = timedelta(days=1)


@dataclass
class Skeleton:
    people: list[Person]
    bodies: list[Body]
    protocol: ProtocolVersion
    units: list[Any]


@pytest.fixture
def skeleton(league: Any) -> Skeleton:
    people = [new_member(league, f"Random Person {i}", f"R-{i:04d}") for i in range(N_PEOPLE)]
    # Two people who are not members: a guest complainant, an outside witness.
    from docket.org.services import person_create

    with frozen_at(T0 - 400 * DAY):
        for label in ("Guest G", "Outside witness O"):
            people.append(person_create(actor=ACTOR, capacity=CAP, display_name=label,
                                        pseudonymous=True))  # fmt: skip
    return Skeleton(
        people=people,
        bodies=list(Body.objects.order_by("pk")),
        protocol=ProtocolVersion.objects.get(protocol_id="league-disciplinary", version=1),
        units=list(league.units.values()),
    )


def day(n: int) -> datetime:
    return T0 + n * DAY


terms_st = st.lists(
    st.tuples(
        st.integers(0, N_PEOPLE + 1),  # person index
        st.integers(0, 6),  # body index (ndc, sc, ac, two branch executives; clipped)
        st.integers(-5, 8),  # starts (day)
        st.one_of(st.none(), st.integers(1, 8)),  # length in days, or open-ended
        st.booleans(),  # may finish open cases
    ),
    max_size=10,
)
case_st = st.fixed_dictionaries(
    {
        "closed": st.booleans(),
        "survives": st.booleans(),
        "holding": st.one_of(st.none(), st.integers(0, 6)),
        "unit": st.integers(0, 2),
        "roles": st.lists(
            st.tuples(
                st.integers(0, N_PEOPLE + 1),
                st.sampled_from(ROLES),
                st.integers(-3, 10),  # grant until (day), used for grantee only
            ),
            max_size=8,
        ),
        "bodies": st.lists(
            st.tuples(
                st.integers(0, 6), st.sampled_from(["holder", "addressed"]), st.integers(0, 3)
            ),
            max_size=4,
        ),
        "current": st.booleans(),
    }
)
world_st = st.fixed_dictionaries(
    {
        "terms": terms_st,
        "cases": st.lists(case_st, min_size=1, max_size=4),
        "moments": st.lists(
            st.tuples(st.integers(-6, 12), st.sampled_from([0, 1, 12, 23])),
            min_size=1,
            max_size=3,
        ),
    }
)


def materialize(sk: Skeleton, world: dict[str, Any]) -> None:
    bodies = sk.bodies
    for i, (pi, bi, start, length, finish) in enumerate(world["terms"]):
        body = bodies[bi % len(bodies)]
        seat = Seat.objects.create(body=body, number=100 + i, created_at=day(-30))
        SeatTerm.objects.create(
            seat=seat,
            person=sk.people[pi % len(sk.people)],
            starts_at=day(start),
            ends_at=None if length is None else day(start + length),
            may_finish_open_cases=finish,
            reason="random",
            recorded_by="test",
            recorded_at=day(-30),
        )
    for spec in world["cases"]:
        holding = None if spec["holding"] is None else bodies[spec["holding"] % len(bodies)]
        case = Case.objects.create(
            category="random",
            protocol=sk.protocol,
            unit=sk.units[spec["unit"] % len(sk.units)],
            stage="closed" if spec["closed"] else "investigation",
            closed=spec["closed"],
            holding_body=holding,
            panel_survives_term=spec.get("survives", True),
        )
        seen_roles = set()
        for pi, role, until in spec["roles"]:
            person = sk.people[pi % len(sk.people)]
            if (person.pk, role) in seen_roles:
                continue
            seen_roles.add((person.pk, role))
            CaseRole.objects.create(
                case=case, person=person, role=role, until=day(until) if role == "grantee" else None
            )
        seen_bodies = set()
        for n, (bi, relation, proceeding) in enumerate(spec["bodies"]):
            body = bodies[bi % len(bodies)]
            proc = proceeding if relation == "holder" else -1
            if (body.pk, relation, proc) in seen_bodies:
                continue
            seen_bodies.add((body.pk, relation, proc))
            CaseBody.objects.create(
                case=case,
                body=body,
                relation=relation,
                proceeding=proc,
                since_seq=n + 1,
                # The projection marks the holder of the current proceeding of an open case.
                current=relation == "holder" and spec["current"] and body == holding,
            )


class Rollback(Exception):
    pass


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=world_st)
def test_lists_counts_and_details_agree_with_the_rule(skeleton: Skeleton, world: Any) -> None:
    # Each example writes its own rows inside a savepoint and throws them away.
    try:
        with transaction.atomic():
            materialize(skeleton, world)
            people: list[Person | None] = [None, *skeleton.people]
            for offset, hour in world["moments"]:
                check_world(people, day(offset) + timedelta(hours=hour))
            raise Rollback
    except Rollback:
        pass


def test_the_random_worlds_can_see_something(skeleton: Skeleton) -> None:
    """Control: a hand-made world where each route gives access once, so the property
    test above is known to compare non-empty sets."""
    world = {
        "terms": [(0, 1, -1, None, False), (1, 0, -1, 1, True), (2, 3, -1, None, False)],
        "cases": [
            {
                "closed": False,
                "holding": 0,
                "unit": 1,
                "current": True,
                "roles": [
                    (1, "panel", 0),
                    (3, "witness", 0),
                    (4, "grantee", 5),
                    (5, "grantee", -1),
                    (6, "respondent", 0),
                    (6, "conflicted", 0),
                ],
                "bodies": [(0, "holder", 0), (1, "addressed", 0), (3, "holder", 0)],
            },
        ],
        "moments": [(2, 0)],
    }
    with transaction.atomic():
        materialize(skeleton, world)
        moment = day(2)
        people = skeleton.people
        case = Case.objects.get(category="random")
        assert check_world([None, *people], moment) > 0
        visible = {p.display_name for p in people if visible_cases(p, moment).filter(pk=case.pk)}
        assert visible == {
            "Random Person 0",  # SC seat; the case was addressed to the SC
            "Random Person 1",  # on the panel; NDC term ended but may finish open cases
            "Random Person 3",  # witness
            "Random Person 4",  # grant until day 5
            "Random Person 6",  # the respondent: a conflict does not take one's own case
        }, visible
        # Random Person 2 sits on the Harbor executive, which held the case once (not now);
        # Random Person 5's grant ran out.
        transaction.set_rollback(True)


# --- cases built through the services -----------------------------------------------------


MOMENTS = [
    "2013-03-04T21:00:00-05:00",  # referred to the NDC
    "2013-03-15T12:00:00-04:00",  # NDC panel sitting
    "2013-06-22T12:00:00-04:00",  # mistrial declared, objection addressed to the SC
    "2013-07-20T12:00:00-04:00",  # AC reinvestigating
    "2013-10-01T12:00:00-04:00",  # closed
    "2015-06-01T12:00:00-04:00",  # NDC terms over
    "2019-03-26T12:00:00-04:00",  # reopened by the 2019 SC
    "2019-04-03T12:00:00-04:00",  # second case: investigator, panel, conflict, grant
    "2019-05-20T12:00:00-04:00",  # grant over
    "2024-06-01T12:00:00-04:00",
]


def second_case(league: Any) -> Case:
    """A 2019 case at Bay City with an investigator, a panel, a recusal and a grant."""
    p = league.person
    inv = new_member(league, "Ines Investigator", "L-8001", unit="bay-city")
    n5, n6, n7, n8 = (new_member(league, f"NDC 2019 member {i}", f"L-810{i}") for i in range(4))
    for person in (n5, n6, n7, n8):
        new_term(league, person, "ndc", date(2019, 1, 12), may_finish=True)
    grantee = new_member(league, "Gil Grantee", "L-8002")
    BC1 = p("BC1")
    with frozen_at(at("2019-04-01T12:00:00-04:00")):
        case = s.complaint_receive(
            by=BC1,
            protocol_id="league-disciplinary",
            received_by="branch_executive",
            category="harassment",
            channel="in_person",
            reporter_role="affected",
            complainants=[p("W4")],
            respondents=[p("W1")],
            unit=league.units["bay-city"],
            allegations=[s.AllegationInput("A1", "Code of Conduct s.3", "Repeated messages.")],
            account="W4's account, given to the Bay City executive.",
        )
        ref = case.public_id
        s.case_refer(by=BC1, case=ref, to_body="ndc", reasons="Beyond the branch.")
    with frozen_at(at("2019-04-02T12:00:00-04:00")):
        s.case_open(by=n5, case=ref, body="ndc", reference="2019-001")
        s.panel_name(by=n5, case=ref, body="ndc", members=[n5, n6, n7], chair=n5)
        s.investigator_appoint(by=n5, case=ref, person=inv)
        s.conflict_declare(by=n7, case=ref, reasons="I share a flat with the respondent.")
        s.access_grant(
            by=n5, case=ref, person=grantee, until=at("2019-05-01T12:00:00-04:00"),
            reason="Legal advice.",
        )  # fmt: skip
    case.refresh_from_db()
    return case


def test_services_built_cases_agree_at_every_moment(league: Any) -> None:
    from docket.demo.reference_live import run_reference_case

    reference = run_reference_case(league).case
    second = second_case(league)
    roles = set(CaseRole.objects.filter(case=second).values_list("role", flat=True))
    assert {"investigator", "panel", "panel_chair", "conflicted", "grantee"} <= roles
    people: list[Person | None] = [None, *Person.objects.order_by("pk")]
    total = 0
    for text in MOMENTS:
        total += check_world(people, at(text))
    assert total > 20
    # Spot checks that tie the rule to the story.
    with frozen_at(at("2019-04-03T12:00:00-04:00")):
        bc1 = league.person("BC1")
        # The Bay City officer received the second case and referred it on: no longer hers.
        assert not visible_cases(bc1).filter(pk=second.pk).exists()
        assert not visible_cases(bc1).filter(pk=reference.pk).exists()
        assert visible_cases(league.person("W4")).count() == 2  # witness, then complainant
