"""Fixtures for the need-to-know tests: the League, the reference case run live, and a
cast of people — one for every part a person can have in a case, or not have — each
with a verified, MFA-enrolled account linked to their League person.

The cast (``World.cast``) is the matrix's list of roles. The moment every request is
made at is ``PINNED`` (a week after the Steering Committee reopened the 2013 case for
review): the SC holds the case, the 2013 panels' terms have long ended, a new SC panel
sits, one of its members has recused and another's term has just ended.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from docket.accounts.models import User
from docket.cases import services as s
from docket.cases.models import Case, CaseRole
from docket.cases.protocols import protocol_adopt_file, shipped_protocols
from docket.core.clock import frozen_at
from docket.org.models import Person
from docket.org.services import (
    member_admit,
    person_create,
    person_link_account,
    seat_create,
    seat_term_begin,
    seat_term_end,
)

TEST_PASSWORD = "correct-horse-battery-staple"  # the same as tests/conftest.py
ACTOR, CAP = "test-setup", "administrator"

# After the reference run (its last step is 2019-03-25) and the extra 2019 steps below.
PINNED = datetime(2019, 4, 8, 16, 0, tzinfo=UTC)
STEPS_2019 = datetime(2019, 4, 1, 16, 0, tzinfo=UTC)
TERM_ENDED = datetime(2019, 4, 5, 16, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    # Argon2 is right for production and slow for forty accounts per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def protocols(db: None) -> dict[str, Any]:
    # Only the League's protocol: these tests need no other, and do not depend on the
    # other templates being valid at every moment.
    return {
        p.stem: protocol_adopt_file(p, actor="test")
        for p in shipped_protocols()
        if p.stem == "league-v1"
    }


# --- people and accounts ------------------------------------------------------------------


def new_member(league: Any, name: str, number: str, unit: str = "harbor") -> Person:
    with frozen_at(datetime(2012, 2, 1, 12, tzinfo=UTC)):
        person = person_create(actor=ACTOR, capacity=CAP, display_name=name)
        member_admit(
            actor=ACTOR,
            capacity=CAP,
            person=person,
            member_number=number,
            joined_on=date(2012, 2, 1),
            unit=league.units[unit],
            reason="Joined",
        )
    league.people[name] = person
    return person


def new_term(
    league: Any,
    person: Person,
    body_key: str,
    starts: date,
    ends: date | None = None,
    *,
    may_finish: bool = False,
) -> Any:
    body = league.bodies[body_key]
    with frozen_at(max(datetime(starts.year, starts.month, starts.day, 12, tzinfo=UTC),
                       datetime(2012, 1, 9, 12, tzinfo=UTC))):  # fmt: skip
        seat = seat_create(actor=ACTOR, capacity=CAP, body=body)
        return seat_term_begin(
            actor=ACTOR,
            capacity=CAP,
            seat=seat,
            person=person,
            starts=starts,
            ends=ends,
            may_finish_open_cases=may_finish,
            reason="Elected",
        )


def account_for(
    person: Person, *, mfa: bool = True, staff: bool = False, email: str | None = None
) -> User:
    """A verified account for ``person`` (a TOTP authenticator enrolled unless ``mfa`` is
    False), linked through the org service."""
    email = email or f"{person.public_id.lower()}@example.org"
    if staff:
        user = User.objects.create_superuser(email, TEST_PASSWORD)
    else:
        user = User.objects.create_user(email, TEST_PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    person_link_account(actor=ACTOR, capacity=CAP, person=person, user=user, reason="Test account")
    person.refresh_from_db()
    return user


# --- the world of the matrix --------------------------------------------------------------

# role -> may this role see the reference case at PINNED?
EXPECTED = {
    "anonymous": False,
    "member": False,  # a member with no part in the case
    "complainant": True,
    "respondent": True,
    "witness": True,
    "complainant_advocate": True,
    "respondent_advocate": True,
    "investigator": True,
    "panel": True,  # sits on the SC's review panel
    "panel_recused": False,  # named to it, then declared a conflict
    "panel_term_ended": False,  # named to it; the SC seat ended (SC panels do not survive)
    "earlier_panel_term_ended": False,  # sat on the 2013 AC panel; term ended 2016
    "oversight": True,  # SC member, not on the panel (the SC holds the case)
    "appeals": False,  # a 2019 AC member: the case is not before the AC
    "branch_officer": False,  # Bay City branch executive; never part of the case
    "grantee": True,  # an explicit grant that has not expired
    "grant_expired": False,  # an explicit grant whose end has passed
    "administrator": False,  # administers the organization; no part in the case
    # Issue 24: parts given by someone else. The complainant tried to make this member a
    # witness: refused.
    "given_a_part_by_a_party": False,
    # An SC member (the SC holds the case) whom the respondent tried to name advocate and
    # the complainant a witness: refused, and the seat still gives the whole record.
    "seat_named_advocate_or_witness": True,
}


@dataclass
class World:
    league: Any
    case: Case
    cast: dict[str, Person | None]
    accounts: dict[str, User | None]
    refusals: dict[str, Any] = field(default_factory=dict)

    def person(self, role: str) -> Person:
        person = self.cast[role]
        assert person is not None, role
        return person

    def account(self, role: str) -> User:
        user = self.accounts[role]
        assert user is not None, role
        return user


def build_world(league: Any) -> World:
    from docket.demo.reference_live import run_reference_case

    p = league.person
    run = run_reference_case(league)
    case = run.case
    ref = case.public_id
    member = new_member(league, "Quinn Member", "L-9001")
    s6 = new_member(league, "Sasha Panel", "L-9006")
    s7 = new_member(league, "Tove Recused", "L-9007")
    s8 = new_member(league, "Uma Ended", "L-9008")
    s9 = new_member(league, "Vic Oversight", "L-9009")
    x9 = new_member(league, "Wren Appeals", "L-9019")
    inv = new_member(league, "Yara Investigator", "L-9020")
    grantee = new_member(league, "Zed Grantee", "L-9021")
    lapsed = new_member(league, "Abe Lapsed", "L-9022")
    admin = new_member(league, "Bea Admin", "L-9023")
    for person in (s6, s7, s9):
        new_term(league, person, "sc", date(2019, 1, 12))
    new_term(league, s8, "sc", date(2019, 1, 12))
    new_term(league, x9, "ac", date(2019, 1, 12), may_finish=True)
    S5 = p("S5")
    with frozen_at(STEPS_2019):
        s.panel_name(by=S5, case=ref, body="sc", members=[s6, s7, s8], chair=s6)
    with frozen_at(STEPS_2019 + timedelta(hours=1)):
        s.conflict_declare(by=s7, case=ref, reasons="I am a friend of the respondent.")
    with frozen_at(STEPS_2019 + timedelta(hours=2)):
        s.access_grant(
            by=S5,
            case=ref,
            person=grantee,
            until=PINNED + timedelta(days=30),
            reason="Legal advice to the review.",
        )
        s.access_grant(
            by=S5,
            case=ref,
            person=lapsed,
            until=PINNED - timedelta(days=1),
            reason="A short look for the minutes.",
        )
    with frozen_at(TERM_ENDED):
        term = s8.seat_terms.get()
        seat_term_end(actor=ACTOR, capacity=CAP, term=term, reason="Resigned from the SC.")
    outsider = new_member(league, "Cleo Outsider", "L-9024")
    seated = new_member(league, "Dev Seated", "L-9025")
    new_term(league, seated, "sc", date(2019, 1, 12))
    with frozen_at(STEPS_2019 + timedelta(hours=3)):
        # Refused, and kept on the record as step.refused (which refreshes the tables).
        _attempt_parts(ref, p("C"), p("R"), outsider, advocate=False)
        _attempt_parts(ref, p("C"), p("R"), seated)
    # League v1 lets the holding body appoint an investigator only while a case is under
    # investigation, and the review is not; the investigator's part is therefore written
    # into the projection directly, last (no step runs after this, so nothing rebuilds
    # it). The property tests appoint investigators through the service.
    CaseRole.objects.create(case=case, person=inv, role="investigator")
    case.refresh_from_db()
    cast: dict[str, Person | None] = {
        "anonymous": None,
        "member": member,
        "complainant": p("C"),
        "respondent": p("R"),
        "witness": p("W1"),
        "complainant_advocate": p("CA"),
        "respondent_advocate": p("A"),
        "investigator": inv,
        "panel": s6,
        "panel_recused": s7,
        "panel_term_ended": s8,
        "earlier_panel_term_ended": p("X1"),
        "oversight": s9,
        "appeals": x9,
        "branch_officer": p("BC1"),
        "grantee": grantee,
        "grant_expired": lapsed,
        "administrator": admin,
        "given_a_part_by_a_party": outsider,
        "seat_named_advocate_or_witness": seated,
    }
    accounts: dict[str, User | None] = {"anonymous": None}
    for role, someone in cast.items():
        if someone is not None:
            accounts[role] = account_for(someone, staff=role == "administrator")
    return World(league, case, cast, accounts, run.refusals)


def _attempt_parts(
    ref: str, complainant: Person, respondent: Person, someone: Person, *, advocate: bool = True
) -> None:
    """A party gives ``someone`` a part by their own act (the complainant's witness; with
    ``advocate``, also the respondent's advocate): refused; only the refusal is kept."""
    from docket.core.errors import ProtocolRefusal
    from docket.protocol.engine import PART_REFUSED

    attempts = [
        lambda: s.statement_record(
            by=complainant, case=ref, author=someone, role="witness", label="Q", text="Q."
        )
    ]
    if advocate:
        attempts.append(
            lambda: s.advocate_name(by=respondent, case=ref, party="respondent", advocate=someone)
        )
    for attempt in attempts:
        with pytest.raises(ProtocolRefusal) as refused:
            attempt()
        assert PART_REFUSED in {r["code"] for r in refused.value.data["reasons"]}


@pytest.fixture
def pinned() -> Iterator[datetime]:
    with frozen_at(PINNED):
        yield PINNED
