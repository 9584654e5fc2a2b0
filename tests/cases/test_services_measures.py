"""docket.cases.services.measures: measure_impose, support_offer, measure_challenge,
measure_review, measure_lift — including the member standing they change."""

from __future__ import annotations

import pytest

from docket.cases import services as s
from docket.cases.models import Case
from docket.crypto.models import ContentItem
from docket.org.models import StandingChange

from .factories import (
    NOW,
    hidden,
    invalid,
    is_event,
    module_world,
    refused,
    standing,
    state,
)

pytestmark = pytest.mark.django_db
world = module_world("referred", "investigation", "suspended", "reinvest")
BIG = "x" * (65 * 1024)


def _changes(person):
    return list(StandingChange.objects.filter(membership__person=person).order_by("pk"))


# --- measure_impose -------------------------------------------------------------------


def test_measure_impose_suspends_the_member(world):
    ref = world.cases["investigation"]
    N1, R = world.p("N1"), world.p("R")
    # (R is already suspended by the "suspended" stage's case: a renewal, still recorded.)
    before = len(_changes(R))
    event = s.measure_impose(by=N1, case=ref, measure_id="M9", kind="suspension", subject=R,
                             reasons="To protect everyone.")  # fmt: skip
    is_event(event, "measure.imposed", by=N1, capacity="body:ndc", case=ref)
    assert event.payload["subject"] == R.public_id
    assert event.payload["kind"] == "suspension"
    assert ContentItem.objects.get(public_id=event.payload["reasons_ref"]).kind == "note"
    assert state(ref).measures["M9"].active
    assert standing(R) == "suspended"
    assert len(_changes(R)) == before + 1
    change = _changes(R)[-1]
    assert change.status == "suspended"
    assert change.proceeding == ref
    assert change.cause == f"case:{ref}#{event.seq}"
    assert change.effective_at == NOW


def test_measure_impose_until_a_date(world):
    from datetime import timedelta

    R = world.p("R")
    s.measure_impose(by=world.p("N1"), case=world.cases["investigation"], measure_id="M9",
                     kind="suspension", subject=R, reasons="For a month.",
                     until=NOW + timedelta(days=30))  # fmt: skip
    change = _changes(R)[-1]
    assert change.until == NOW + timedelta(days=30)
    assert change.proceeding == ""


def test_a_no_contact_measure_leaves_standing_alone(world):
    R = world.p("R")
    before = len(_changes(R))
    s.measure_impose(by=world.p("N1"), case=world.cases["investigation"], measure_id="M9",
                     kind="no_contact", subject=R, reasons="No contact with C.")  # fmt: skip
    assert len(_changes(R)) == before


def test_measure_impose_refused(world):
    N1, R = world.p("N1"), world.p("R")
    refused(lambda: s.measure_impose(by=N1, case=world.cases["referred"], measure_id="M9",
                                     kind="suspension", subject=R, reasons="Early."),
            clause="s.3.4", code="protocol.wrong_stage")  # fmt: skip
    refused(lambda: s.measure_impose(by=R, case=world.cases["investigation"], measure_id="M9",
                                     kind="no_contact", subject=world.p("C"), reasons="Mine."),
            clause="s.3.4", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"reasons": "   "}, "input.invalid"),
        ({"kind": "banishment"}, "ledger.invalid_payload"),  # sealed reasons rolled back too
        ({"measure_id": ""}, "ledger.invalid_payload"),
        ({"reasons": BIG}, "content.too_large"),
    ],
    ids=["no-reasons", "kind", "id", "big"],
)
def test_measure_impose_bad_input(world, kwargs, code):
    args = {"measure_id": "M9", "kind": "suspension", "subject": world.p("R"), "reasons": "R."}
    args.update(kwargs)
    invalid(lambda: s.measure_impose(by=world.p("N1"), case=world.cases["investigation"], **args),
            code=code)  # fmt: skip


def test_a_deviation_where_none_is_needed_is_refused(world):
    # S1 sits on the SC (which may deviate) and may impose a measure without one.
    err = invalid(
        lambda: s.measure_impose(
            by=world.p("S1"), case=world.cases["reinvest"], measure_id="M9",
            kind="no_contact", subject=world.p("R"), reasons="No contact.",
            deviation={"body": "sc", "justification": "j" * 60},
        ),
        code="deviation.unneeded",
    )  # fmt: skip
    assert "without one" in err.message


# --- support_offer --------------------------------------------------------------------


def test_support_offer(world):
    ref = world.cases["investigation"]
    N1, C, R = world.p("N1"), world.p("C"), world.p("R")
    event = s.support_offer(by=N1, case=ref, measure_id="S1", party_person=C,
                            description="Counselling contacts.")  # fmt: skip
    is_event(event, "measure.imposed", by=N1, capacity="body:ndc", case=ref)
    assert event.payload["kind"] == "support"
    assert event.payload["supportive"] is True
    before = len(_changes(R))
    s.support_offer(by=N1, case=ref, measure_id="S2", party_person=R, description="Support.")
    assert len(_changes(R)) == before  # support never changes standing


def test_support_offer_refused(world):
    refused(lambda: s.support_offer(by=world.p("N1"), case=world.cases["referred"],
                                    measure_id="S1", party_person=world.p("C"),
                                    description="Early."),
            clause="s.3.4", code="protocol.wrong_stage")  # fmt: skip


def test_support_offer_bad_input(world):
    invalid(lambda: s.support_offer(by=world.p("N1"), case=world.cases["investigation"],
                                    measure_id="S1", party_person=world.p("C"), description=""),
            code="input.invalid")  # fmt: skip


# --- measure_challenge ----------------------------------------------------------------


def test_measure_challenge(world):
    ref = world.cases["suspended"]
    R = world.p("R")
    event = s.measure_challenge(by=R, case=ref, measure_id="M1", grounds="Disproportionate.")
    is_event(event, "measure.challenged", by=R, capacity="respondent", case=ref)
    assert ContentItem.objects.filter(public_id=event.payload["grounds_ref"]).exists()
    assert standing(R) == "suspended"


def test_measure_challenge_refused(world):
    ref = world.cases["suspended"]
    refused(lambda: s.measure_challenge(by=world.p("N1"), case=ref, measure_id="M1", grounds="G"),
            clause="s.3.4", code="protocol.not_empowered")  # fmt: skip
    invalid(lambda: s.measure_challenge(by=world.p("R"), case=ref, measure_id="M7", grounds="G"),
            code="input.unknown_reference")  # fmt: skip


def test_measure_challenge_bad_input(world):
    invalid(lambda: s.measure_challenge(by=world.p("R"), case=world.cases["suspended"],
                                        measure_id="M1", grounds=BIG),
            code="content.too_large")  # fmt: skip


# --- measure_review and measure_lift ------------------------------------------------------


def test_measure_review_continued_keeps_the_suspension(world):
    ref = world.cases["suspended"]
    N1, R = world.p("N1"), world.p("R")
    event = s.measure_review(by=N1, case=ref, measure_id="M1", outcome="continued")
    is_event(event, "measure.reviewed", by=N1, capacity="body:ndc", case=ref)
    assert state(ref).measures["M1"].active
    assert standing(R) == "suspended"


def test_measure_review_lifted_restores_standing(world):
    ref = world.cases["suspended"]
    N1, R = world.p("N1"), world.p("R")
    event = s.measure_review(by=N1, case=ref, measure_id="M1", outcome="lifted", reasons="Done.")
    assert not state(ref).measures["M1"].active
    assert standing(R) == "active"
    assert _changes(R)[-1].cause == f"case:{ref}#{event.seq}"


def test_measure_lift_restores_standing(world):
    ref = world.cases["suspended"]
    N1, R = world.p("N1"), world.p("R")
    assert standing(R) == "suspended"
    event = s.measure_lift(by=N1, case=ref, measure_id="M1", reasons="The case is decided.")
    is_event(event, "measure.lifted", by=N1, capacity="body:ndc", case=ref)
    assert not state(ref).measures["M1"].active
    assert standing(R) == "active"
    assert _changes(R)[-1].cause == f"case:{ref}#{event.seq}"
    # Lifting it again: there is no measure in force by that name.
    refused(lambda: s.measure_lift(by=N1, case=ref, measure_id="M1"), code="protocol.invalid")


@pytest.mark.parametrize("service", ["measure_review", "measure_lift"])
def test_review_and_lift_refused(world, service):
    ref = world.cases["suspended"]
    extra = {"outcome": "lifted"} if service == "measure_review" else {}
    call = getattr(s, service)
    refused(lambda: call(by=world.p("R"), case=ref, measure_id="M1", **extra),
            clause="s.3.4", code="protocol.not_empowered")  # fmt: skip
    invalid(lambda: call(by=world.p("N1"), case=ref, measure_id="M7", **extra),
            code="input.unknown_reference")  # fmt: skip
    assert standing(world.p("R")) == "suspended"


@pytest.mark.parametrize(
    ("service", "kwargs", "code"),
    [
        ("measure_review", {"outcome": "ended"}, "ledger.invalid_payload"),
        ("measure_review", {"outcome": "lifted", "reasons": BIG}, "content.too_large"),
        ("measure_lift", {"reasons": BIG}, "content.too_large"),
    ],
)
def test_review_and_lift_bad_input(world, service, kwargs, code):
    call = getattr(s, service)
    invalid(lambda: call(by=world.p("N1"), case=world.cases["suspended"], measure_id="M1",
                         **kwargs), code=code)  # fmt: skip
    assert standing(world.p("R")) == "suspended"


# --- refusal by access ------------------------------------------------------------------

ACCESS = {
    "measure_impose": lambda w, ref: s.measure_impose(
        by=w.p("BC1"), case=ref, measure_id="M9", kind="suspension", subject=w.p("R"),
        reasons="R.",
    ),
    "support_offer": lambda w, ref: s.support_offer(
        by=w.p("BC1"), case=ref, measure_id="S9", party_person=w.p("C"), description="D."
    ),
    "measure_challenge": lambda w, ref: s.measure_challenge(
        by=w.p("BC1"), case=ref, measure_id="M1", grounds="G."
    ),
    "measure_review": lambda w, ref: s.measure_review(
        by=w.p("BC1"), case=ref, measure_id="M1", outcome="lifted"
    ),
    "measure_lift": lambda w, ref: s.measure_lift(by=w.p("BC1"), case=ref, measure_id="M1"),
}  # fmt: skip


@pytest.mark.parametrize("service", sorted(ACCESS))
def test_a_person_outside_the_case_gets_not_found(world, service):
    hidden(lambda: ACCESS[service](world, world.cases["suspended"]))
    assert standing(world.p("R")) == "suspended"
    assert Case.objects.get(public_id=world.cases["suspended"]).head_seq


def test_lifting_one_suspension_keeps_another_in_force(world):
    R, N1 = world.p("R"), world.p("N1")
    s.measure_impose(by=N1, case=world.cases["investigation"], measure_id="M9",
                     kind="suspension", subject=R, reasons="Second case.")  # fmt: skip
    s.measure_lift(by=N1, case=world.cases["suspended"], measure_id="M1")
    assert standing(R) == "suspended"  # M9 of the other case is still in force
