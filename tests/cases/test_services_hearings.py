"""docket.cases.services.hearings: hearing_schedule, hearing_hold, hearing_adjourn,
hearing_waive."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from docket.cases import services as s
from docket.cases.models import Case

from .factories import NOW, hidden, invalid, is_event, module_world, refused, state

pytestmark = pytest.mark.django_db
world = module_world("open", "investigation", "heard", "reinvest")
BIG = "x" * (65 * 1024)


def test_hearing_schedule(world):
    ref = world.cases["investigation"]
    N1 = world.p("N1")
    event = s.hearing_schedule(by=N1, case=ref, hearing_id="H2", at=NOW + timedelta(days=7))
    is_event(event, "hearing.scheduled", by=N1, capacity="body:ndc", case=ref)
    assert event.payload["notice_to"] == ["complainant", "respondent"]
    assert Case.objects.get(public_id=ref).stage == "hearing"


def test_hearing_schedule_refused(world):
    at = NOW + timedelta(days=7)
    # No hearing before written notice of the allegations (s.4.1) ...
    refused(lambda: s.hearing_schedule(by=world.p("N1"), case=world.cases["open"],
                                       hearing_id="H2", at=at),
            clause="s.4.1", code="protocol.rule")  # fmt: skip
    # ... nor before the body has the earlier record (s.7.3).
    refused(lambda: s.hearing_schedule(by=world.p("X1"), case=world.cases["reinvest"],
                                       hearing_id="H2", at=at),
            clause="s.7.3", code="protocol.rule")  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"at": datetime(2014, 3, 1, 18)}, "input.invalid"),  # naive
        ({"notice_to": ["the press"]}, "ledger.invalid_payload"),
        ({"hearing_id": ""}, "ledger.invalid_payload"),
    ],
    ids=["naive", "notice", "id"],
)
def test_hearing_schedule_bad_input(world, kwargs, code):
    args = {"hearing_id": "H2", "at": NOW + timedelta(days=7), **kwargs}
    invalid(lambda: s.hearing_schedule(by=world.p("N1"), case=world.cases["investigation"],
                                       **args), code=code)  # fmt: skip


def test_hearing_hold(world):
    ref = world.cases["heard"]
    N1, R = world.p("N1"), world.p("R")
    event = s.hearing_hold(by=N1, case=ref, hearing_id="H1", attendance=[N1, R],
                           record="Notes of the hearing.")  # fmt: skip
    is_event(event, "hearing.held", by=N1, capacity="body:ndc", case=ref)
    assert event.payload["attendance"] == [N1.public_id, R.public_id]
    assert state(ref).proceeding.hearing_held


def test_hearing_hold_refused(world):
    refused(lambda: s.hearing_hold(by=world.p("N1"), case=world.cases["investigation"],
                                   hearing_id="H1", attendance=[]),
            clause="s.4.3", code="protocol.wrong_stage")  # fmt: skip


def test_hearing_hold_bad_input(world):
    invalid(
        lambda: s.hearing_hold(
            by=world.p("N1"), case=world.cases["heard"], hearing_id="H1", attendance=[], record=BIG
        ),
        code="content.too_large",
    )


def test_hearing_adjourn(world):
    ref = world.cases["heard"]
    N1 = world.p("N1")
    event = s.hearing_adjourn(by=N1, case=ref, hearing_id="H1", until=NOW + timedelta(days=14),
                              reasons="A member is ill.")  # fmt: skip
    is_event(event, "hearing.adjourned", by=N1, capacity="body:ndc", case=ref)
    assert event.payload["until"].startswith("2014-02-17")


def test_hearing_adjourn_refused(world):
    # Only the panel's chair adjourns.
    refused(lambda: s.hearing_adjourn(by=world.p("N2"), case=world.cases["heard"],
                                      hearing_id="H1"),
            clause="s.4.3", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reasons": BIG},
        pytest.param({"until": datetime(2014, 3, 1, 18)}),
    ],
    ids=["big", "naive"],
)  # fmt: skip
def test_hearing_adjourn_bad_input(world, kwargs):
    invalid(lambda: s.hearing_adjourn(by=world.p("N1"), case=world.cases["heard"],
                                      hearing_id="H1", **kwargs))  # fmt: skip


def test_hearing_waive(world):
    ref = world.cases["investigation"]
    R = world.p("R")
    event = s.hearing_waive(by=R, case=ref, party="respondent", waiver="I waive it.")
    is_event(event, "hearing.waived", by=R, capacity="respondent", case=ref)
    assert state(ref).proceeding.waived_by == {"respondent"}


def test_hearing_waive_refused(world):
    ref = world.cases["investigation"]
    # The protocol lets only the respondent waive the hearing.
    refused(lambda: s.hearing_waive(by=world.p("C"), case=ref, party="complainant"),
            clause="s.5", code="protocol.invalid")  # fmt: skip
    refused(lambda: s.hearing_waive(by=world.p("N1"), case=ref, party="respondent"),
            clause="s.4.3", code="protocol.not_empowered")  # fmt: skip


def test_a_party_may_not_waive_the_other_partys_hearing(world):
    refused(lambda: s.hearing_waive(by=world.p("C"), case=world.cases["investigation"],
                                    party="respondent"),
            clause="s.4.3", code="protocol.not_empowered")  # fmt: skip


def test_hearing_waive_bad_input(world):
    invalid(lambda: s.hearing_waive(by=world.p("R"), case=world.cases["investigation"],
                                    party="guest"), code="ledger.invalid_payload")  # fmt: skip


ACCESS = {
    "hearing_schedule": lambda w, ref: s.hearing_schedule(
        by=w.p("BC1"), case=ref, hearing_id="H9", at=NOW + timedelta(days=7)),
    "hearing_hold": lambda w, ref: s.hearing_hold(
        by=w.p("BC1"), case=ref, hearing_id="H1", attendance=[]),
    "hearing_adjourn": lambda w, ref: s.hearing_adjourn(by=w.p("BC1"), case=ref, hearing_id="H1"),
    "hearing_waive": lambda w, ref: s.hearing_waive(by=w.p("BC1"), case=ref, party="respondent"),
}  # fmt: skip


@pytest.mark.parametrize("service", sorted(ACCESS))
def test_a_person_outside_the_case_gets_not_found(world, service):
    hidden(lambda: ACCESS[service](world, world.cases["heard"]))
