"""docket.cases.services.record: charges, statements (record, correct, withdraw),
evidence, reports, disclosure, responses, parallel proceedings, notes, correspondence,
identities — and deviations (statement_record is the AC's work of reference step 13)."""

from __future__ import annotations

import pytest

from docket.access.selectors import case_for
from docket.cases import services as s
from docket.cases.acting import load
from docket.cases.models import Case, CaseBody
from docket.core.errors import PermissionDenied, ProtocolRefusal
from docket.crypto.models import ContentItem
from docket.ledger.models import LedgerEvent

from .factories import (
    hidden,
    invalid,
    is_event,
    module_world,
    opened,
    refused,
    roles,
    state,
    unchanged,
)

pytestmark = pytest.mark.django_db
world = module_world(
    "referred", "investigation", "voting", "annulled", "reinvest", "informal"
)  # fmt: skip
BIG = "x" * (65 * 1024)
JUSTIFICATION = "The earlier record is being assembled; the witness leaves the country."


def _item(ref: str, item: str) -> ContentItem:
    row = ContentItem.objects.get(public_id=item)
    assert row.stream == f"case:{ref}"
    return row


# --- charges_serve --------------------------------------------------------------------


def test_charges_serve(world):
    ref = world.cases["investigation"]
    N1, R = world.p("N1"), world.p("R")
    event = s.charges_serve(by=N1, case=ref, respondent=R, allegations=["A1"], notice="Notice.")
    is_event(event, "charges.served", by=N1, capacity="body:ndc", case=ref)
    assert event.payload["to"] == R.public_id
    assert event.payload["allegations"] == ["A1"]
    assert _item(ref, event.payload["notice_ref"]).kind == "letter"


def test_charges_serve_refused(world):
    refused(lambda: s.charges_serve(by=world.p("N1"), case=world.cases["referred"],
                                    respondent=world.p("R"), allegations=["A1"], notice="N."),
            clause="s.4.1", code="protocol.wrong_stage")  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"notice": ""}, "input.invalid"), ({"allegations": []}, "ledger.invalid_payload")],
)
def test_charges_serve_bad_input(world, kwargs, code):
    args = {"respondent": world.p("R"), "allegations": ["A1"], "notice": "N.", **kwargs}
    invalid(lambda: s.charges_serve(by=world.p("N1"), case=world.cases["investigation"], **args),
            code=code)  # fmt: skip


# --- statement_record -----------------------------------------------------------------


def test_statement_record(world):
    ref = world.cases["investigation"]
    N2, W2 = world.p("N2"), world.p("W2")
    event = s.statement_record(by=N2, case=ref, author=W2, role="witness", label="W2",
                               text="What W2 saw.")  # fmt: skip
    is_event(event, "statement.recorded", by=N2, capacity="body:ndc", case=ref)
    assert event.payload["author"] == W2.public_id
    assert event.payload["label"] == "W2"
    item = _item(ref, event.payload["item"])
    assert (item.kind, item.author) == ("statement", W2.public_id)
    assert W2.public_id in roles(ref, "witness")
    assert state(ref).material[item.public_id].kind == "witness_statement"
    assert case_for(W2, ref).roles == {"witness"}


def test_statement_record_refused(world):
    W2 = world.p("W2")
    refused(lambda: s.statement_record(by=world.p("N1"), case=world.cases["referred"], author=W2,
                                       role="witness", label="W2", text="T."),
            clause="s.3.5", code="protocol.wrong_stage")  # fmt: skip
    refused(lambda: s.statement_record(by=world.p("N1"), case=world.cases["voting"], author=W2,
                                       role="witness", label="W2", text="T."),
            clause="s.3.5", code="protocol.wrong_stage")  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"role": "bystander"}, "input.invalid"),
        ({"text": "  "}, "input.invalid"),
        ({"label": "L" * 41}, "input.invalid"),
        ({"text": BIG}, "content.too_large"),
    ],
    ids=["role", "text", "label", "big"],
)
def test_statement_record_bad_input(world, kwargs, code):
    args = {"author": world.p("W2"), "role": "witness", "label": "W2", "text": "T.", **kwargs}
    invalid(lambda: s.statement_record(by=world.p("N2"), case=world.cases["investigation"],
                                       **args), code=code)  # fmt: skip


# --- deviations -----------------------------------------------------------------------


def _ac_statement(world, by: str, deviation=None):
    return s.statement_record(by=world.p(by), case=world.cases["reinvest"], author=world.p("W4"),
                              role="witness", label="W4", text="W4's account.",
                              deviation=deviation)  # fmt: skip


def test_work_without_the_earlier_record_is_refused_and_deviable_by_the_sc(world):
    err = refused(lambda: _ac_statement(world, "X1"), clause="s.7.3", code="protocol.rule")
    assert err.data["deviable_by"] == ["sc"]
    assert err.data["reasons"][0]["rule"] == "record_before_work"


def test_a_deviation_by_the_empowered_body_is_recorded(world):
    # S1 sits on the SC and on the AC's panel.
    ref = world.cases["reinvest"]
    event = _ac_statement(world, "S1", {"body": "sc", "justification": JUSTIFICATION})
    is_event(event, "statement.recorded", by=world.p("S1"), capacity="body:sc", case=ref)
    assert event.deviation == {
        "body": "sc",
        "justification": JUSTIFICATION,
        "rules": ["record_before_work"],
    }
    assert Case.objects.get(public_id=ref).deviations == 1
    (record,) = load(Case.objects.get(public_id=ref), lock=False).evaluation.deviations
    assert record.clauses == ("s.7.3",)
    assert record.justification == JUSTIFICATION
    assert LedgerEvent.objects.get(pk=event.pk).deviation["justification"] == JUSTIFICATION


@pytest.mark.parametrize(
    ("by", "deviation"),
    [
        ("S1", {"body": "sc", "justification": "Too short to justify anything at all."}),
        ("S1", {"body": "sc", "justification": "  "}),
        ("X1", {"body": "ac", "justification": JUSTIFICATION}),  # the AC may not deviate
        pytest.param(
            "X2", {"body": "sc", "justification": JUSTIFICATION},
        ),
    ],
    ids=["short", "blank", "not-empowered", "not-a-member-of-the-body"],
)  # fmt: skip
def test_a_deviation_that_does_not_qualify_is_refused(world, by, deviation):
    assert len(JUSTIFICATION) >= 40 > len(deviation["justification"]) or by != "S1"
    refused(lambda: _ac_statement(world, by, deviation), clause="s.7.3")


def test_a_deviation_where_none_is_needed_is_refused(world):
    ref = world.cases["reinvest"]
    s.record_hand_over(by=world.p("S1"), case=ref, to_body="ac")
    invalid(lambda: _ac_statement(world, "S1", {"body": "sc", "justification": JUSTIFICATION}),
            code="deviation.unneeded")  # fmt: skip
    _ac_statement(world, "S1")


# --- statement_correct and statement_withdraw -----------------------------------------


def test_statement_correct_keeps_the_earlier_version(world):
    ref = world.cases["investigation"]
    CA, C = world.p("CA"), world.p("C")
    c1 = world.items["investigation"]["C1"]
    event = s.statement_correct(by=CA, case=ref, item=c1, text="Corrected account.")
    is_event(event, "statement.recorded", by=CA, capacity="complainant_advocate", case=ref)
    assert event.payload["supersedes"] == c1
    assert event.payload["author"] == C.public_id
    new = _item(ref, event.payload["item"])
    assert new.supersedes.public_id == c1
    assert new.version == 2
    assert ContentItem.objects.filter(public_id=c1).exists()
    material = state(ref).material
    assert material[c1].withdrawn
    assert not material[new.public_id].withdrawn


def test_statement_correct_refused(world):
    c1 = world.items["voting"]["C1"]
    refused(lambda: s.statement_correct(by=world.p("CA"), case=world.cases["voting"], item=c1,
                                        text="Late."),
            clause="s.3.5", code="protocol.wrong_stage")  # fmt: skip


def test_the_respondent_may_not_rewrite_the_complainants_statement(world):
    c1 = world.items["investigation"]["C1"]
    with unchanged(), pytest.raises((ProtocolRefusal, PermissionDenied)):
        s.statement_correct(by=world.p("R"), case=world.cases["investigation"], item=c1,
                            text="Something else.")  # fmt: skip


@pytest.mark.parametrize(("item", "text"), [("unknown", "T."), ("C1", ""), ("W1-other-case", "T.")])
def test_statement_correct_bad_input(world, item, text):
    items = world.items["investigation"]
    target = {
        "unknown": "nonexistent00000000000",
        "C1": items["C1"],
        "W1-other-case": world.items["voting"]["W1"],
    }[item]
    invalid(lambda: s.statement_correct(by=world.p("CA"), case=world.cases["investigation"],
                                        item=target, text=text), code="input.invalid")  # fmt: skip


def test_statement_withdraw(world):
    ref = world.cases["investigation"]
    CA = world.p("CA")
    c1 = world.items["investigation"]["C1"]
    event = s.statement_withdraw(by=CA, case=ref, item=c1)
    is_event(event, "statement.withdrawn", by=CA, capacity="complainant_advocate", case=ref)
    assert state(ref).material[c1].withdrawn
    assert ContentItem.objects.filter(public_id=c1).exists()  # withdrawn, never deleted


def test_statement_withdraw_refused(world):
    c1 = world.items["investigation"]["C1"]
    refused(lambda: s.statement_withdraw(by=world.p("N1"), case=world.cases["investigation"],
                                         item=c1),
            clause="s.5.3", code="protocol.not_empowered")  # fmt: skip


def test_the_respondent_may_not_withdraw_a_witness_statement(world):
    w1 = world.items["investigation"]["W1"]
    with unchanged(), pytest.raises((ProtocolRefusal, PermissionDenied)):
        s.statement_withdraw(by=world.p("R"), case=world.cases["investigation"], item=w1)


def test_statement_withdraw_bad_input(world):
    invalid(lambda: s.statement_withdraw(by=world.p("CA"), case=world.cases["investigation"],
                                         item="nonexistent00000000000"))  # fmt: skip


# --- evidence_record ------------------------------------------------------------------


def test_evidence_record(world):
    ref = world.cases["investigation"]
    N2, W2 = world.p("N2"), world.p("W2")
    event = s.evidence_record(by=N2, case=ref, label="E1", data=b"A list of who was there.\n",
                              filename="guests.txt", provided_by=W2)  # fmt: skip
    is_event(event, "evidence.recorded", by=N2, capacity="body:ndc", case=ref)
    assert event.payload["provided_by"] == W2.public_id
    item = _item(ref, event.payload["item"])
    assert (item.kind, item.author) == ("evidence", W2.public_id)
    assert item.media_type.startswith("text/plain")
    assert b"guests.txt" not in bytes(item.sealed_filename)
    assert state(ref).material[item.public_id].kind == "evidence"


def test_evidence_record_refused(world):
    refused(lambda: s.evidence_record(by=world.p("N1"), case=world.cases["referred"], label="E1",
                                      data=b"Text."),
            clause="s.3.5", code="protocol.wrong_stage")  # fmt: skip


@pytest.mark.parametrize(
    ("data", "label", "code"),
    [
        (b"", "E1", "content.empty"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 64, "E1", "content.type_refused"),
        (b"Text.", "", "input.invalid"),
        (b"x" * (65 * 1024), "E1", "content.too_large"),
    ],
    ids=["empty", "executable", "label", "big"],
)
def test_evidence_record_bad_input(world, data, label, code):
    invalid(lambda: s.evidence_record(by=world.p("N2"), case=world.cases["investigation"],
                                      label=label, data=data), code=code)  # fmt: skip


# --- report_prepare (the DSA R33 style protocol provides it; the League's does not) ----


def test_report_prepare(world):
    ref = world.cases["informal"]
    H, R = world.p("N4"), world.p("R")
    # R33 s.4: the report comes after notice to the respondent and their answer.
    s.charges_serve(by=H, case=ref, respondent=R, allegations=["A1"], notice="Notice.")
    s.response_receive(by=R, case=ref, party="respondent", text="My answer.")
    event = s.report_prepare(by=H, case=ref, label="Report", text="Findings of fact.")
    is_event(event, "report.prepared", by=H, capacity="body:hgo", case=ref)
    assert state(ref).material[event.payload["item"]].kind == "investigation_report"


def test_report_prepare_refused(world):
    refused(lambda: s.report_prepare(by=world.p("C"), case=world.cases["informal"], label="R",
                                     text="T."),
            clause="R33 §5", code="protocol.not_empowered")  # fmt: skip
    refused(lambda: s.report_prepare(by=world.p("N1"), case=world.cases["investigation"],
                                     label="R", text="T."),
            code="protocol.not_provided")  # fmt: skip


@pytest.mark.parametrize(("label", "text"), [("R", ""), ("", "T."), ("R" * 41, "T.")])
def test_report_prepare_bad_input(world, label, text):
    invalid(lambda: s.report_prepare(by=world.p("N4"), case=world.cases["informal"], label=label,
                                     text=text), code="input.invalid")  # fmt: skip


# --- material_disclose and response_receive -------------------------------------------


def test_material_disclose(world):
    ref = world.cases["investigation"]
    N1 = world.p("N1")
    w1 = world.items["investigation"]["W1"]
    event = s.material_disclose(by=N1, case=ref, to="respondent", items=[w1])
    is_event(event, "material.disclosed", by=N1, capacity="body:ndc", case=ref)
    assert event.payload["items"] == [w1]
    assert w1 in state(ref).disclosed["respondent"]


def test_material_disclose_refused(world):
    w1 = world.items["investigation"]["W1"]
    refused(lambda: s.material_disclose(by=world.p("R"), case=world.cases["investigation"],
                                        to="respondent", items=[w1]),
            clause="s.4.2", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    ("to", "items", "code"),
    [
        ("respondent", [], "input.invalid"),
        ("respondent", ["nonexistent00000000000"], "input.invalid"),
        ("public", ["W1"], "ledger.invalid_payload"),
    ],
    ids=["none", "unknown", "to"],
)
def test_material_disclose_bad_input(world, to, items, code):
    mine = world.items["investigation"]
    items = [mine.get(i, i) for i in items]
    invalid(lambda: s.material_disclose(by=world.p("N1"), case=world.cases["investigation"],
                                        to=to, items=items), code=code)  # fmt: skip


def test_response_receive(world):
    ref = world.cases["investigation"]
    A = world.p("A")
    w1 = world.items["investigation"]["W1"]
    event = s.response_receive(by=A, case=ref, party="respondent", text="Answer.", to_items=[w1])
    is_event(event, "response.received", by=A, capacity="respondent_advocate", case=ref)
    assert event.payload["to_items"] == [w1]
    assert _item(ref, event.payload["item"]).author == A.public_id


def test_response_receive_refused(world):
    refused(lambda: s.response_receive(by=world.p("W1"), case=world.cases["investigation"],
                                       party="respondent", text="T."),
            clause="s.4.2", code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(("party", "text"), [("respondent", " "), ("guest", "T.")])
def test_response_receive_bad_input(world, party, text):
    invalid(lambda: s.response_receive(by=world.p("A"), case=world.cases["investigation"],
                                       party=party, text=text))  # fmt: skip


# --- parallel_proceeding_note, note_add, correspondence_receive -----------------------


def test_parallel_proceeding_note(world):
    ref = world.cases["investigation"]
    N1 = world.p("N1")
    event = s.parallel_proceeding_note(by=N1, case=ref, forum="An employer", outcome="cleared",
                                       details="Details.")  # fmt: skip
    is_event(event, "parallel_proceeding.noted", by=N1, capacity="body:ndc", case=ref)
    # Sealed (issue 24, finding 6): the ledger holds only the items' ids.
    assert not {"forum", "outcome"} & set(event.payload)
    assert opened(event.payload["forum_ref"]) == "An employer"
    assert opened(event.payload["outcome_ref"]) == "cleared"
    assert _item(ref, event.payload["details_ref"]).kind == "note"


def test_note_add(world):
    ref = world.cases["investigation"]
    N1 = world.p("N1")
    event = s.note_add(by=N1, case=ref, text="A note.", label="N1")
    is_event(event, "note.added", by=N1, capacity="body:ndc", case=ref)
    assert event.payload["label"] == "N1"
    assert _item(ref, event.payload["item"]).kind == "note"


def test_correspondence_receive_addresses_the_body(world):
    ref = world.cases["annulled"]
    S1, N4 = world.p("S1"), world.p("N4")
    event = s.correspondence_receive(by=S1, case=ref, to_body="sc", sender=N4, text="A letter.")
    is_event(event, "correspondence.received", by=S1, capacity="body:sc", case=ref)
    assert event.payload["sender"] == N4.public_id
    assert _item(ref, event.payload["item"]).author == N4.public_id
    assert CaseBody.objects.filter(case__public_id=ref, relation="addressed",
                                   body__key="sc").exists()  # fmt: skip


@pytest.mark.parametrize(
    ("call", "clause"),
    [
        (lambda w, ref: s.parallel_proceeding_note(by=w.p("R"), case=ref, forum="F"), "s.3.6"),
        (lambda w, ref: s.note_add(by=w.p("R"), case=ref, text="T."), "s.9.1"),
        (lambda w, ref: s.correspondence_receive(by=w.p("R"), case=ref, to_body="sc",
                                                 text="T."), "s.9.2"),
    ],
    ids=["parallel", "note", "correspondence"],
)  # fmt: skip
def test_notes_refused_for_a_party(world, call, clause):
    refused(lambda: call(world, world.cases["investigation"]), clause=clause,
            code="protocol.not_empowered")  # fmt: skip


@pytest.mark.parametrize(
    "call",
    [
        lambda w, ref: s.parallel_proceeding_note(by=w.p("N1"), case=ref, forum=" "),
        lambda w, ref: s.parallel_proceeding_note(by=w.p("N1"), case=ref, forum="F",
                                                  outcome="o" * 200_001),
        lambda w, ref: s.note_add(by=w.p("N1"), case=ref, text=""),
        lambda w, ref: s.correspondence_receive(by=w.p("N1"), case=ref, to_body="ndc", text=""),
    ],
    ids=["forum", "outcome", "note", "correspondence"],
)  # fmt: skip
def test_notes_bad_input(world, call):
    invalid(lambda: call(world, world.cases["investigation"]))


# --- identity_record ------------------------------------------------------------------


def test_identity_record_keeps_a_non_members_name_sealed_in_the_case(world):
    ref = world.cases["investigation"]
    C = world.p("C")
    head = Case.objects.get(public_id=ref).head_seq
    item = s.identity_record(by=world.p("N1"), case=ref, person=C, identity="A Real Name")
    C.refresh_from_db()
    assert C.identity_ref == item
    row = _item(ref, item)
    assert row.kind == "identity"
    assert b"A Real Name" not in bytes(row.inline or b"")
    assert LedgerEvent.objects.filter(stream="org", type="person.identity_recorded").exists()
    assert Case.objects.get(public_id=ref).head_seq == head  # not a step of the case


def test_identity_record_refused_for_the_respondent(world):
    with unchanged(), pytest.raises((ProtocolRefusal, PermissionDenied)):
        s.identity_record(by=world.p("R"), case=world.cases["investigation"], person=world.p("C"),
                          identity="Someone else")  # fmt: skip


@pytest.mark.parametrize(("person", "identity"), [("C", " "), ("R", "Members have names")])
def test_identity_record_bad_input(world, person, identity):
    invalid(lambda: s.identity_record(by=world.p("N1"), case=world.cases["investigation"],
                                      person=world.p(person), identity=identity))  # fmt: skip


# --- refusal by access ------------------------------------------------------------------

ACCESS = {
    "charges_serve": lambda w, ref: s.charges_serve(
        by=w.p("BC1"), case=ref, respondent=w.p("R"), allegations=["A1"], notice="N."),
    "statement_record": lambda w, ref: s.statement_record(
        by=w.p("BC1"), case=ref, author=w.p("BC1"), role="witness", label="X", text="T."),
    "statement_correct": lambda w, ref: s.statement_correct(
        by=w.p("BC1"), case=ref, item=w.items["investigation"]["C1"], text="T."),
    "statement_withdraw": lambda w, ref: s.statement_withdraw(
        by=w.p("BC1"), case=ref, item=w.items["investigation"]["C1"]),
    "evidence_record": lambda w, ref: s.evidence_record(
        by=w.p("BC1"), case=ref, label="E", data=b"Text."),
    "report_prepare": lambda w, ref: s.report_prepare(by=w.p("BC1"), case=ref, label="R",
                                                      text="T."),
    "material_disclose": lambda w, ref: s.material_disclose(
        by=w.p("BC1"), case=ref, to="respondent", items=[w.items["investigation"]["W1"]]),
    "response_receive": lambda w, ref: s.response_receive(
        by=w.p("BC1"), case=ref, party="respondent", text="T."),
    "parallel_proceeding_note": lambda w, ref: s.parallel_proceeding_note(
        by=w.p("BC1"), case=ref, forum="F"),
    "note_add": lambda w, ref: s.note_add(by=w.p("BC1"), case=ref, text="T."),
    "correspondence_receive": lambda w, ref: s.correspondence_receive(
        by=w.p("BC1"), case=ref, to_body="sc", text="T."),
    "identity_record": lambda w, ref: s.identity_record(
        by=w.p("BC1"), case=ref, person=w.p("C"), identity="Name"),
}  # fmt: skip


@pytest.mark.parametrize("service", sorted(ACCESS))
def test_a_person_outside_the_case_gets_not_found(world, service):
    hidden(lambda: ACCESS[service](world, world.cases["investigation"]))
