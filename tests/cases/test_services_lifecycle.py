"""docket.cases.services.lifecycle: case_close, case_reopen, review_conclude, case_link,
access_grant, access_revoke."""

from __future__ import annotations

import pytest

from docket.access.selectors import case_for
from docket.cases import services as s
from docket.cases.models import Case

from .factories import (
    LATER,
    NOW,
    current_holder,
    hidden,
    invalid,
    is_event,
    last_event,
    module_world,
    opened,
    refused,
    roles,
)

pytestmark = pytest.mark.django_db
world = module_world("investigation", "decided", "expulsion", "reinvest")


def test_case_close(world):
    ref = world.cases["decided"]
    N1 = world.p("N1")
    event = s.case_close(by=N1, case=ref, disposition="decided", reasons="Done.")
    is_event(event, "case.closed", by=N1, capacity="body:ndc", case=ref)
    case = Case.objects.get(public_id=ref)
    assert (case.closed, case.stage, case.disposition) == (True, "closed", "decided")
    assert case.closed_at == NOW
    assert current_holder(ref) == "ndc"  # a closed case stays with the body that held it
    refused(lambda: s.case_close(by=N1, case=ref, disposition="decided"), clause="s.6.5",
            code="protocol.wrong_stage")  # fmt: skip


def test_case_close_refused(world):
    refused(lambda: s.case_close(by=world.p("R"), case=world.cases["decided"],
                                 disposition="withdrawn"),
            clause="s.6.5", code="protocol.not_empowered")  # fmt: skip


def test_case_close_bad_input(world):
    invalid(
        lambda: s.case_close(by=world.p("N1"), case=world.cases["decided"], disposition="done"),
        code="ledger.invalid_payload",
    )


def _close_then_reopen(world):
    ref = world.cases["expulsion"]  # the SC is addressed by the recommendation
    s.case_close(by=world.p("N1"), case=ref, disposition="decided")
    return ref, s.case_reopen(by=world.p("S1"), case=ref, to_body="sc",
                              purpose="corrective_review", reasons="To review it.")  # fmt: skip


def test_case_reopen_hands_the_whole_record_to_the_reviewing_body(world):
    ref, event = _close_then_reopen(world)
    S1 = world.p("S1")
    assert (event.type, event.capacity, event.payload["to_body"]) == (
        "case.reopened", "body:sc", "sc")  # fmt: skip
    handover = is_event(last_event(ref), "record.handed_over", by=S1, capacity="body:sc",
                        case=ref)  # fmt: skip
    assert handover.payload["through_seq"] == event.seq
    case = Case.objects.get(public_id=ref)
    assert (case.closed, case.stage) == (False, "review")
    assert current_holder(ref) == "sc"
    assert case_for(S1, ref).full_record


def test_case_reopen_refused(world):
    ref = world.cases["expulsion"]
    refused(lambda: s.case_reopen(by=world.p("S1"), case=ref, to_body="sc",
                                  purpose="corrective_review", reasons="R."),
            clause="s.9.2", code="protocol.wrong_stage")  # not closed  # fmt: skip
    s.case_close(by=world.p("N1"), case=ref, disposition="decided")
    refused(lambda: s.case_reopen(by=world.p("R"), case=ref, to_body="sc",
                                  purpose="new_evidence", reasons="R."),
            clause="s.9.2", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    ("purpose", "reasons", "code"),
    [("corrective_review", "", "input.invalid"), ("curiosity", "R.", "ledger.invalid_payload")],
)
def test_case_reopen_bad_input(world, purpose, reasons, code):
    ref = world.cases["expulsion"]
    s.case_close(by=world.p("N1"), case=ref, disposition="decided")
    invalid(lambda: s.case_reopen(by=world.p("S1"), case=ref, to_body="sc", purpose=purpose,
                                  reasons=reasons), code=code)  # fmt: skip


def test_review_conclude(world):
    ref, _ = _close_then_reopen(world)
    S1 = world.p("S1")
    event = s.review_conclude(by=S1, case=ref, findings="Two breaches.",
                              corrective_actions=["training"])  # fmt: skip
    is_event(event, "review.concluded", by=S1, capacity="body:sc", case=ref)
    assert "corrective_actions" not in event.payload  # sealed (issue 24, finding 6)
    assert opened(event.payload["corrective_actions_ref"]) == "training"


def test_review_conclude_refused_outside_a_review(world):
    refused(lambda: s.review_conclude(by=world.p("S1"), case=world.cases["expulsion"],
                                      findings="F."),
            clause="s.9.2", code="protocol.wrong_stage")  # fmt: skip


def test_review_conclude_bad_input(world):
    ref, _ = _close_then_reopen(world)
    invalid(lambda: s.review_conclude(by=world.p("S1"), case=ref, findings=" "),
            code="input.invalid")  # fmt: skip


def test_case_link(world):
    ref, other = world.cases["investigation"], world.cases["decided"]
    N1 = world.p("N1")
    event = s.case_link(by=N1, case=ref, other=other, relation="same_respondent")
    is_event(event, "case.linked", by=N1, capacity="body:ndc", case=ref)
    assert event.payload == {"other": f"case:{other}", "relation": "same_respondent"}


def test_case_link_refused(world):
    refused(lambda: s.case_link(by=world.p("R"), case=world.cases["investigation"],
                                other=world.cases["decided"]),
            clause="s.9.1", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize("what", ["unknown", "itself", "relation"])
def test_case_link_bad_input(world, what):
    ref = world.cases["investigation"]
    other = {"unknown": "nonexistent00000000000", "itself": ref}.get(what, world.cases["decided"])
    relation = "cousins" if what == "relation" else "related"
    invalid(lambda: s.case_link(by=world.p("N1"), case=ref, other=other, relation=relation))


def test_access_grant_and_revoke(world):
    ref = world.cases["investigation"]
    N1, BC1 = world.p("N1"), world.p("BC1")
    hidden(lambda: case_for(BC1, ref))
    event = s.access_grant(by=N1, case=ref, person=BC1, until=LATER, reason="Audit of s.4.")
    is_event(event, "access.granted", by=N1, capacity="body:ndc", case=ref)
    assert "reason" not in event.payload  # sealed (issue 24, finding 6)
    assert opened(event.payload["reason_ref"]) == "Audit of s.4."
    assert roles(ref, "grantee") == {BC1.public_id}
    standing = case_for(BC1, ref)
    assert standing.full_record
    assert standing.roles == {"grantee"}
    # The grant ends by itself at its date.
    hidden(lambda: case_for(BC1, ref, at=LATER))
    event = s.access_revoke(by=N1, case=ref, person=BC1)
    is_event(event, "access.revoked", by=N1, capacity="body:ndc", case=ref)
    assert roles(ref, "grantee") == set()
    hidden(lambda: case_for(BC1, ref))


def test_access_grant_and_revoke_refused(world):
    ref = world.cases["investigation"]
    R, BC1 = world.p("R"), world.p("BC1")
    refused(lambda: s.access_grant(by=R, case=ref, person=BC1, until=LATER, reason="Friend."),
            clause="s.9.3", code="protocol.not_empowered")  # fmt: skip
    s.access_grant(by=world.p("N1"), case=ref, person=BC1, until=LATER, reason="Audit.")
    refused(lambda: s.access_revoke(by=R, case=ref, person=BC1), clause="s.9.3",
            code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(("until", "reason"), [(NOW, "Audit."), (LATER, " "), (LATER, "x" * 2001)])
def test_access_grant_bad_input(world, until, reason):
    invalid(lambda: s.access_grant(by=world.p("N1"), case=world.cases["investigation"],
                                   person=world.p("BC1"), until=until, reason=reason))  # fmt: skip


# access_revoke takes only the person whose grant ends: it has no bad input to give.


ACCESS = {
    "deviation_grant": lambda w, ref: s.deviation_grant(
        by=w.p("BC1"), case=ref, rules=["record_before_work"], justification=JUSTIFICATION),
    "case_close": lambda w, ref: s.case_close(by=w.p("BC1"), case=ref, disposition="decided"),
    "case_reopen": lambda w, ref: s.case_reopen(
        by=w.p("BC1"), case=ref, to_body="sc", purpose="corrective_review", reasons="R."),
    "review_conclude": lambda w, ref: s.review_conclude(by=w.p("BC1"), case=ref, findings="F."),
    "case_link": lambda w, ref: s.case_link(by=w.p("BC1"), case=ref,
                                            other=w.cases["investigation"]),
    "access_grant": lambda w, ref: s.access_grant(
        by=w.p("BC1"), case=ref, person=w.p("BC1"), until=LATER, reason="Let me in."),
    "access_revoke": lambda w, ref: s.access_revoke(by=w.p("BC1"), case=ref, person=w.p("R")),
}  # fmt: skip


@pytest.mark.parametrize("service", sorted(ACCESS))
def test_a_person_outside_the_case_gets_not_found(world, service):
    hidden(lambda: ACCESS[service](world, world.cases["decided"]))


# --- deviation_grant ---------------------------------------------------------------------

JUSTIFICATION = (
    "The earlier file is held by the police as evidence until August; the committee starts "
    "with fresh interviews and will receive the file when it is returned."
)


def test_deviation_grant_lets_the_holding_body_proceed_and_is_reported(world):
    # The SC, empowered by s.7.5, lets the AC work before the earlier record arrives.
    ref = world.cases["reinvest"]
    event = s.deviation_grant(by=world.p("S1"), case=ref, rules=["record_before_work"],
                              justification=JUSTIFICATION)  # fmt: skip
    is_event(event, "deviation.granted", by=world.p("S1"), capacity="body:sc", case=ref)
    work = s.statement_record(by=world.p("X1"), case=ref, author=world.p("W4"), role="witness",
                              label="W4", text="W4's account.")  # fmt: skip
    assert work.deviation is None  # the step itself carries no justification of its own
    from docket.cases.acting import load
    from docket.cases.models import Case

    evaluation = load(Case.objects.get(public_id=ref), lock=False).evaluation
    assert evaluation.violations == []
    (record,) = evaluation.deviations
    assert (record.seq, record.body, record.granted_at) == (work.seq, "sc", event.seq)
    assert record.justification == JUSTIFICATION


def test_deviation_grant_refused(world):
    ref = world.cases["reinvest"]
    err = refused(lambda: s.deviation_grant(by=world.p("X1"), case=ref,
                                            rules=["record_before_work"],
                                            justification=JUSTIFICATION),
                  code="protocol.not_empowered")  # fmt: skip
    assert "Steering Committee" in err.message
    # Nobody may allow a vote without the respondent's rights (not in s.7.5).
    refused(lambda: s.deviation_grant(by=world.p("S1"), case=ref,
                                      rules=["hearing_before_vote"], justification=JUSTIFICATION),
            code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    ("rules", "justification", "code"),
    [
        (["record_before_work"], "   ", "input.invalid"),
        (["no_such_rule"], JUSTIFICATION, "input.unknown_reference"),
        ([], JUSTIFICATION, "ledger.invalid_payload"),
    ],
    ids=["blank", "unknown-rule", "no-rules"],
)
def test_deviation_grant_bad_input(world, rules, justification, code):
    ref = world.cases["reinvest"]
    invalid(lambda: s.deviation_grant(by=world.p("S1"), case=ref, rules=rules,
                                      justification=justification), code=code)  # fmt: skip
