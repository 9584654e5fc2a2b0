"""Issue 24: no one gives themselves or anyone else a part in a case, and a part never
lowers what a seat gives — as properties over random attempts.

On a live case (the NDC holds it, panel N1 (chair), N2, N3; N4 sits on the NDC off the
panel; N3 recused; C and R the parties with advocates CA and A; W1 a witness; BC1 and a
plain member outside it), hypothesis draws who acts, whom they name and how (a witness's
statement, a statement of either party, an advocate for either side) and takes the step
through the services. Whatever is drawn:

- a part given by someone else: nobody gains a part unless the step is one the rule
  allows — a new witness only when the holding body (its seat, its panel, the
  investigator) calls them, a party's statement only under that party's real part, an
  advocate only someone with no other part and no seat in the case;
- a seat holder named advocate or witness by someone else is refused, and whoever could
  see the case, or its whole record, still does (and whoever could not, still cannot);
- a refused step changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.access.selectors import case_for
from docket.cases import services as s
from docket.cases.models import Case, CaseRole
from docket.core.clock import frozen_at
from docket.core.errors import DocketError, NotFound, ProtocolRefusal
from docket.demo.reference_live import at
from docket.demo.testing import OPENED_AT, harbor_case_with_panel
from docket.ledger.models import LedgerEvent
from docket.org.models import Person
from docket.protocol.engine import PART_REFUSED

from .conftest import new_member

pytestmark = pytest.mark.django_db

WHEN = at("2013-03-20T12:00:00-04:00")
CAST = ("C", "R", "CA", "A", "W1", "N1", "N2", "N3", "N4", "BC1", "Q")
HOLDING_BODY = {"N1", "N2", "N4"}  # NDC seats not recused (N3 recused)
SEATED = {"N1", "N2", "N3", "N4"}  # a seat in the case, or a declared conflict in it
STEPS = ("witness", "complainant", "respondent", "advocate:complainant", "advocate:respondent")


@pytest.fixture
def live(league: Any) -> dict[str, Any]:
    p = league.person
    q = new_member(league, "Quill Member", "L-9500")
    league.people["Q"] = q
    case = harbor_case_with_panel(league, reference="2013-240")
    ref = case.public_id
    with frozen_at(at(OPENED_AT)):
        s.charges_serve(by=p("N1"), case=ref, respondent=p("R"), allegations=["A1"], notice="N.")
        s.advocate_name(by=p("C"), case=ref, party="complainant", advocate=p("CA"))
        s.advocate_name(by=p("R"), case=ref, party="respondent", advocate=p("A"))
        s.statement_record(
            by=p("N2"), case=ref, author=p("W1"), role="witness", label="W1", text="W1."
        )
        s.conflict_declare(by=p("N1"), case=ref, person=p("N3"), reasons="Knows R well.")
    case.refresh_from_db()
    assert date(2013, 3, 1) <= WHEN.date()
    return {"case": case, "people": {k: p(k) for k in CAST}}


def look(people: dict[str, Person], case: Case) -> dict[str, tuple[bool, bool, frozenset[str]]]:
    """(sees, whole record, parts) for each of the cast."""
    seen = {}
    for key, person in people.items():
        try:
            standing = case_for(person, case.public_id, WHEN)
        except NotFound:
            seen[key] = (False, False, frozenset())
            continue
        seen[key] = (True, standing.full_record, standing.roles)
    return seen


def attempt(case: Case, by: Person, named: Person, step: str) -> None:
    if step.startswith("advocate:"):
        s.advocate_name(by=by, case=case.public_id, party=step[9:], advocate=named)
    else:
        s.statement_record(
            by=by, case=case.public_id, author=named, role=step, label="S", text="Words."
        )


def allowed(by: str, named: str, step: str, before: dict[str, Any]) -> bool:
    """The rule, written again: may ``by`` give ``named`` this part?"""
    parts = before[named][2]
    actor_parts = before[by][2]
    if step.startswith("advocate:"):
        side = step[9:]
        other = "respondent" if side == "complainant" else "complainant"
        return (
            side in actor_parts
            and by != named
            and named not in SEATED
            and not parts & {"complainant", "respondent", "witness", f"{other}_advocate"}
        )
    for_body = by in HOLDING_BODY
    if step in ("complainant", "respondent"):
        return step in parts and (by == named or for_body or f"{step}_advocate" in actor_parts)
    if parts & {"complainant", "respondent", "complainant_advocate", "respondent_advocate"}:
        return False
    if by == named:
        return "witness" in parts or for_body
    return for_body and named not in SEATED


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    by=st.sampled_from(CAST),
    named=st.sampled_from(CAST),
    step=st.sampled_from(STEPS),
)
def test_no_part_is_given_by_someone_else_and_no_seat_is_lowered(
    live: dict[str, Any], by: str, named: str, step: str
) -> None:
    case, people = live["case"], live["people"]
    with transaction.atomic():
        before = look(people, case)
        steps = LedgerEvent.objects.filter(stream=case.stream).exclude(type="step.refused")
        events = steps.count()
        roles = sorted(CaseRole.objects.filter(case=case).values_list("person_id", "role"))
        refused: DocketError | None = None
        with frozen_at(WHEN):
            try:
                attempt(case, people[by], people[named], step)
            except NotFound as hidden:  # the actor may not see the case
                assert not before[by][0]
                refused = hidden
            except ProtocolRefusal as protocol:
                refused = protocol
        after = look(people, case)
        if refused is not None:
            assert steps.count() == events  # a refusal is kept, and nothing else
            assert sorted(CaseRole.objects.filter(case=case).values_list("person_id", "role")) == (
                roles
            )
            assert after == before
        expected = before[by][0] and allowed(by, named, step, before)
        if not expected and refused is None:
            pytest.fail(f"{by} gave {named} a part ({step})")
        if expected and isinstance(refused, ProtocolRefusal):
            # Refused for another reason (the stage, who may record), never the part.
            codes = {r["code"] for r in refused.data["reasons"]}
            assert PART_REFUSED not in codes, (by, named, step, codes)
        if (
            isinstance(refused, ProtocolRefusal)
            and by != named
            and named in SEATED
            and step in ("witness", "advocate:complainant", "advocate:respondent")
            and before[by][0]
        ):
            assert PART_REFUSED in {r["code"] for r in refused.data["reasons"]}
        # A seat is never lowered: whoever saw the case, or its whole record, still does;
        # and nobody comes in but the person the step named.
        for key in CAST:
            assert after[key][0] >= before[key][0], key
            if before[key][1]:
                assert after[key][1], key
            if key != named:
                assert after[key][0] == before[key][0], key
        transaction.set_rollback(True)
