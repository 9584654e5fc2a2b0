"""Demo step: a sign-in account for every League person with work in the demo, printed
with the part they play and what their dashboard will show.

``SIGN_INS`` is the one list: ``docket demo`` prints it, and a browser test
(tests/browser/test_demo_accounts.py) signs in as each entry and checks that the
dashboard shows exactly what the entry promises. Every account has a verified address,
the demo password and a TOTP authenticator with the published demo secret:
confidential content is shown only after a second factor, and the demo keeps that rule
rather than waiving it. Add the secret to any authenticator app, or compute a code with
``oathtool --totp -b <secret>``.

The people of the 2013 reference case whose terms have ended are printed too, under
their own heading: they see no case today, because access ends with the seat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from docket.cases.models import Case
from docket.org.models import Person
from docket.org.services import person_link_account

from .accounts import (
    ADMIN_EMAIL,
    ADMIN_NAME,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    ensure_account,
)
from .league import league_from_db

if TYPE_CHECKING:
    from docket.accounts.models import User
    from docket.demo import Demo

REFERENCE = "2013-004"
CURRENT = ("2026-001", "2026-002", "2026-003")


@dataclass(frozen=True)
class SignIn:
    """One printed account: who it is, the part it plays, and what its dashboard shows."""

    key: str  # the person's key in the League (tests/fixtures/reference-case.yaml, league.py)
    group: str
    part: str
    cases: tuple[str, ...] = ()  # the case references listed under "Your cases"
    reports: bool = False  # an intake officer: the dashboard points to waiting reports

    @property
    def email(self) -> str:
        return f"league-{self.key.lower()}@{DEMO_DOMAIN}"

    @property
    def promise(self) -> str:
        noun = "case" if len(self.cases) == 1 else "cases"
        sees = [f"{noun} {', '.join(self.cases)}" if self.cases else ""]
        sees.append("the intake queue" if self.reports else "")
        shown = " and ".join(s for s in sees if s)
        return f"sees {shown}" if shown else "sees no case"


ADMINISTERS = "sees no case; administers the League at /manage/"
OFFICERS = "Officers today"
PARTIES_2026 = "The 2026 cases: parties and witnesses"
PARTIES_2013 = "The reference case 2013-004: parties, advocates and witnesses"
FORMER = "Officers of 2013 whose terms have ended (access ends with the seat)"

SIGN_INS: tuple[SignIn, ...] = (
    SignIn("BC1", OFFICERS, "intake officer, Bay City branch executive", reports=True),
    SignIn("N6", OFFICERS, "chair, National Disciplinary Committee", CURRENT, reports=True),
    SignIn("N7", OFFICERS, "member, National Disciplinary Committee", CURRENT, reports=True),
    SignIn("N8", OFFICERS, "member, National Disciplinary Committee", CURRENT, reports=True),
    SignIn("S5", OFFICERS, "chair, Steering Committee: reviews 2013-004", (REFERENCE,)),
    SignIn("M1", PARTIES_2026, "respondent in 2026-001 and 2026-002", CURRENT[:2]),
    SignIn("M2", PARTIES_2026, "complainant in 2026-001 and 2026-002", CURRENT[:2]),
    SignIn("M3", PARTIES_2026, "witness in 2026-002, complainant in 2026-003", CURRENT[1:]),
    SignIn("M4", PARTIES_2026, "respondent in 2026-003", CURRENT[2:]),
    SignIn("R", PARTIES_2013, "respondent", (REFERENCE,)),
    SignIn("A", PARTIES_2013, "the respondent's advocate", (REFERENCE,)),
    SignIn("C", PARTIES_2013, "complainant, not a member of the League", (REFERENCE,)),
    SignIn("CA", PARTIES_2013, "the complainant's advocate", (REFERENCE,)),
    *(
        SignIn(f"W{n}", PARTIES_2013, f"witness W{n}", (REFERENCE,))
        for n in range(1, 6)  # W1 to W5
    ),
    SignIn("B1", FORMER, "Harbor branch intake officer, 2012 to 2016"),
    SignIn("N1", FORMER, "chair, National Disciplinary Committee, 2013 to 2015"),
    SignIn("X1", FORMER, "chair, Appeals Committee, 2012 to 2016"),
)
GROUPS = (OFFICERS, PARTIES_2026, PARTIES_2013, FORMER)


def _link(person: Person, user: User) -> None:
    if person.user_id is None:
        person_link_account(
            actor="docket-demo",
            capacity="administrator",
            person=person,
            user=user,
            reason="Demo account",
        )


def load(demo: Demo) -> None:
    references = set(Case.objects.exclude(reference="").values_list("reference", flat=True))
    league = league_from_db()
    printed = [
        s
        for s in SIGN_INS
        if s.key in league.people
        and set(s.cases) <= references
        # the people of the 2026 cases only once those cases exist (they need the keys)
        and (s.group != PARTIES_2026 or set(CURRENT) <= references)
    ]
    demo.note("")
    demo.note(f"The League's people: password {DEMO_PASSWORD}, TOTP secret {DEMO_TOTP_SECRET}")
    demo.note("(the same for everyone; compute a code with `oathtool --totp -b <secret>`).")
    demo.note("Administration:")
    demo.note(f"  {ADMIN_EMAIL:<27} {ADMIN_NAME}, runs Docket for the League")
    demo.note(f"  {'':<27} {ADMINISTERS}")
    for group in GROUPS:
        members = [s for s in printed if s.group == group]
        if not members:
            continue
        demo.note(f"{group}:")
        for sign_in in members:
            person = league.person(sign_in.key)
            user = ensure_account(sign_in.email, person.display_name)
            _link(person, user)
            demo.users[f"league_{sign_in.key.lower()}"] = user
            demo.note(f"  {sign_in.email:<27} {person.display_name}, {sign_in.part}")
            demo.note(f"  {'':<27} {sign_in.promise}")
