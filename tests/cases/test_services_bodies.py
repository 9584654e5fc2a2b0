"""docket.cases.services.bodies: case_refer, reinvestigation_order, record_hand_over,
panel_name, conflict_declare, investigator_appoint."""

from __future__ import annotations

import pytest

from docket.access.selectors import case_for
from docket.cases import services as s
from docket.cases.models import Case
from docket.crypto.models import ContentItem

from .factories import (
    current_holder,
    events_of,
    hidden,
    holders,
    invalid,
    is_event,
    last_event,
    module_world,
    refused,
    roles,
    state,
)

pytestmark = pytest.mark.django_db
world = module_world("received", "referred", "open", "investigation", "annulled", "reinvest")
BIG = "x" * (65 * 1024)


# --- case_refer -----------------------------------------------------------------------


def test_case_refer_hands_the_whole_record_to_the_new_body(world):
    ref = world.cases["received"]
    B1 = world.p("B1")
    event = s.case_refer(by=B1, case=ref, to_body="ndc", reasons="Serious.")
    assert (event.type, event.actor, event.capacity) == (
        "case.referred", B1.public_id, "body:branch_executive",
    )  # fmt: skip
    assert event.payload["to_body"] == "ndc"
    assert ContentItem.objects.filter(public_id=event.payload["reasons_ref"]).exists()
    handover = last_event(ref)
    is_event(handover, "record.handed_over", by=B1, capacity="body:branch_executive", case=ref)
    assert handover.seq == event.seq + 1
    assert handover.payload == {"to_body": "ndc", "through_seq": event.seq, "withheld": []}
    assert holders(ref) == ["branch_executive", "ndc"]
    assert current_holder(ref) == "ndc"
    assert Case.objects.get(public_id=ref).holding_body == world.league.bodies["ndc"]
    assert state(ref).proceeding.record_received
    # The NDC now sees it; the branch that referred it does not any more.
    assert case_for(world.p("N1"), ref).full_record
    hidden(lambda: case_for(B1, ref))


def test_case_refer_without_hand_over_leaves_the_record_behind(world):
    ref = world.cases["received"]
    s.case_refer(by=world.p("B1"), case=ref, to_body="ndc", hand_over=False)
    assert [e.type for e in events_of(ref)][-1] == "case.referred"
    assert not state(ref).proceeding.record_received


def test_case_refer_refused_for_a_party(world):
    refused(
        lambda: s.case_refer(by=world.p("R"), case=world.cases["received"], to_body="ndc"),
        clause="s.2.3", code="protocol.not_empowered",
    )  # fmt: skip


BUG_WITHHELD = (
    "bodies._hand_over: keeping part of the record back (withheld) is accepted without a "
    "deviation, and with one it is refused as deviation.unneeded (no rule guards it)"
)
BUG_UNKNOWN_BODY = (
    "bodies: to_body is not checked against the protocol's bodies; a case referred to a "
    "body that does not exist is held by no one (holding_body None)"
)


def test_case_refer_withholding_part_of_the_record_needs_a_deviation(world):
    # "keeping any part back needs a deviation by an empowered body" (case_refer's doc).
    refused(
        lambda: s.case_refer(
            by=world.p("B1"), case=world.cases["received"], to_body="ndc", withheld=[1]
        )
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"to_body": "ndc", "reasons": BIG}, "content.too_large"),
        pytest.param(
            {"to_body": "nowhere"},
            None,
        ),
    ],
    ids=["big", "unknown-body"],
)
def test_case_refer_bad_input(world, kwargs, code):
    invalid(lambda: s.case_refer(by=world.p("B1"), case=world.cases["received"], **kwargs), code)


# --- reinvestigation_order ------------------------------------------------------------


def test_reinvestigation_order(world):
    ref = world.cases["annulled"]
    S1 = world.p("S1")
    event = s.reinvestigation_order(by=S1, case=ref, to_body="ac", reasons="Afresh.")
    assert event.type == "reinvestigation.ordered"
    assert event.capacity == "body:sc"
    assert event.payload["without_prejudice"] is True
    handover = last_event(ref)
    is_event(handover, "record.handed_over", by=S1, capacity="body:sc", case=ref)
    assert handover.payload["to_body"] == "ac"
    case = Case.objects.get(public_id=ref)
    assert case.stage == "investigation"
    assert current_holder(ref) == "ac"
    assert holders(ref)[-1] == "ac"
    # The NDC's panel is now an earlier panel: it cannot sit on the AC's.
    assert {world.p(k).public_id for k in ("N1", "N2", "N3")} <= roles(ref, "earlier_panel")
    assert state(ref).proceeding.record_received


def test_reinvestigation_order_refused(world):
    # Only the SC may call another body in.
    refused(
        lambda: s.reinvestigation_order(by=world.p("N1"), case=world.cases["annulled"],
                                        to_body="ac"),
        clause="s.7.6", code="protocol.not_empowered",
    )  # fmt: skip


def test_reinvestigation_order_bad_input(world):
    invalid(
        lambda: s.reinvestigation_order(by=world.p("S1"), case=world.cases["annulled"],
                                        to_body="ac", reasons=BIG),
        code="content.too_large",
    )  # fmt: skip


# --- record_hand_over -----------------------------------------------------------------


def test_record_hand_over_lets_the_new_body_work(world):
    ref = world.cases["reinvest"]
    S1, X1 = world.p("S1"), world.p("X1")
    assert not state(ref).proceeding.record_received
    event = s.record_hand_over(by=S1, case=ref, to_body="ac")
    is_event(event, "record.handed_over", by=S1, capacity="body:sc", case=ref)
    assert event.payload["through_seq"] == event.seq - 1
    assert state(ref).proceeding.record_received
    s.statement_record(by=X1, case=ref, author=world.p("W4"), role="witness", label="W4",
                       text="W4's account.")  # fmt: skip


def test_record_hand_over_refused_for_a_party(world):
    refused(
        lambda: s.record_hand_over(by=world.p("R"), case=world.cases["reinvest"], to_body="ac"),
        clause="s.7.3", code="protocol.not_empowered",
    )  # fmt: skip


def test_record_hand_over_bad_input(world):
    invalid(lambda: s.record_hand_over(by=world.p("S1"), case=world.cases["reinvest"],
                                       to_body="nowhere"))  # fmt: skip


# --- panel_name -----------------------------------------------------------------------


def test_panel_name(world):
    ref = world.cases["referred"]
    N1, N2, N4 = world.p("N1"), world.p("N2"), world.p("N4")
    event = s.panel_name(by=N1, case=ref, body="ndc", members=[N1, N2, N4], chair=N4)
    is_event(event, "panel.named", by=N1, capacity="body:ndc", case=ref)
    assert event.payload == {
        "body": "ndc",
        "members": [N1.public_id, N2.public_id, N4.public_id],
        "chair": N4.public_id,
    }
    assert roles(ref, "panel") == {N1.public_id, N2.public_id, N4.public_id}
    assert roles(ref, "panel_chair") == {N4.public_id}


def test_panel_name_refused(world):
    N1, N2 = world.p("N1"), world.p("N2")
    # A party may not sit on the panel (s.3.3) ...
    refused(
        lambda: s.panel_name(by=N1, case=world.cases["referred"], body="ndc",
                             members=[N1, N2, world.p("R")]),
        clause="s.3.3", code="protocol.rule",
    )  # fmt: skip
    # ... nor anyone who sat on an earlier panel of the case (s.8.1).
    X1 = world.p("X1")
    refused(
        lambda: s.panel_name(by=X1, case=world.cases["reinvest"], body="ac",
                             members=[X1, world.p("X2"), N1]),
        clause="s.8.1", code="protocol.rule",
    )  # fmt: skip
    # Only the body that holds the case names its panel.
    refused(
        lambda: s.panel_name(by=world.p("R"), case=world.cases["open"], body="ndc",
                             members=[N1, N2]),
        clause="s.3.2", code="protocol.not_empowered",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("members", "chair", "code"),
    [
        (("N1", "N1"), None, "input.invalid"),
        (("N1", "N2"), "N3", "input.invalid"),
        ((), None, "ledger.invalid_payload"),
    ],
    ids=["twice", "chair-outside", "empty"],
)
def test_panel_name_bad_input(world, members, chair, code):
    invalid(
        lambda: s.panel_name(
            by=world.p("N1"), case=world.cases["referred"], body="ndc",
            members=[world.p(m) for m in members], chair=world.p(chair) if chair else None,
        ),
        code=code,
    )  # fmt: skip


# --- conflict_declare -----------------------------------------------------------------


def test_conflict_declare_recuses_and_ends_access(world):
    ref = world.cases["open"]
    N2 = world.p("N2")
    assert case_for(N2, ref)
    event = s.conflict_declare(by=N2, case=ref, reasons="I know the respondent well.")
    assert event.type == "conflict.declared"
    assert event.actor == N2.public_id
    assert event.payload["person"] == N2.public_id
    assert event.payload["recused"] is True
    assert ContentItem.objects.filter(public_id=event.payload["reasons_ref"]).exists()
    assert N2.public_id in roles(ref, "conflicted")
    assert N2.public_id not in roles(ref, "panel")
    # A conflict denies access whatever else applies (N2 still sits on the NDC).
    hidden(lambda: case_for(N2, ref))


def test_conflict_declare_for_a_member_by_the_body(world):
    ref = world.cases["open"]
    N3 = world.p("N3")
    s.conflict_declare(by=world.p("N1"), case=ref, person=N3)
    assert N3.public_id in roles(ref, "conflicted")
    hidden(lambda: case_for(N3, ref))


def test_conflict_declare_refused_for_a_party(world):
    refused(
        lambda: s.conflict_declare(by=world.p("R"), case=world.cases["open"],
                                   person=world.p("N1")),
        clause="s.3.3", code="protocol.not_empowered",
    )  # fmt: skip


def test_conflict_declare_bad_input(world):
    invalid(lambda: s.conflict_declare(by=world.p("N2"), case=world.cases["open"], reasons=BIG),
            code="content.too_large")  # fmt: skip


# --- investigator_appoint -------------------------------------------------------------


def test_investigator_appoint(world):
    ref = world.cases["open"]
    N4 = world.p("N4")
    event = s.investigator_appoint(by=world.p("N1"), case=ref, person=N4)
    is_event(event, "investigator.appointed", by=world.p("N1"), capacity="body:ndc", case=ref)
    assert event.payload == {"person": N4.public_id}
    assert roles(ref, "investigator") == {N4.public_id}
    assert case_for(N4, ref).full_record


def test_investigator_appoint_refused(world):
    refused(
        lambda: s.investigator_appoint(by=world.p("N1"), case=world.cases["referred"],
                                       person=world.p("N4")),
        clause="s.3.2", code="protocol.wrong_stage",
    )  # fmt: skip


# investigator_appoint has no bad input to give: its only argument is a Person.


# --- refusal by access ------------------------------------------------------------------

ACCESS = {
    "case_refer": lambda w, ref: s.case_refer(by=w.p("BC1"), case=ref, to_body="ndc"),
    "reinvestigation_order": lambda w, ref: s.reinvestigation_order(
        by=w.p("BC1"), case=ref, to_body="ac"
    ),
    "record_hand_over": lambda w, ref: s.record_hand_over(by=w.p("BC1"), case=ref, to_body="ac"),
    "panel_name": lambda w, ref: s.panel_name(
        by=w.p("BC1"), case=ref, body="ndc", members=[w.p("BC1")]
    ),
    "conflict_declare": lambda w, ref: s.conflict_declare(by=w.p("BC1"), case=ref),
    "investigator_appoint": lambda w, ref: s.investigator_appoint(
        by=w.p("BC1"), case=ref, person=w.p("BC1")
    ),
}


@pytest.mark.parametrize("service", sorted(ACCESS))
@pytest.mark.parametrize("stage", ["received", "open", "reinvest"])
def test_a_person_outside_the_case_gets_not_found(world, service, stage):
    hidden(lambda: ACCESS[service](world, world.cases[stage]))
