"""docket.cases.services.decisions: decision_issue, decision_ratify, decision_overrule,
sanction_apply, appeal_file, appeal_decide, objection_file, objection_answer,
mistrial_declare, proceeding_annul — with the member standing sanctions change."""

from __future__ import annotations

import pytest

from docket.access.selectors import case_for
from docket.cases import services as s
from docket.cases.models import Case, CaseBody
from docket.core.errors import PermissionDenied, ProtocolRefusal
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
    unchanged,
)

pytestmark = pytest.mark.django_db
world = module_world("referred", "investigation", "voting", "voted", "decided", "expulsion",
                     "annulled", "closed")  # fmt: skip


def _issue(world, stage="voted", **kwargs):
    args = {
        "decision_id": "D2", "vote_id": "V1", "outcome": "sanction", "sanctions": ["suspension"],
        "findings": [s.FindingInput("A1", "established")], "rationale": "Why.", **kwargs,
    }  # fmt: skip
    return s.decision_issue(by=world.p("N1"), case=world.cases[stage], **args)


# --- decision_issue -------------------------------------------------------------------


def test_decision_issue(world):
    ref = world.cases["voted"]
    event = _issue(world)
    is_event(event, "decision.issued", by=world.p("N1"), capacity="body:ndc", case=ref)
    assert event.payload["standard"] == "clear and convincing evidence"
    assert event.payload["findings"] == [{"allegation": "A1", "finding": "established"}]
    case = Case.objects.get(public_id=ref)
    assert (case.stage, case.outcome, case.sanctions) == ("decided", "sanction", ["suspension"])
    assert case.decided_at == NOW


def test_decision_issue_refused_without_a_closed_vote(world):
    refused(lambda: _issue(world, "voting"), clause="s.6.2", code="protocol.rule")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"rationale": ""}, "input.invalid"),
        ({"sanctions": []}, "input.invalid"),
        ({"sanctions": ["banishment"]}, "input.invalid"),
        ({"outcome": "guilty"}, "ledger.invalid_payload"),
        ({"findings": [s.FindingInput("A1", "probably")]}, "ledger.invalid_payload"),
    ],
    ids=["rationale", "no-sanction", "unknown-sanction", "outcome", "finding"],
)
def test_decision_issue_bad_input(world, kwargs, code):
    invalid(lambda: _issue(world, **kwargs), code=code)


# --- ratify, overrule, sanction ---------------------------------------------------------


def test_expulsion_needs_ratification_then_takes_effect(world):
    ref = world.cases["expulsion"]
    S1, R = world.p("S1"), world.p("R")
    assert case_for(S1, ref).bodies  # the recommendation is addressed to the SC
    refused(lambda: s.sanction_apply(by=S1, case=ref, decision_id="D1", sanction="expulsion",
                                     subject=R),
            clause="s.6.3", code="protocol.rule")  # fmt: skip
    assert standing(R) == "active"
    event = s.decision_ratify(by=S1, case=ref, decision_id="D1")
    is_event(event, "decision.ratified", by=S1, capacity="body:sc", case=ref)
    assert state(ref).decisions["D1"].ratified
    event = s.sanction_apply(by=S1, case=ref, decision_id="D1", sanction="expulsion", subject=R)
    is_event(event, "sanction.applied", by=S1, capacity="body:sc", case=ref)
    assert standing(R) == "expelled"
    change = StandingChange.objects.filter(membership__person=R).latest("pk")
    assert change.cause == f"case:{ref}#{event.seq}"


def test_sanction_apply_suspension(world):
    ref = world.cases["decided"]
    N1, R = world.p("N1"), world.p("R")
    event = s.sanction_apply(by=N1, case=ref, decision_id="D1", sanction="suspension", subject=R)
    is_event(event, "sanction.applied", by=N1, capacity="body:ndc", case=ref)
    assert standing(R) == "suspended"
    assert StandingChange.objects.filter(membership__person=R).latest("pk").proceeding == ref


def test_ratify_overrule_and_sanction_refused(world):
    ref = world.cases["expulsion"]
    N1, R = world.p("N1"), world.p("R")
    refused(lambda: s.decision_ratify(by=N1, case=ref, decision_id="D1"), clause="s.6.3",
            code="protocol.not_empowered")  # fmt: skip
    invalid(lambda: s.decision_ratify(by=world.p("S1"), case=ref, decision_id="D9"),
            code="input.unknown_reference")  # fmt: skip
    refused(lambda: s.decision_overrule(by=N1, case=ref, decision_id="D1", grounds=["s.4.3"],
                                        explanation="E."),
            clause="s.7.2", code="protocol.not_empowered")  # fmt: skip
    refused(lambda: s.sanction_apply(by=R, case=ref, decision_id="D1", sanction="expulsion",
                                     subject=R),
            clause="s.6.3", code="protocol.not_empowered")  # fmt: skip
    assert standing(R) == "active"


def test_sanction_apply_only_the_decided_sanction(world):
    with unchanged(), pytest.raises((ProtocolRefusal, PermissionDenied, ValueError)):
        s.sanction_apply(by=world.p("N1"), case=world.cases["decided"], decision_id="D1",
                         sanction="expulsion", subject=world.p("R"))  # fmt: skip


def test_decision_overrule(world):
    ref = world.cases["expulsion"]
    S1 = world.p("S1")
    event = s.decision_overrule(by=S1, case=ref, decision_id="D1", grounds=["s.4.3"],
                                explanation="No hearing.")  # fmt: skip
    is_event(event, "decision.overruled", by=S1, capacity="body:sc", case=ref)
    case = Case.objects.get(public_id=ref)
    assert (case.stage, case.outcome) == ("oversight", "")
    assert state(ref).decisions["D1"].overruled


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"explanation": ""}, "input.invalid"), ({"grounds": []}, "ledger.invalid_payload")],
)
def test_decision_overrule_bad_input(world, kwargs, code):
    args = {"grounds": ["s.4.3"], "explanation": "E.", **kwargs}
    invalid(lambda: s.decision_overrule(by=world.p("S1"), case=world.cases["expulsion"],
                                        decision_id="D1", **args), code=code)  # fmt: skip


# decision_ratify takes only a decision id (an unknown one: the engine's protocol.invalid
# above); sanction_apply's only free input is the sanction (see the xfail above).


# --- appeals --------------------------------------------------------------------------


def _appeal(world, **kwargs):
    args = {
        "appeal_id": "P1", "party": "respondent", "decision_id": "D1",
        "grounds": ["procedural_error"], "explanation": "No fair hearing.", **kwargs,
    }  # fmt: skip
    return s.appeal_file(by=world.p("R"), case=world.cases["decided"], **args)


def test_appeal_file(world):
    ref = world.cases["decided"]
    event = _appeal(world)
    is_event(event, "appeal.filed", by=world.p("R"), capacity="respondent", case=ref)
    assert Case.objects.get(public_id=ref).appeals == 1


def test_appeal_file_refused_on_grounds_the_protocol_does_not_allow(world):
    err = refused(lambda: _appeal(world, grounds=["I disagree"]), clause="s.8.2",
                  code="protocol.rule")  # fmt: skip
    assert err.data["deviable_by"] == ["sc"]
    invalid(lambda: _appeal(world, decision_id="D9"), code="input.unknown_reference")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"explanation": ""}, "input.invalid"), ({"party": "guest"}, "ledger.invalid_payload"),
     ({"grounds": []}, "ledger.invalid_payload")],
    ids=["explanation", "party", "grounds"],
)  # fmt: skip
def test_appeal_file_bad_input(world, kwargs, code):
    invalid(lambda: _appeal(world, **kwargs), code=code)


def test_appeal_decide(world):
    ref = world.cases["decided"]
    X1 = world.p("X1")
    _appeal(world)  # the appeal is addressed to the Appeals Committee (decide_appeal's body)
    assert Case.objects.get(public_id=ref).appeal_outcome == "pending"
    event = s.appeal_decide(by=X1, case=ref, appeal_id="P1", outcome="dismissed", reasons="R.")
    is_event(event, "appeal.decided", by=X1, capacity="body:ac", case=ref)
    assert state(ref).appeals == {"P1": "dismissed"}
    assert Case.objects.get(public_id=ref).appeal_outcome == "dismissed"


def test_the_appeals_body_sees_an_appealed_case(world):
    _appeal(world)
    case_for(world.p("X1"), world.cases["decided"])


def test_appeal_decide_refused(world):
    ref = world.cases["decided"]
    _appeal(world)
    refused(lambda: s.appeal_decide(by=world.p("N1"), case=ref, appeal_id="P1",
                                    outcome="upheld", reasons="R."),
            clause="s.8.3", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"outcome": "dismissed", "reasons": ""}, "input.invalid"),
     ({"outcome": "granted", "reasons": "R."}, "ledger.invalid_payload")],
)  # fmt: skip
def test_appeal_decide_bad_input(world, kwargs, code):
    invalid(lambda: s.appeal_decide(by=world.p("N1"), case=world.cases["decided"],
                                    appeal_id="P1", **kwargs), code=code)  # fmt: skip


# --- objections, mistrial, annulment --------------------------------------------------


def test_objection_file_addresses_the_body(world):
    ref = world.cases["investigation"]
    W1, S1 = world.p("W1"), world.p("S1")
    hidden(lambda: case_for(S1, ref))
    event = s.objection_file(by=W1, case=ref, objection_id="O2", to_body="sc",
                             clauses=["s.4.2"], grounds="Not shown to R.")  # fmt: skip
    assert (event.type, event.actor) == ("objection.filed", W1.public_id)
    assert CaseBody.objects.filter(case__public_id=ref, relation="addressed",
                                   body__key="sc").exists()  # fmt: skip
    assert case_for(S1, ref).bodies
    # The SC may now annul the proceeding.
    event = s.proceeding_annul(by=S1, case=ref, grounds=["s.4.2"], reasons="Broke s.4.2.")
    is_event(event, "proceeding.annulled", by=S1, capacity="body:sc", case=ref)
    assert state(ref).proceeding.void
    assert Case.objects.get(public_id=ref).stage == "oversight"


def test_objection_answer(world):
    ref = world.cases["annulled"]
    S1 = world.p("S1")
    event = s.objection_answer(by=S1, case=ref, objection_id="O1", upheld=True, reasons="Yes.")
    is_event(event, "objection.answered", by=S1, capacity="body:sc", case=ref)
    assert event.payload["upheld"] is True


def test_mistrial_declare(world):
    ref = world.cases["investigation"]
    N1 = world.p("N1")
    event = s.mistrial_declare(by=N1, case=ref, grounds=["s.4.2"], reasons="Not disclosed.")
    is_event(event, "mistrial.declared", by=N1, capacity="body:ndc", case=ref)
    assert state(ref).proceeding.void
    assert Case.objects.get(public_id=ref).stage == "oversight"


def test_objections_mistrial_annulment_refused(world):
    inv, ann = world.cases["investigation"], world.cases["annulled"]
    refused(lambda: s.objection_file(by=world.p("R"), case=world.cases["closed"],
                                     objection_id="O3", to_body="sc", clauses=[], grounds="G."),
            clause="s.7.1", code="protocol.wrong_stage")  # fmt: skip
    refused(lambda: s.objection_answer(by=world.p("N1"), case=ann, objection_id="O1",
                                       upheld=False, reasons="No."),
            clause="s.7.1", code="protocol.not_empowered")  # fmt: skip
    refused(lambda: s.mistrial_declare(by=world.p("R"), case=inv, grounds=["s.4.2"],
                                       reasons="R."),
            clause="s.7.4", code="protocol.not_empowered")  # fmt: skip
    refused(lambda: s.mistrial_declare(by=world.p("N1"), case=world.cases["referred"],
                                       grounds=["s.4.2"], reasons="R."),
            clause="s.7.4", code="protocol.wrong_stage")  # fmt: skip
    refused(lambda: s.proceeding_annul(by=world.p("N1"), case=ann, grounds=["s.4.2"],
                                       reasons="R."),
            clause="s.7.2", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda w: s.objection_file(by=w.p("W1"), case=w.cases["investigation"],
                                    objection_id="O2", to_body="sc", clauses=[], grounds=""),
         "input.invalid"),
        (lambda w: s.objection_file(by=w.p("W1"), case=w.cases["investigation"],
                                    objection_id="", to_body="sc", clauses=[], grounds="G."),
         "ledger.invalid_payload"),
        (lambda w: s.objection_answer(by=w.p("S1"), case=w.cases["annulled"],
                                      objection_id="O1", upheld=True, reasons=""),
         "input.invalid"),
        (lambda w: s.mistrial_declare(by=w.p("N1"), case=w.cases["investigation"],
                                      grounds=["s.4.2"], reasons=" "), "input.invalid"),
        (lambda w: s.mistrial_declare(by=w.p("N1"), case=w.cases["investigation"], grounds=[],
                                      reasons="R."), "ledger.invalid_payload"),
        (lambda w: s.proceeding_annul(by=w.p("S1"), case=w.cases["annulled"], grounds=[],
                                      reasons="R."), "ledger.invalid_payload"),
        (lambda w: s.proceeding_annul(by=w.p("S1"), case=w.cases["annulled"],
                                      grounds=["s.4.2"], reasons=""), "input.invalid"),
    ],
    ids=["objection-grounds", "objection-id", "answer", "mistrial-reasons", "mistrial-grounds",
         "annul-grounds", "annul-reasons"],
)  # fmt: skip
def test_objections_mistrial_annulment_bad_input(world, call, code):
    invalid(lambda: call(world), code=code)


ACCESS = {
    "decision_issue": lambda w, ref: s.decision_issue(
        by=w.p("BC1"), case=ref, decision_id="D9", vote_id="V1", outcome="no_sanction",
        rationale="R.", findings=[]),
    "decision_ratify": lambda w, ref: s.decision_ratify(by=w.p("BC1"), case=ref,
                                                        decision_id="D1"),
    "decision_overrule": lambda w, ref: s.decision_overrule(
        by=w.p("BC1"), case=ref, decision_id="D1", grounds=["x"], explanation="E."),
    "sanction_apply": lambda w, ref: s.sanction_apply(
        by=w.p("BC1"), case=ref, decision_id="D1", sanction="expulsion", subject=w.p("R")),
    "appeal_file": lambda w, ref: s.appeal_file(
        by=w.p("BC1"), case=ref, appeal_id="P9", party="respondent", decision_id="D1",
        grounds=["procedural_error"], explanation="E."),
    "appeal_decide": lambda w, ref: s.appeal_decide(
        by=w.p("BC1"), case=ref, appeal_id="P1", outcome="upheld", reasons="R."),
    "objection_file": lambda w, ref: s.objection_file(
        by=w.p("BC1"), case=ref, objection_id="O9", to_body="sc", clauses=[], grounds="G."),
    "objection_answer": lambda w, ref: s.objection_answer(
        by=w.p("BC1"), case=ref, objection_id="O1", upheld=True, reasons="R."),
    "mistrial_declare": lambda w, ref: s.mistrial_declare(
        by=w.p("BC1"), case=ref, grounds=["x"], reasons="R."),
    "proceeding_annul": lambda w, ref: s.proceeding_annul(
        by=w.p("BC1"), case=ref, grounds=["x"], reasons="R."),
}  # fmt: skip


@pytest.mark.parametrize("service", sorted(ACCESS))
def test_a_person_outside_the_case_gets_not_found(world, service):
    hidden(lambda: ACCESS[service](world, world.cases["expulsion"]))
    assert standing(world.p("R")) == "active"
