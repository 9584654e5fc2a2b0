"""The remaining steps as forms (docket.web.steps): each one succeeds and goes on the
record, shows the engine's (or the service's) refusal with its reasons and changes
nothing, answers 404 to someone who may not see the case, and changes nothing on bad
input."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from docket.access.selectors import case_for
from docket.cases import services as s
from docket.cases.models import Case
from docket.core.clock import frozen_at
from docket.core.errors import NotFound
from docket.demo.reference_live import at
from docket.demo.testing import harbor_case_referred
from docket.ledger.models import LedgerEvent
from docket.org.models import Person
from docket.org.selectors import standing_at
from docket.org.services import body_create, seat_create, seat_term_begin

from .conftest import head
from .test_pages import MARCH, get, post, shows

pytestmark = pytest.mark.django_db

APRIL = at("2013-04-02T12:00:00-04:00")
LATER = at("2023-05-02T12:00:00-04:00")  # the DSA style protocol was adopted in 2022


def url(case: Case, action: str) -> str:
    return f"/cases/{case.public_id}/act/{action}/"


def last(case: Case) -> LedgerEvent:
    return LedgerEvent.objects.filter(stream=case.stream).order_by("-seq").first()  # type: ignore[return-value]


def item_of(case: Case, label: str) -> str:
    event = LedgerEvent.objects.get(
        stream=case.stream, type="statement.recorded", payload__label=label
    )
    return str(event.payload["item"])


@pytest.fixture
def referred(league):  # type: ignore[no-untyped-def]
    """A complaint the branch handed to the NDC; the NDC has not opened it yet."""
    return harbor_case_referred(league)


@pytest.fixture
def decided(small, league):  # type: ignore[no-untyped-def]
    """``small`` taken to a decision recommending expulsion (not yet ratified)."""
    p = league.person
    ref = small.public_id
    N1, N2, N3 = p("N1"), p("N2"), p("N3")
    with frozen_at(at("2013-03-12T12:00:00-04:00")):
        s.material_disclose(by=N1, case=ref, to="respondent", items=[item_of(small, "C1")])
    with frozen_at(at("2013-03-13T12:00:00-04:00")):
        s.response_receive(by=p("R"), case=ref, party="respondent", text="My answer.")
    with frozen_at(at("2013-03-14T12:00:00-04:00")):
        s.hearing_schedule(by=N1, case=ref, hearing_id="H1", at=at("2013-03-28T18:00:00-04:00"))
    with frozen_at(at("2013-03-28T20:00:00-04:00")):
        s.hearing_hold(by=N1, case=ref, hearing_id="H1", attendance=[N1, N2, N3], record="Heard.")
    with frozen_at(at("2013-04-01T18:00:00-04:00")):
        s.vote_open(by=N1, case=ref, vote_id="V1", motion="Expel", sanction="expulsion")
        for member in (N1, N2, N3):
            s.vote_cast(by=member, case=ref, vote_id="V1", choice="yes")
        s.vote_close(by=N1, case=ref, vote_id="V1")
        s.decision_issue(
            by=N1,
            case=ref,
            decision_id="D1",
            vote_id="V1",
            outcome="sanction",
            sanctions=["expulsion"],
            recommendation=True,
            findings=[s.FindingInput("A1", "established")],
            rationale="Established.",
        )
    small.refresh_from_db()
    return small


@pytest.fixture
def informal(league):  # type: ignore[no-untyped-def]
    """A case under the DSA Resolution 33 style protocol, opened by its grievance officer
    (N4, seated in the "hgo" body), in investigation."""
    p = league.person
    hgo = body_create(
        actor="test",
        capacity="administrator",
        key="hgo",
        name="Harassment Grievance Officers",
        unit=league.units["national"],
    )
    seat_term_begin(
        actor="test",
        capacity="administrator",
        seat=seat_create(actor="test", capacity="administrator", body=hgo),
        person=p("N4"),
        starts=date(2013, 1, 1),
        reason="Elected",
    )
    with frozen_at(at("2023-05-01T19:00:00-04:00")):
        case = s.complaint_receive(
            by=p("N4"),
            protocol_id="dsa-resolution-33",
            received_by="hgo",
            category="harassment",
            channel="written",
            reporter_role="affected",
            complainants=[p("C")],
            respondents=[p("R")],
            unit=None,
            allegations=[s.AllegationInput("A1", "Code of Conduct s.2", "")],
            account="The account.",
        )
        s.case_open(by=p("N4"), case=case.public_id, body="hgo", reference="2023-051")
    case.refresh_from_db()
    return case


def ipost(client, path, data):  # type: ignore[no-untyped-def]
    return post(client, path, data, when=LATER)


def refused(response, *clauses: str) -> str:  # type: ignore[no-untyped-def]
    html: str = response.content.decode()
    assert response.status_code == 409, html[:2000]
    assert 'data-testid="refusal"' in html
    assert "Nothing was recorded" in html
    for clause in clauses:
        assert clause in html
    return html


# --- the panel -----------------------------------------------------------------------------


def test_the_panel_links_every_step_the_viewer_may_take(small, client_for):
    html = get(client_for("N1"), f"/cases/{small.public_id}/").content.decode()
    assert "not on these pages yet" not in html
    for step in ("appoint_investigator", "link_case", "export_record"):
        assert url(small, step) in html
    assert url(small, "correct_statement") in html
    assert url(small, "record_identity") in html  # C is a non-member, known by a label
    party = get(client_for("R"), f"/cases/{small.public_id}/").content.decode()
    assert url(small, "record_identity") not in party


# --- jurisdiction, investigator, report -------------------------------------------------


def test_assessing_jurisdiction(referred, small, client_for):
    client = client_for("N1")
    seq = head(referred)
    done = post(
        client, url(referred, "assess_jurisdiction"), {"expect_seq": seq, "accepted": "yes"}
    )
    assert done.status_code == 302
    event = last(referred)
    assert (event.type, event.payload["accepted"]) == ("jurisdiction.assessed", True)
    # Once the case is under investigation, the protocol no longer asks.
    seq = head(small)
    response = post(
        client, url(small, "assess_jurisdiction"), {"expect_seq": seq, "accepted": "no"}
    )
    refused(response, "s.3.1")
    assert head(small) == seq


def test_appointing_an_investigator(small, client_for, league):
    client = client_for("N1")
    seq = head(small)
    unknown = post(
        client, url(small, "appoint_investigator"), {"expect_seq": seq, "person": "L-9999"}
    )
    assert unknown.status_code == 400
    assert "No one with that member number" in unknown.content.decode()
    assert head(small) == seq
    done = post(client, url(small, "appoint_investigator"), {"expect_seq": seq, "person": "L-0304"})
    assert done.status_code == 302
    assert last(small).payload["person"] == league.person("N4").public_id
    # A party may not appoint one.
    response = post(
        client_for("R"),
        url(small, "appoint_investigator"),
        {"expect_seq": seq + 1, "person": "L-0304"},
    )
    refused(response, "s.3.2")
    assert head(small) == seq + 1


def test_preparing_the_investigation_report(informal, client_for, league):
    seq = head(informal)
    data = {"expect_seq": seq, "label": "IR1", "text": "What we found."}
    # Not before the respondent has been told and has answered (or had 7 days).
    html = refused(ipost(client_for("N4"), url(informal, "prepare_report"), data), "R33 §4")
    assert 'value="IR1"' in html
    empty = ipost(client_for("N4"), url(informal, "prepare_report"), {**data, "text": ""})
    assert empty.status_code == 400
    assert head(informal) == seq
    p = league.person
    with frozen_at(LATER):
        s.charges_serve(
            by=p("N4"), case=informal.public_id, respondent=p("R"), allegations=["A1"], notice="N."
        )
        s.response_receive(by=p("R"), case=informal.public_id, party="respondent", text="No.")
    data["expect_seq"] = head(informal)
    done = ipost(client_for("N4"), url(informal, "prepare_report"), data)
    assert done.status_code == 302
    assert (last(informal).type, last(informal).payload["label"]) == ("report.prepared", "IR1")


# --- measures ------------------------------------------------------------------------------


def _suspend(case: Case, league) -> None:  # type: ignore[no-untyped-def]
    with frozen_at(at("2013-03-12T12:00:00-04:00")):
        s.measure_impose(
            by=league.person("N1"),
            case=case.public_id,
            measure_id="M1",
            kind="emergency_removal",
            subject=league.person("R"),
            reasons="For the proceeding.",
        )


def test_the_respondent_challenges_a_measure_at_once_and_the_body_reviews_it(
    small, client_for, league
):
    _suspend(small, league)
    R = league.person("R")
    assert standing_at(R, MARCH).status == "suspended"
    seq = head(small)
    form = get(client_for("R"), url(small, "challenge_measure")).content.decode()
    assert "M1: emergency removal" in form
    done = post(
        client_for("R"),
        url(small, "challenge_measure"),
        {"expect_seq": seq, "measure_id": "M1", "grounds": "I need to keep my seat."},
    )
    assert done.status_code == 302
    assert last(small).type == "measure.challenged"
    # A panel member may not challenge it: the protocol says so, with its clause.
    response = post(
        client_for("N2"),
        url(small, "challenge_measure"),
        {"expect_seq": seq + 1, "measure_id": "M1", "grounds": "x"},
    )
    refused(response, "s.3.4")
    done = post(
        client_for("N1"),
        url(small, "review_measure"),
        {"expect_seq": seq + 1, "measure_id": "M1", "outcome": "lifted", "reasons": "Heard."},
    )
    assert done.status_code == 302
    assert last(small).payload["outcome"] == "lifted"
    assert standing_at(R, MARCH).status == "active"


def test_a_measure_review_with_bad_input_changes_nothing(small, client_for, league):
    _suspend(small, league)
    seq = head(small)
    response = post(
        client_for("N1"),
        url(small, "review_measure"),
        {"expect_seq": seq, "measure_id": "M1", "outcome": "forgotten", "reasons": "Kept text"},
    )
    assert response.status_code == 400
    assert "Kept text" in response.content.decode()
    assert head(small) == seq
    assert standing_at(league.person("R"), MARCH).status == "suspended"


# --- statements ---------------------------------------------------------------------------


def test_withdrawing_a_statement_asks_first_and_keeps_it_sealed(small, client_for, league):
    c1 = item_of(small, "C1")
    client = client_for("CA")
    seq = head(small)
    form = get(client, url(small, "withdraw_statement")).content.decode()
    assert shows(form, "C1")
    assert not shows(form, "W1")  # not their side's statement
    data = {"expect_seq": seq, "item": c1}
    first = post(client, url(small, "withdraw_statement"), data)
    assert 'data-testid="confirm"' in first.content.decode()
    assert head(small) == seq
    done = post(client, url(small, "withdraw_statement"), {**data, "confirmed": "yes"})
    assert done.status_code == 302
    assert (last(small).type, last(small).payload["item"]) == ("statement.withdrawn", c1)
    # The holding body may not withdraw a witness's statement.
    w1 = item_of(small, "W1")
    response = post(
        client_for("N1"),
        url(small, "withdraw_statement"),
        {"expect_seq": seq + 1, "item": w1, "confirmed": "yes"},
    )
    refused(response, "s.5.3")
    assert head(small) == seq + 1


def test_correcting_a_statement_adds_a_version_and_the_old_stays(small, client_for):
    from docket.crypto.models import ContentItem

    c1 = item_of(small, "C1")
    client = client_for("CA")
    seq = head(small)
    empty = post(
        client, url(small, "correct_statement"), {"expect_seq": seq, "item": c1, "text": " "}
    )
    assert empty.status_code == 400
    assert head(small) == seq
    done = post(
        client,
        url(small, "correct_statement"),
        {"expect_seq": seq, "item": c1, "text": "C's own words, corrected."},
    )
    assert done.status_code == 302
    event = last(small)
    assert (event.type, event.payload["supersedes"], event.payload["label"]) == (
        "statement.recorded",
        c1,
        "C1",
    )
    assert ContentItem.objects.filter(public_id=c1).exists()
    page = get(client, f"/cases/{small.public_id}/act/correct_statement/").content.decode()
    assert "Correct a statement" in page


def test_a_correction_is_refused_once_the_case_is_closed(small, client_for, league):
    with frozen_at(MARCH):
        s.case_close(by=league.person("N1"), case=small.public_id, disposition="withdrawn")
    seq = head(small)
    response = post(
        client_for("N1"),
        url(small, "correct_statement"),
        {"expect_seq": seq, "item": item_of(small, "W1"), "text": "Changed."},
    )
    refused(response)
    assert head(small) == seq


# --- informal resolution ------------------------------------------------------------------


def test_informal_resolution_by_written_consent(informal, client_for):
    officer, c, r = client_for("N4"), client_for("C"), client_for("R")
    seq = head(informal)
    done = ipost(
        officer,
        url(informal, "propose_informal"),
        {"expect_seq": seq, "kind": "mediation", "terms": "A mediated talk."},
    )
    assert done.status_code == 302
    consent = {"party": "complainant", "consent": "I agree to a mediated talk."}
    assert (
        ipost(c, url(informal, "consent_informal"), {"expect_seq": seq + 1, **consent}).status_code
        == 302
    )
    # The respondent's side only: the complainant's consent is not theirs to give.
    other = ipost(r, url(informal, "consent_informal"), {"expect_seq": seq + 2, **consent})
    assert other.status_code == 400
    assert head(informal) == seq + 2
    # Without both consents the agreement cannot be signed.
    sign = {"expect_seq": seq + 2, "agreement": "Terms both signed.", "confirmed": "yes"}
    refused(ipost(officer, url(informal, "sign_agreement"), sign), "R33 §5")
    assert head(informal) == seq + 2
    withdraw = ipost(
        c, url(informal, "withdraw_consent"), {"expect_seq": seq + 2, "party": "complainant"}
    )
    assert withdraw.status_code == 302
    assert last(informal).type == "informal.consent_withdrawn"
    for client, party in ((c, "complainant"), (r, "respondent")):
        response = ipost(
            client,
            url(informal, "consent_informal"),
            {"expect_seq": head(informal), "party": party, "consent": "I agree."},
        )
        assert response.status_code == 302
    sign["expect_seq"] = head(informal)
    first = ipost(officer, url(informal, "sign_agreement"), {**sign, "confirmed": ""})
    assert 'data-testid="confirm"' in first.content.decode()
    done = ipost(officer, url(informal, "sign_agreement"), sign)
    assert done.status_code == 302
    assert last(informal).type == "informal.agreed"


def test_informal_steps_with_bad_input_change_nothing(informal, client_for):
    seq = head(informal)
    for step, data in (
        ("propose_informal", {"kind": "arbitration"}),
        ("consent_informal", {"party": "complainant", "consent": ""}),
        ("withdraw_consent", {"party": "bystander"}),
        ("sign_agreement", {"agreement": ""}),
    ):
        client = client_for("C" if "consent" in step else "N4")
        response = ipost(client, url(informal, step), {"expect_seq": seq, **data})
        assert response.status_code == 400, step
        assert 'data-testid="form-errors"' in response.content.decode()
    assert head(informal) == seq


# --- sanctions -----------------------------------------------------------------------------


def test_applying_a_sanction_needs_ratification_then_takes_effect(decided, client_for, league):
    R = league.person("R")
    seq = head(decided)
    data = {
        "expect_seq": seq,
        "decision_id": "D1",
        "sanction": "expulsion",
        "subject": R.public_id,
        "confirmed": "yes",
    }
    html = refused(
        post(client_for("N1"), url(decided, "apply_sanction"), data, when=APRIL), "s.6.3"
    )
    assert "ratifies" in html
    assert head(decided) == seq
    with frozen_at(APRIL):
        s.decision_ratify(by=league.person("S1"), case=decided.public_id, decision_id="D1")
    data["expect_seq"] = head(decided)
    first = post(
        client_for("N1"), url(decided, "apply_sanction"), {**data, "confirmed": ""}, when=APRIL
    )
    assert 'data-testid="confirm"' in first.content.decode()
    done = post(client_for("N1"), url(decided, "apply_sanction"), data, when=APRIL)
    assert done.status_code == 302
    assert last(decided).type == "sanction.applied"
    assert standing_at(R, APRIL).status == "expelled"


def test_a_sanction_not_decided_is_not_offered(decided, client_for, league):
    seq = head(decided)
    response = post(
        client_for("N1"),
        url(decided, "apply_sanction"),
        {
            "expect_seq": seq,
            "decision_id": "D1",
            "sanction": "reprimand",
            "subject": league.person("R").public_id,
            "confirmed": "yes",
        },
        when=APRIL,
    )
    assert response.status_code == 400
    assert head(decided) == seq


# --- links, access, the case file, identities ------------------------------------------------


def test_linking_a_case_the_person_may_also_see(small, referred, client_for, league):
    client = client_for("N1")
    seq = head(small)
    form = get(client, url(small, "link_case")).content.decode()
    assert referred.public_id in form
    done = post(
        client,
        url(small, "link_case"),
        {"expect_seq": seq, "other": referred.public_id, "relation": "same_respondent"},
    )
    assert done.status_code == 302
    assert last(small).payload == {"other": referred.stream, "relation": "same_respondent"}
    # A case not offered (here: the case itself) is refused as bad input.
    same = post(client, url(small, "link_case"), {"expect_seq": seq + 1, "other": small.public_id})
    assert same.status_code == 400
    assert head(small) == seq + 1


def test_ending_someones_access(small, client_for, league):
    grantee = league.person("BC1")  # no part in the case otherwise
    with frozen_at(MARCH):
        s.access_grant(
            by=league.person("N1"),
            case=small.public_id,
            person=grantee,
            until=at("2013-06-01T12:00:00-04:00"),
            reason="Helps with the record.",
        )
    case_for(grantee, small.public_id, MARCH)
    seq = head(small)
    # A party may not end it: the protocol gives that to the bodies.
    refused(
        post(
            client_for("R"),
            url(small, "revoke_access"),
            {"expect_seq": seq, "person": grantee.public_id},
        ),
        "s.9.3",
    )
    assert head(small) == seq
    wrong = post(
        client_for("N1"), url(small, "revoke_access"), {"expect_seq": seq, "person": "nobody"}
    )
    assert wrong.status_code == 400
    done = post(
        client_for("N1"),
        url(small, "revoke_access"),
        {"expect_seq": seq, "person": grantee.public_id},
    )
    assert done.status_code == 302
    assert last(small).type == "access.revoked"
    with pytest.raises(NotFound):
        case_for(grantee, small.public_id, MARCH)


def test_exporting_the_case_file(small, client_for):
    seq = head(small)
    without = get(client_for("N2", mfa=False), url(small, "export_record"))
    assert without.status_code == 302
    assert "/security/authenticator-needed/" in without["Location"]
    response = post(
        client_for("N1"), url(small, "export_record"), {"expect_seq": seq, "for_body": "sc"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "2013-009" not in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(n.rsplit("/", 1)[-1] for n in archive.namelist())
    assert names == ["bundle.json", "casefile.pdf", "receipt.json"]
    bundle = json.loads(
        archive.read(next(n for n in archive.namelist() if n.endswith("bundle.json")))
    )
    assert bundle["for_body"] == "sc"
    assert last(small).type == "record.exported"
    assert head(small) == seq + 1
    bad = post(
        client_for("N1"), url(small, "export_record"), {"expect_seq": seq + 1, "for_body": "nope"}
    )
    assert bad.status_code == 400
    assert head(small) == seq + 1


def test_a_party_may_not_export_the_case_file(small, client_for):
    seq = head(small)
    response = post(
        client_for("R"), url(small, "export_record"), {"expect_seq": seq, "for_body": "ndc"}
    )
    assert response.status_code in (403, 409)
    html = response.content.decode()
    assert "Nothing was recorded" in html
    assert head(small) == seq


def test_recording_a_non_members_identity_only_by_the_holding_body(small, client_for, league):
    C = league.person("C")
    before = Person.objects.get(pk=C.pk).identity_ref
    seq = head(small)
    client = client_for("N1")
    form = get(client, url(small, "record_identity")).content.decode()
    assert C.display_name in form
    assert "Dana Ortiz" not in form
    done = post(
        client,
        url(small, "record_identity"),
        {"expect_seq": seq, "person": C.public_id, "identity": "Dana Ortiz, 12 Quay St"},
    )
    assert done.status_code == 302
    after = Person.objects.get(pk=C.pk).identity_ref
    assert after
    assert after != before
    # A witness of the case is not the holding body: refused with the service's reason.
    denied = post(
        client_for("W1"),
        url(small, "record_identity"),
        {"expect_seq": seq, "person": C.public_id, "identity": "Someone"},
    )
    assert denied.status_code in (400, 403)
    assert Person.objects.get(pk=C.pk).identity_ref == after
    empty = post(
        client,
        url(small, "record_identity"),
        {"expect_seq": seq, "person": C.public_id, "identity": ""},
    )
    assert empty.status_code == 400
    assert Person.objects.get(pk=C.pk).identity_ref == after


def test_the_identity_service_refusal_is_shown(small, client_for, league):
    """Someone given access to the whole record does not hold the case: the service
    refuses, and the page says why."""
    C = league.person("C")
    with frozen_at(MARCH):
        s.access_grant(
            by=league.person("N1"),
            case=small.public_id,
            person=league.person("BC1"),
            until=at("2013-06-01T12:00:00-04:00"),
            reason="Helps with the record.",
        )
    before = Person.objects.get(pk=C.pk).identity_ref
    response = post(
        client_for("BC1"),
        url(small, "record_identity"),
        {"expect_seq": head(small), "person": C.public_id, "identity": "Someone else"},
    )
    html = response.content.decode()
    assert response.status_code == 403, html[:3000]
    assert 'data-testid="denied"' in html
    assert "Only the body holding the case records identities." in html
    assert Person.objects.get(pk=C.pk).identity_ref == before


# --- access and bad input, for every new step ---------------------------------------------

LEAGUE_STEPS = [
    "assess_jurisdiction", "appoint_investigator", "challenge_measure",
    "review_measure", "withdraw_statement", "correct_statement", "apply_sanction", "link_case",
    "revoke_access", "export_record", "record_identity",
]  # fmt: skip
INFORMAL_STEPS = ["propose_informal", "consent_informal", "withdraw_consent", "sign_agreement"]


@pytest.mark.parametrize("step", LEAGUE_STEPS)
def test_someone_without_access_gets_404_like_a_missing_case(small, client_for, step):
    seq = head(small)
    client = client_for("BC1")
    for method in (get, post):
        args = (client, url(small, step)) + (({"expect_seq": seq},) if method is post else ())
        hidden = method(*args)
        missing = method(client, f"/cases/NOSUCHCASE000000/act/{step}/", *args[2:])
        assert hidden.status_code == missing.status_code == 404
        assert hidden.content == missing.content
    assert head(small) == seq


@pytest.mark.parametrize("step", INFORMAL_STEPS)
def test_informal_steps_404_without_access_and_outside_the_protocol(
    informal, small, client_for, step
):
    assert get(client_for("BC1"), url(informal, step), when=LATER).status_code == 404
    assert get(client_for("N4"), url(informal, "prepare_report"), when=LATER).status_code == 200
    # The League's protocol has no informal resolution: no such step on its cases.
    assert get(client_for("N1"), url(small, step)).status_code == 404


# Who may take each step (anyone else is refused before the form is read).
STEP_TAKERS = {"challenge_measure": "R", "withdraw_statement": "R"}


@pytest.mark.parametrize("step", LEAGUE_STEPS)
def test_an_empty_form_changes_nothing(small, client_for, step):
    seq = head(small)
    client = client_for(STEP_TAKERS.get(step, "N1"))
    response = post(client, url(small, step), {"expect_seq": seq, "confirmed": "yes"})
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in response.content.decode()
    assert head(small) == seq
