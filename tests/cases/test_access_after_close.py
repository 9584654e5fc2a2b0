"""Access after the end (issue 19): a closed case stays with the body that held it last,
and the bodies the protocol lets reopen it (the League's Steering Committee) see it;
someone whose seat has ended does not, and a body that never held it does not.

Written down before the run, for C's complaint about R closed by the NDC in March 2013:
the NDC's members still see it (N1, who chaired the panel, and N4, who did not sit on
it); the Steering Committee's chair (S1) sees it and can reopen it; the Bay City branch
officer (BC1) sees nothing; in 2016, after the 2013 NDC's terms ended, N4 no longer
sees it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from docket.access.selectors import case_for, visible_cases
from docket.cases import services as s
from docket.cases.models import Case
from docket.core.clock import frozen_at
from docket.core.errors import NotFound
from docket.demo.reference_live import at
from docket.demo.testing import harbor_case_with_panel

pytestmark = pytest.mark.django_db

CLOSED_AT = "2013-03-20T12:00:00-04:00"
LATER = "2013-04-02T12:00:00-04:00"


@pytest.fixture
def closed(league):  # type: ignore[no-untyped-def]
    case = harbor_case_with_panel(league, reference="2013-021")
    with frozen_at(at(CLOSED_AT)):
        s.case_close(
            by=league.person("N1"),
            case=case.public_id,
            disposition="withdrawn",
            reasons="The complainant withdrew.",
        )
    case.refresh_from_db()
    assert case.closed
    return case


def sees(league, key: str, case: Case, when: str) -> bool:  # type: ignore[no-untyped-def]
    person = league.person(key)
    moment = at(when)
    listed = case.pk in {c.pk for c in visible_cases(person, moment)}
    try:
        case_for(person, case.public_id, moment)
        opened = True
    except NotFound:
        opened = False
    assert listed == opened, key  # the list and the single case agree
    return opened


def test_the_body_that_held_it_and_oversight_keep_a_closed_case(league, closed) -> None:
    assert sees(league, "N1", closed, LATER)  # chaired its panel
    assert sees(league, "N4", closed, LATER)  # sits on the NDC, not on the panel
    assert sees(league, "S1", closed, LATER)
    assert not sees(league, "BC1", closed, LATER)
    # The parties keep their case, as before.
    assert sees(league, "R", closed, LATER)


def test_a_member_whose_term_ended_no_longer_sees_it(league, closed) -> None:
    later = datetime(2016, 6, 1, 12, tzinfo=UTC).isoformat()
    assert not sees(league, "N4", closed, later)


def test_oversight_can_reopen_a_closed_case(league, closed) -> None:
    with frozen_at(at(LATER)):
        s.case_reopen(
            by=league.person("S1"),
            case=closed.public_id,
            to_body="sc",
            purpose="corrective_review",
            reasons="A member asked for a review of the withdrawal.",
        )
    closed.refresh_from_db()
    assert not closed.closed
    assert sees(league, "S1", closed, LATER)
