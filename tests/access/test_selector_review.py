"""A critical reading of ``docket.access.selectors``, as tests.

Regressions that hold (earlier panels after a hand-over, branch executives of other
units, expired grants, administrators, accounts without a person) pass; holes found in
review are strict xfails that name the hole — they start failing the day it is closed,
and then the marker goes. See docs/access.md, "Known holes".
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from docket.access.selectors import case_for, visible_cases
from docket.accounts.models import User
from docket.cases import services as s
from docket.cases.models import CaseRole
from docket.core.clock import frozen_at
from docket.core.errors import NotFound
from docket.org.selectors import person_for_user

from .conftest import PINNED, World, at, build_world, new_member, new_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(league: Any) -> World:
    return build_world(league)


def sees(person: Any, world: World, moment: Any = None) -> bool:
    try:
        case_for(person, world.case.public_id, moment or PINNED)
    except NotFound:
        return False
    return True


def test_earlier_panels_lose_the_case_when_it_is_handed_on(world: World) -> None:
    """The 2013 NDC panel, even re-elected to the NDC in 2019: the case went on to the AC
    and then the SC; a seat in a body that no longer holds it gives nothing."""
    for key in ("N1", "N2", "N3"):
        person = world.league.person(key)
        new_term(world.league, person, "ndc", date(2019, 1, 12), may_finish=True)
        roles = set(
            CaseRole.objects.filter(case=world.case, person=person).values_list("role", flat=True)
        )
        assert roles == {"earlier_panel"}, roles
        assert not sees(person, world), key


@pytest.mark.xfail(
    strict=True,
    reason="LIMITATION (reported): visible_cases(person, at) honours `at` for seats, terms "
    "and grants only; parts in the case (panels, holders) come from the projection as it "
    "is now, so a question about the past gets today's parts. The AC panel that sat in "
    "July 2013 is told it could not see the case then.",
)
def test_a_question_about_the_past_gets_the_past_answer(world: World) -> None:
    assert sees(world.league.person("X2"), world, at("2013-07-20T12:00:00-04:00"))


def test_branch_executives_of_other_units_see_nothing(world: World) -> None:
    bc1 = world.league.person("BC1")
    for text in ("2013-03-04T21:00:00-05:00", "2013-03-05T12:00:00-05:00", "2019-03-26T12:00"):
        moment = at(text + ("-04:00" if text.endswith("12:00") else ""))
        assert not visible_cases(bc1, moment).exists(), text
    # The Harbor executive held it until the referral, and not after.
    b1 = world.league.person("B1")
    assert not sees(b1, world, at("2013-03-11T12:00:00-04:00"))


def test_a_grant_ends_exactly_at_its_until(world: World) -> None:
    lapsed = world.person("grant_expired")
    until = CaseRole.objects.get(case=world.case, person=lapsed, role="grantee").until
    assert until is not None
    assert sees(lapsed, world, until - timedelta(microseconds=1))
    assert not sees(lapsed, world, until)


def test_administrators_see_no_case_by_being_administrators(world: World) -> None:
    admin = world.account("administrator")
    assert admin.is_staff
    assert admin.is_superuser
    person = person_for_user(admin)
    assert person is not None
    assert not visible_cases(person, PINNED).exists()
    assert not sees(person, world)


def test_accounts_without_a_person_see_nothing(world: World) -> None:
    user = User.objects.create_user("nobody@example.org", "x-x-x-x-x-x-x-x")
    assert person_for_user(user) is None
    assert not visible_cases(None, PINNED).exists()
    assert not sees(None, world)


def test_people_without_accounts_are_judged_the_same(world: World) -> None:
    """The selector speaks of people, not accounts: W3 (a non-member, no account) is a
    witness and sees the case as one; linking an account changes nothing."""
    w3 = world.league.person("W3")
    assert w3.user_id is None
    assert sees(w3, world)


def test_a_conflict_denies_a_body_member_everything(world: World) -> None:
    oversight = world.person("oversight")
    assert sees(oversight, world)
    with frozen_at(PINNED):
        s.conflict_declare(
            by=world.person("panel"),
            case=world.case.public_id,
            person=oversight,
            reasons="Shares a household with the complainant's advocate.",
        )
    assert not sees(oversight, world)


def test_a_party_on_the_holding_body_does_not_get_the_full_record(world: World) -> None:
    r = world.league.person("R")
    new_term(world.league, r, "sc", date(2019, 1, 12))
    standing = case_for(r, world.case.public_id, PINNED)
    assert standing.party == "respondent"
    assert not standing.full_record


def test_a_conflict_does_not_take_a_partys_own_case_away(world: World) -> None:
    r = world.league.person("R")
    new_term(world.league, r, "sc", date(2019, 1, 12))
    with frozen_at(PINNED):
        s.conflict_declare(
            by=world.person("panel"),
            case=world.case.public_id,
            person=r,
            reasons="The respondent sits on the Steering Committee.",
        )
    assert sees(r, world)


def test_a_panel_survives_its_term_only_where_the_protocol_says_so(world: World) -> None:
    member = new_member(world.league, "Finn Flagged", "L-9040")
    term = new_term(world.league, member, "sc", date(2019, 1, 12), may_finish=True)
    with frozen_at(PINNED):
        s.panel_name(
            by=world.person("oversight"),
            case=world.case.public_id,
            body="sc",
            members=[world.person("panel"), member],
            chair=world.person("panel"),
        )
    from docket.org.services import seat_term_end

    from .conftest import ACTOR, CAP

    with frozen_at(PINNED + timedelta(hours=1)):
        seat_term_end(actor=ACTOR, capacity=CAP, term=term, reason="Resigned.")
    assert not sees(member, world, PINNED + timedelta(hours=2))


def test_a_witness_part_does_not_lower_a_seat(world: World) -> None:
    """Issue 24: a seat holder who is also a witness (on the record from before the rule,
    or by their own statement) keeps what the seat gives; a party's side does not."""
    seated = world.person("seat_named_advocate_or_witness")
    CaseRole.objects.create(case=world.case, person=seated, role="witness")
    standing = case_for(seated, world.case.public_id, PINNED)
    assert "witness" in standing.roles
    assert standing.full_record


def test_parts_given_by_a_party_are_refused_in_the_matrix_world(world: World) -> None:
    """The attempts ``build_world`` makes leave no part behind."""
    for role in ("given_a_part_by_a_party", "seat_named_advocate_or_witness"):
        person = world.person(role)
        assert not CaseRole.objects.filter(case=world.case, person=person).exists(), role
    assert not sees(world.person("given_a_part_by_a_party"), world)
    assert case_for(
        world.person("seat_named_advocate_or_witness"), world.case.public_id, PINNED
    ).full_record
