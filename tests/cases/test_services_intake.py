"""docket.cases.services.intake: complaint_receive, complaint_acknowledge,
jurisdiction_assess, case_open — success, refusal by the engine, by access, bad input."""

from __future__ import annotations

import pytest

from docket.access.selectors import case_for, visible_cases
from docket.cases import services as s
from docket.cases.models import Case
from docket.core.errors import Conflict
from docket.crypto.models import ContentItem

from .factories import (
    NOW,
    current_holder,
    hidden,
    invalid,
    is_event,
    last_event,
    module_world,
    receive,
    refused,
    roles,
    unchanged,
)

pytestmark = pytest.mark.django_db
world = module_world("received", "referred", "open")
BIG = "x" * (65 * 1024)  # larger than the installation accepts (see factories)


# --- complaint_receive ----------------------------------------------------------------


def test_complaint_receive_begins_a_case_file(world):
    before = Case.objects.count()
    case = receive(world)
    assert Case.objects.count() == before + 1
    ref = case.public_id
    event = is_event(
        last_event(ref), "complaint.received", by=world.p("B1"),
        capacity="body:branch_executive", case=ref,
    )  # fmt: skip
    assert event.seq == 1
    payload = event.payload
    assert payload["complainants"] == [world.p("C").public_id]
    assert payload["respondents"] == [world.p("R").public_id]
    assert payload["protocol_id"] == "league-disciplinary"
    summary = payload["allegations"][0]["summary_ref"]
    for item in (summary, payload["report_ref"]):
        assert ContentItem.objects.get(public_id=item).stream == case.stream
    case.refresh_from_db()
    assert case.stage == "intake"
    assert case.received_at == NOW
    assert case.protocol.protocol_id == "league-disciplinary"
    assert current_holder(ref) == "branch_executive"
    assert case.holding_body == world.league.bodies["branch_executive@harbor"]
    assert roles(ref, "complainant") == {world.p("C").public_id}
    assert roles(ref, "respondent") == {world.p("R").public_id}
    # Those the record names, and the receiving body, see it; an unrelated officer does not.
    for key in ("B1", "C", "R"):
        assert case_for(world.p(key), ref).case == case
    assert not visible_cases(world.p("BC1")).filter(pk=case.pk).exists()


def test_complaint_receive_by_someone_not_empowered_is_refused(world):
    err = refused(lambda: receive(world, by="R"), clause="s.2.1", code="protocol.not_empowered")
    assert "Branch Executive" in err.message


def test_complaint_receive_with_no_summary_or_account_seals_nothing(world):
    before = ContentItem.objects.count()
    case = receive(world, account="", allegations=[s.AllegationInput("A1", "Rule 1")])
    assert ContentItem.objects.count() == before
    assert "report_ref" not in last_event(case.public_id).payload


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"category": "  "}, "input.invalid"),
        ({"respondents": []}, "input.invalid"),
        ({"allegations": []}, "input.invalid"),
        ({"channel": "carrier pigeon"}, "ledger.invalid_payload"),
        ({"reporter_role": "bystander"}, "ledger.invalid_payload"),
        ({"allegations": [s.AllegationInput("", "Rule 1", "Summary")]}, "ledger.invalid_payload"),
        ({"account": BIG}, "content.too_large"),
    ],
    ids=["category", "respondents", "allegations", "channel", "reporter", "allegation-id", "big"],
)
def test_complaint_receive_bad_input_changes_nothing(world, overrides, code):
    invalid(lambda: receive(world, **overrides), code=code)


# --- complaint_acknowledge ------------------------------------------------------------


def test_complaint_acknowledge(world):
    ref = world.cases["received"]
    event = s.complaint_acknowledge(by=world.p("B1"), case=ref, note="Thank you.")
    is_event(event, "complaint.acknowledged", by=world.p("B1"),
             capacity="body:branch_executive", case=ref)  # fmt: skip
    assert ContentItem.objects.get(public_id=event.payload["note_ref"]).kind == "note"
    assert Case.objects.get(public_id=ref).head_seq == 2


def test_complaint_acknowledge_refused_for_a_party(world):
    ref = world.cases["received"]
    refused(lambda: s.complaint_acknowledge(by=world.p("R"), case=ref), clause="s.2.2")


def test_complaint_acknowledge_bad_input(world):
    ref = world.cases["received"]
    invalid(lambda: s.complaint_acknowledge(by=world.p("B1"), case=ref, note=BIG),
            code="content.too_large")  # fmt: skip


# --- jurisdiction_assess --------------------------------------------------------------


def test_jurisdiction_assess(world):
    ref = world.cases["referred"]
    event = s.jurisdiction_assess(by=world.p("N1"), case=ref, accepted=True, reasons="In scope.")
    is_event(event, "jurisdiction.assessed", by=world.p("N1"), capacity="body:ndc", case=ref)
    assert event.payload["accepted"] is True
    assert ContentItem.objects.filter(public_id=event.payload["reasons_ref"]).exists()


def test_jurisdiction_assess_refused(world):
    # Only at intake, and only by the NDC.
    refused(
        lambda: s.jurisdiction_assess(by=world.p("N1"), case=world.cases["open"], accepted=True),
        clause="s.3.1", code="protocol.wrong_stage",
    )  # fmt: skip
    refused(
        lambda: s.jurisdiction_assess(by=world.p("R"), case=world.cases["referred"], accepted=True),
        clause="s.3.1", code="protocol.not_empowered",
    )  # fmt: skip


@pytest.mark.parametrize(
    "kwargs", [{"accepted": "perhaps"}, {"accepted": True, "reasons": BIG}], ids=["bool", "big"]
)
def test_jurisdiction_assess_bad_input(world, kwargs):
    invalid(lambda: s.jurisdiction_assess(by=world.p("N1"), case=world.cases["referred"], **kwargs))


# --- case_open ------------------------------------------------------------------------


def test_case_open(world):
    ref = world.cases["referred"]
    event = s.case_open(by=world.p("N1"), case=ref, body="ndc", reference="2014-900")
    is_event(event, "case.opened", by=world.p("N1"), capacity="body:ndc", case=ref)
    assert event.payload == {"reference": "2014-900", "body": "ndc"}
    case = Case.objects.get(public_id=ref)
    assert case.reference == "2014-900"
    assert case.stage == "investigation"
    assert case.opened_at == NOW
    assert current_holder(ref) == "ndc"


def test_case_open_gives_the_next_reference_when_none_is_given(world):
    ref = world.cases["referred"]
    taken = Case.objects.filter(reference__startswith="2014-").count()
    s.case_open(by=world.p("N1"), case=ref, body="ndc")
    assert Case.objects.get(public_id=ref).reference == f"2014-{taken + 1:03d}"


def test_case_open_refused(world):
    refused(
        lambda: s.case_open(by=world.p("N1"), case=world.cases["open"], body="ndc",
                            reference="2014-901"),
        clause="s.3.1", code="protocol.wrong_stage",
    )  # fmt: skip
    refused(
        lambda: s.case_open(by=world.p("R"), case=world.cases["referred"], body="ndc",
                            reference="2014-901"),
        clause="s.3.1", code="protocol.not_empowered",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("reference", "code"),
    [("2014-101", "input.invalid"), ("x" * 41, "ledger.invalid_payload")],
    ids=["taken", "too-long"],
)
def test_case_open_bad_input(world, reference, code):
    assert Case.objects.filter(reference="2014-101").exists()  # the "open" stage's case
    invalid(
        lambda: s.case_open(by=world.p("N1"), case=world.cases["referred"], body="ndc",
                            reference=reference),
        code=code,
    )  # fmt: skip


def test_case_open_stale_expect_seq_is_a_conflict(world):
    ref = world.cases["referred"]
    head = Case.objects.get(public_id=ref).head_seq
    with unchanged(), pytest.raises(Conflict) as caught:
        s.case_open(by=world.p("N1"), case=ref, body="ndc", reference="2014-902",
                    expect_seq=head - 1)  # fmt: skip
    assert caught.value.code == "case.changed"
    s.case_open(by=world.p("N1"), case=ref, body="ndc", reference="2014-902", expect_seq=head)


# --- refusal by access: every intake service on a case the caller may not see --------

ACCESS = {
    "complaint_acknowledge": lambda w, ref: s.complaint_acknowledge(by=w.p("BC1"), case=ref),
    "jurisdiction_assess": lambda w, ref: s.jurisdiction_assess(
        by=w.p("BC1"), case=ref, accepted=False
    ),
    "case_open": lambda w, ref: s.case_open(
        by=w.p("BC1"), case=ref, body="ndc", reference="2014-999"
    ),
}


@pytest.mark.parametrize("service", sorted(ACCESS))
def test_a_person_outside_the_case_gets_not_found(world, service):
    for stage in ("received", "referred"):
        hidden(lambda stage=stage: ACCESS[service](world, world.cases[stage]))
    # A case id that does not exist gets exactly the same answer.
    hidden(lambda: ACCESS[service](world, "nonexistent00000000000"))


def test_the_branch_loses_sight_of_a_case_it_referred(world):
    # B1 received and referred the case; the NDC holds it now.
    hidden(lambda: s.complaint_acknowledge(by=world.p("B1"), case=world.cases["referred"]))
