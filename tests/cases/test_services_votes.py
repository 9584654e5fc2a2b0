"""docket.cases.services.votes: vote_open, vote_cast, vote_close."""

from __future__ import annotations

import pytest

from docket.cases import services as s
from docket.cases.models import Case

from .factories import hidden, invalid, is_event, module_world, opened, refused, state

pytestmark = pytest.mark.django_db
world = module_world("investigation", "heard", "voting")
BIG = "x" * (65 * 1024)


def test_vote_open(world):
    ref = world.cases["heard"]
    N1 = world.p("N1")
    event = s.vote_open(by=N1, case=ref, vote_id="V2", motion="Reprimand", sanction="reprimand")
    is_event(event, "vote.opened", by=N1, capacity="body:ndc", case=ref)
    motion = event.payload.pop("motion_ref")  # sealed (issue 24, finding 6)
    assert event.payload == {"vote_id": "V2", "sanction": "reprimand"}
    assert opened(motion) == "Reprimand"
    assert Case.objects.get(public_id=ref).stage == "deliberation"
    vote = state(ref).votes["V2"]
    assert set(vote.eligible) == {world.p(k).public_id for k in ("N1", "N2", "N3")}


def test_vote_open_refused_before_disclosure_and_hearing(world):
    # Reference step 8: no vote before the respondent has the statements and a hearing.
    err = refused(lambda: s.vote_open(by=world.p("N1"), case=world.cases["investigation"],
                                      vote_id="V2", motion="Expel", sanction="expulsion"),
                  code="protocol.rule")  # fmt: skip
    assert {r["clause"] for r in err.data["reasons"]} == {"s.4.2", "s.4.3"}
    assert "W1" in err.message
    # Only the chair opens a vote.
    refused(lambda: s.vote_open(by=world.p("N2"), case=world.cases["heard"], vote_id="V2",
                                motion="Expel"),
            clause="s.6.1", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"motion": " "}, "input.invalid"),
        ({"motion": "m" * 2001}, "input.invalid"),
        ({"vote_id": "v" * 41}, "ledger.invalid_payload"),
        pytest.param({"sanction": "banishment"}, None),
    ],
    ids=["motion", "long-motion", "id", "sanction"],
)  # fmt: skip
def test_vote_open_bad_input(world, kwargs, code):
    args = {"vote_id": "V2", "motion": "Reprimand", **kwargs}
    invalid(lambda: s.vote_open(by=world.p("N1"), case=world.cases["heard"], **args), code=code)


def test_vote_cast(world):
    ref = world.cases["voting"]
    N2 = world.p("N2")
    event = s.vote_cast(by=N2, case=ref, vote_id="V1", choice="no", dissent="My reasons.")
    is_event(event, "vote.cast", by=N2, capacity="body:ndc", case=ref)
    assert event.payload["choice"] == "no"
    assert state(ref).votes["V1"].casts == {N2.public_id: "no"}


def test_vote_cast_refused(world):
    ref = world.cases["voting"]
    N2 = world.p("N2")
    s.vote_cast(by=N2, case=ref, vote_id="V1", choice="yes")
    refused(lambda: s.vote_cast(by=N2, case=ref, vote_id="V1", choice="no"),
            code="protocol.invalid")  # once only  # fmt: skip
    refused(lambda: s.vote_cast(by=world.p("N4"), case=ref, vote_id="V1", choice="yes"),
            clause="s.6.1", code="protocol.not_empowered")  # not on the panel  # fmt: skip
    invalid(lambda: s.vote_cast(by=N2, case=ref, vote_id="V9", choice="yes"),
            code="input.unknown_reference")  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"choice": "maybe"}, "ledger.invalid_payload"),
     ({"choice": "no", "dissent": BIG}, "content.too_large")],
    ids=["choice", "big"],
)  # fmt: skip
def test_vote_cast_bad_input(world, kwargs, code):
    invalid(lambda: s.vote_cast(by=world.p("N2"), case=world.cases["voting"], vote_id="V1",
                                **kwargs), code=code)  # fmt: skip


def test_vote_close_needs_a_quorum(world):
    ref = world.cases["voting"]
    N1 = world.p("N1")
    s.vote_cast(by=N1, case=ref, vote_id="V1", choice="yes")
    err = refused(lambda: s.vote_close(by=N1, case=ref, vote_id="V1"), clause="s.6.1",
                  code="protocol.rule")  # fmt: skip
    assert "1 of 3" in err.message
    for key in ("N2", "N3"):
        s.vote_cast(by=world.p(key), case=ref, vote_id="V1", choice="yes")
    event = s.vote_close(by=N1, case=ref, vote_id="V1")
    is_event(event, "vote.closed", by=N1, capacity="body:ndc", case=ref)
    assert state(ref).votes["V1"].closed
    refused(lambda: s.vote_close(by=N1, case=ref, vote_id="V1"), code="protocol.invalid")


# vote_close takes nothing but a vote id: an unknown one is the engine's refusal above
# (protocol.invalid), so it has no separate bad input.


ACCESS = {
    "vote_open": lambda w, ref: s.vote_open(by=w.p("BC1"), case=ref, vote_id="V9", motion="M"),
    "vote_cast": lambda w, ref: s.vote_cast(by=w.p("BC1"), case=ref, vote_id="V1", choice="yes"),
    "vote_close": lambda w, ref: s.vote_close(by=w.p("BC1"), case=ref, vote_id="V1"),
}  # fmt: skip


@pytest.mark.parametrize("service", sorted(ACCESS))
def test_a_person_outside_the_case_gets_not_found(world, service):
    hidden(lambda: ACCESS[service](world, world.cases["voting"]))
