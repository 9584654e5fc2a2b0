"""docket.cases.services.parties: advocate_name, participation_choose and informal
resolution (informal_propose, informal_consent, informal_consent_withdraw,
informal_agree). Informal resolution runs under the DSA Resolution 33 style protocol,
which provides for it; the League's protocol does not."""

from __future__ import annotations

import pytest

from docket.access.selectors import case_for
from docket.cases import services as s
from docket.crypto.models import ContentItem

from .factories import hidden, invalid, is_event, module_world, refused, roles, state

pytestmark = pytest.mark.django_db
world = module_world("open", "investigation", "informal")


# --- advocate_name --------------------------------------------------------------------


def test_advocate_name(world):
    ref = world.cases["open"]
    R, A = world.p("R"), world.p("A")
    event = s.advocate_name(by=R, case=ref, party="respondent", advocate=A)
    is_event(event, "advocate.named", by=R, capacity="respondent", case=ref)
    assert event.payload == {"party": "respondent", "advocate": A.public_id}
    assert roles(ref, "respondent_advocate") == {A.public_id}
    assert case_for(A, ref).party == "respondent"


def test_advocate_name_replacing_one(world):
    ref = world.cases["investigation"]
    R, A, W2 = world.p("R"), world.p("A"), world.p("W2")
    s.advocate_name(by=R, case=ref, party="respondent", advocate=W2, replaces=A)
    assert roles(ref, "respondent_advocate") == {W2.public_id}
    hidden(lambda: case_for(A, ref))


def test_advocate_name_refused_for_someone_not_a_party(world):
    refused(
        lambda: s.advocate_name(by=world.p("N1"), case=world.cases["open"], party="respondent",
                                advocate=world.p("A")),
        clause="s.4.4", code="protocol.not_empowered",
    )  # fmt: skip


def test_advocate_name_bad_input(world):
    invalid(
        lambda: s.advocate_name(by=world.p("R"), case=world.cases["open"], party="bystander",
                                advocate=world.p("A")),
        code="ledger.invalid_payload",
    )  # fmt: skip


# --- participation_choose -------------------------------------------------------------


def test_participation_choose(world):
    ref = world.cases["investigation"]
    CA = world.p("CA")
    event = s.participation_choose(by=CA, case=ref, party="complainant", choice="statement_only")
    is_event(event, "participation.chosen", by=CA, capacity="complainant_advocate", case=ref)
    assert state(ref).participation == {"complainant": "statement_only"}


def test_participation_choose_refused_for_the_body(world):
    refused(
        lambda: s.participation_choose(by=world.p("N1"), case=world.cases["investigation"],
                                       party="complainant", choice="step_back"),
        clause="s.5.3", code="protocol.not_empowered",
    )  # fmt: skip


def test_participation_choose_bad_input(world):
    invalid(
        lambda: s.participation_choose(by=world.p("CA"), case=world.cases["investigation"],
                                       party="complainant", choice="maybe"),
        code="ledger.invalid_payload",
    )  # fmt: skip


# --- informal resolution --------------------------------------------------------------


def test_informal_resolution_from_proposal_to_agreement(world):
    ref = world.cases["informal"]
    H, C, R = world.p("N4"), world.p("C"), world.p("R")
    event = s.informal_propose(by=H, case=ref, kind="mediation", terms="Mediated talk.")
    is_event(event, "informal.proposed", by=H, capacity="body:hgo", case=ref)
    assert ContentItem.objects.get(public_id=event.payload["terms_ref"]).stream == f"case:{ref}"
    event = s.informal_consent(by=C, case=ref, party="complainant", consent="I agree to talk.")
    is_event(event, "informal.consented", by=C, capacity="complainant", case=ref)
    assert ContentItem.objects.get(public_id=event.payload["consent_ref"]).kind == "statement"
    s.informal_consent(by=R, case=ref, party="respondent", consent="I agree too.")
    assert state(ref).consents == {"complainant": True, "respondent": True}
    event = s.informal_agree(by=H, case=ref, agreement="The terms both signed.")
    is_event(event, "informal.agreed", by=H, capacity="body:hgo", case=ref)
    assert ContentItem.objects.get(public_id=event.payload["agreement_ref"]).kind == "decision"


def test_informal_consent_withdraw(world):
    ref = world.cases["informal"]
    C = world.p("C")
    s.informal_consent(by=C, case=ref, party="complainant", consent="Yes.")
    event = s.informal_consent_withdraw(by=C, case=ref, party="complainant")
    is_event(event, "informal.consent_withdrawn", by=C, capacity="complainant", case=ref)
    assert state(ref).consents == {"complainant": False}


def test_informal_steps_refused(world):
    ref = world.cases["informal"]
    H, C = world.p("N4"), world.p("C")
    refused(lambda: s.informal_propose(by=C, case=ref, kind="mediation"),
            clause="R33 §5", code="protocol.not_empowered")  # fmt: skip
    refused(lambda: s.informal_consent(by=H, case=ref, party="complainant", consent="Yes."),
            clause="R33 §5", code="protocol.not_empowered")  # fmt: skip
    refused(lambda: s.informal_consent_withdraw(by=H, case=ref, party="complainant"),
            clause="R33 §5", code="protocol.not_empowered")  # fmt: skip
    # No agreement without the written consent of both parties.
    s.informal_consent(by=C, case=ref, party="complainant", consent="Yes.")
    err = refused(lambda: s.informal_agree(by=H, case=ref, agreement="Terms."),
                  clause="R33 §5", code="protocol.rule")  # fmt: skip
    assert err.data["reasons"][0]["rule"] == "informal_by_consent"


def test_informal_resolution_is_refused_where_the_protocol_has_none(world):
    err = refused(lambda: s.informal_propose(by=world.p("N1"), case=world.cases["open"],
                                             kind="mediation"),
                  code="protocol.not_provided")  # fmt: skip
    assert "does not provide" in err.message


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda w, ref: s.informal_propose(by=w.p("N4"), case=ref, kind="arbitration"),
         "ledger.invalid_payload"),
        (lambda w, ref: s.informal_consent(by=w.p("C"), case=ref, party="complainant",
                                           consent="  "), "input.invalid"),
        (lambda w, ref: s.informal_consent(by=w.p("C"), case=ref, party="guest",
                                           consent="Yes."), "ledger.invalid_payload"),
        (lambda w, ref: s.informal_consent_withdraw(by=w.p("C"), case=ref, party="guest"),
         "ledger.invalid_payload"),
        (lambda w, ref: s.informal_agree(by=w.p("N4"), case=ref, agreement=""), "input.invalid"),
    ],
    ids=["propose-kind", "consent-empty", "consent-party", "withdraw-party", "agree-empty"],
)  # fmt: skip
def test_informal_bad_input(world, call, code):
    invalid(lambda: call(world, world.cases["informal"]), code=code)


# --- refusal by access ------------------------------------------------------------------

ACCESS = {
    "advocate_name": lambda w, ref: s.advocate_name(
        by=w.p("BC1"), case=ref, party="respondent", advocate=w.p("BC1")
    ),
    "participation_choose": lambda w, ref: s.participation_choose(
        by=w.p("BC1"), case=ref, party="respondent", choice="take_part"
    ),
    "informal_propose": lambda w, ref: s.informal_propose(
        by=w.p("BC1"), case=ref, kind="mediation"
    ),
    "informal_consent": lambda w, ref: s.informal_consent(
        by=w.p("BC1"), case=ref, party="respondent", consent="Yes."
    ),
    "informal_consent_withdraw": lambda w, ref: s.informal_consent_withdraw(
        by=w.p("BC1"), case=ref, party="respondent"
    ),
    "informal_agree": lambda w, ref: s.informal_agree(by=w.p("BC1"), case=ref, agreement="Terms."),
}


@pytest.mark.parametrize("service", sorted(ACCESS))
@pytest.mark.parametrize("stage", ["investigation", "informal"])
def test_a_person_outside_the_case_gets_not_found(world, service, stage):
    hidden(lambda: ACCESS[service](world, world.cases[stage]))


SIDE_BUG = (
    "parties: the party named in the payload is not checked against the actor's side; the "
    "respondent acts for the complainant"
)


@pytest.mark.parametrize(
    "call",
    [
        # R names a friend as the complainant's advocate, who then sees the complainant's side.
        lambda w, ref: s.advocate_name(by=w.p("R"), case=ref, party="complainant",
                                       advocate=w.p("W2")),
        lambda w, ref: s.participation_choose(by=w.p("R"), case=ref, party="complainant",
                                              choice="withdraw"),
    ],
    ids=["advocate", "participation"],
)  # fmt: skip
def test_a_party_may_not_act_for_the_other_side(world, call):
    from docket.core.errors import PermissionDenied, ProtocolRefusal

    from .factories import unchanged

    with unchanged(), pytest.raises((ProtocolRefusal, PermissionDenied)):
        call(world, world.cases["investigation"])
