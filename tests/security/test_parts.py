"""Issue 24, High 1 and 2 and three of its Low findings, as an attacker would try them:
who may give whom a part in a case, and what a part does to a seat.

Every attack goes through the real interfaces (the API with a bearer token, the step
pages with a signed-in account, the import of a case record); the rule they run into is
decided once, by the protocol engine (``engine.PART_FIELDS``, ``_check_part``,
``_check_revoke``), with what only the database knows (seats) read by ``cases.acting``.
All people are fictional (the League of docket.demo).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from docket.access.selectors import case_for
from docket.accounts.models import User
from docket.api.credentials import token_create
from docket.cases import interchange
from docket.cases import services as s
from docket.cases.acting import load
from docket.cases.models import Case, CaseRole
from docket.cases.services.interchange import case_import
from docket.core.clock import frozen_at
from docket.core.errors import NotFound, ProtocolRefusal
from docket.crypto.models import ContentItem
from docket.demo.reference_live import at
from docket.demo.testing import OPENED_AT, harbor_case_with_panel
from docket.ledger.models import LedgerEvent
from docket.org.models import Person
from docket.org.services import person_link_account
from docket.protocol.engine import NO_GRANT, NOT_EMPOWERED, PART_REFUSED

pytestmark = pytest.mark.django_db

MARCH = at("2013-03-13T12:00:00-04:00")
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reference-case.yaml"


# --- the case, and the people acting in it ------------------------------------------------


@pytest.fixture
def case(league: Any) -> Case:
    """Opened by the NDC with the panel N1 (chair), N2, N3; charges served on R; C has
    named CA her advocate; N2 has interviewed the witness W1. N4 sits on the NDC but not
    on the panel; BC1 (Bay City) and A have no part in the case."""
    p = league.person
    made = harbor_case_with_panel(league, reference="2013-024")
    ref = made.public_id
    with frozen_at(at(OPENED_AT)):
        s.charges_serve(by=p("N1"), case=ref, respondent=p("R"), allegations=["A1"], notice="N.")
        s.advocate_name(by=p("C"), case=ref, party="complainant", advocate=p("CA"))
        s.statement_record(
            by=p("N2"), case=ref, author=p("W1"), role="witness", label="W1", text="W1's words."
        )
    made.refresh_from_db()
    return made


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _account(person: Person) -> User:
    """The person's account (made once), linked and with an authenticator."""
    linked = Person.objects.get(pk=person.pk).user_id
    if linked is not None:
        return User.objects.get(pk=linked)
    user = User.objects.create_user(
        email=f"{person.public_id.lower()}@parts.example", password="correct-horse-battery"
    )
    person_link_account(actor="test", capacity="test", person=person, user=user, reason="test")
    TOTP.activate(user, generate_totp_secret())
    return user


class Api:
    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.secret = secret

    def post(self, path: str, body: dict[str, Any]) -> Any:
        with frozen_at(MARCH):
            return self.client.post(
                f"/api/v1{path}",
                body,
                content_type="application/json",
                headers={"Authorization": f"Bearer {self.secret}"},
            )

    def get(self, path: str) -> Any:
        with frozen_at(MARCH):
            return self.client.get(
                f"/api/v1{path}", headers={"Authorization": f"Bearer {self.secret}"}
            )


@pytest.fixture
def api(league: Any) -> Callable[[str], Api]:
    def make(key: str) -> Api:
        user = _account(league.person(key))
        issued = token_create(
            email=user.email, scopes=["cases:read", "cases:act"], days=30, actor="test"
        )
        return Api(issued.secret)

    return make


@pytest.fixture
def web(league: Any) -> Callable[[str], Client]:
    def make(key: str) -> Client:
        client = Client()
        client.force_login(_account(league.person(key)))
        return client

    return make


def web_post(client: Client, case: Case, step: str, data: dict[str, Any]) -> Any:
    data = {"expect_seq": Case.objects.get(pk=case.pk).head_seq, **data}
    with frozen_at(MARCH):
        return client.post(f"/cases/{case.public_id}/act/{step}/", data)


def web_get(client: Client, case: Case, step: str) -> Any:
    with frozen_at(MARCH):
        return client.get(f"/cases/{case.public_id}/act/{step}/")


def written(case: Case) -> tuple[int, int, list[tuple[str, str]]]:
    """What a refused request must leave as it was."""
    return (
        # A refused step is kept on the record (step.refused) and changes nothing else.
        LedgerEvent.objects.filter(stream=case.stream).exclude(type="step.refused").count(),
        ContentItem.objects.filter(stream=case.stream).count(),
        sorted(CaseRole.objects.filter(case=case).values_list("person__public_id", "role")),
    )


def sees(person: Person, case: Case) -> bool:
    try:
        case_for(person, case.public_id, MARCH)
    except NotFound:
        return False
    return True


def part_refused(answer: Any, clause: str) -> dict[str, Any]:
    assert answer.status_code == 409, answer.content[:2000]
    body: dict[str, Any] = answer.json()
    assert body["code"] == "protocol.refused"
    assert [(r["code"], r["clause"]) for r in body["data"]["reasons"]] == [(PART_REFUSED, clause)]
    return body


def statement(author: Person, role: str, label: str = "X1") -> dict[str, Any]:
    return {"author": author.public_id, "role": role, "label": label, "text": "Words."}


# --- High 1: forged statements give parts -------------------------------------------------


def test_high1_a_party_cannot_record_a_statement_as_the_other_party(case, league, api):
    """C records, through the API, a statement "of the respondent" attributed to R."""
    p = league.person
    before = written(case)
    answer = api("C").post(
        f"/cases/{case.public_id}/actions/statement-record", statement(p("R"), "respondent")
    )
    part_refused(answer, "s.3.5")
    assert written(case) == before


def test_high1_a_party_cannot_make_an_outsider_a_witness(case, league, api):
    """C names BC1, who has no part in the case, as a witness: BC1 must not get in."""
    p = league.person
    outsider = api("BC1")
    assert outsider.get(f"/cases/{case.public_id}").status_code == 404
    before = written(case)
    answer = api("C").post(
        f"/cases/{case.public_id}/actions/statement-record", statement(p("BC1"), "witness")
    )
    part_refused(answer, "s.3.5")
    assert written(case) == before
    assert outsider.get(f"/cases/{case.public_id}").status_code == 404
    assert not sees(p("BC1"), case)


def test_high1_the_panel_chair_named_witness_keeps_the_whole_record(case, league, api):
    p = league.person
    assert case_for(p("N1"), case.public_id, MARCH).full_record
    before = written(case)
    answer = api("C").post(
        f"/cases/{case.public_id}/actions/statement-record", statement(p("N1"), "witness")
    )
    part_refused(answer, "s.3.5")
    assert written(case) == before
    standing = case_for(p("N1"), case.public_id, MARCH)
    assert standing.full_record
    assert "witness" not in standing.roles


def test_high1_a_recused_member_named_witness_stays_out(case, league, api, web):
    p = league.person
    with frozen_at(MARCH):
        s.conflict_declare(
            by=p("N1"), case=case.public_id, person=p("N3"), reasons="Related to R's employer."
        )
    assert not sees(p("N3"), case)
    before = written(case)
    # By a party, through the API ...
    answer = api("C").post(
        f"/cases/{case.public_id}/actions/statement-record", statement(p("N3"), "witness")
    )
    part_refused(answer, "s.3.5")
    # ... and by the panel chair through the step page: the engine, not the form, refuses.
    page = web_post(
        web("N1"),
        case,
        "record_statement",
        {"role": "witness", "author": "L-0303", "label": "N3", "text": "Words."},
    )
    assert page.status_code == 409
    assert "s.3.5" in page.content.decode()
    assert written(case) == before
    assert not sees(p("N3"), case)


def test_high1_the_web_form_is_not_the_check(case, league, web):
    """A party posts the step page with a role and author its form does not offer."""
    before = written(case)
    page = web_post(
        web("C"),
        case,
        "record_statement",
        {"role": "respondent", "author": "L-1043", "label": "R1", "text": "Words."},
    )
    assert page.status_code in (400, 409)
    assert written(case) == before
    # The service every interface calls refuses it by the engine, whatever a form offers.
    with frozen_at(MARCH), pytest.raises(ProtocolRefusal) as refused:
        s.statement_record(
            by=league.person("C"),
            case=case.public_id,
            author=league.person("R"),
            role="respondent",
            label="R1",
            text="Words.",
        )
    assert refused.value.data["reasons"][0]["code"] == PART_REFUSED
    assert written(case) == before


def test_high1_the_holding_body_still_calls_witnesses_and_parties_give_their_own(case, league, api):
    p = league.person
    called = api("N2").post(
        f"/cases/{case.public_id}/actions/statement-record", statement(p("W2"), "witness", "W2")
    )
    assert called.status_code == 200, called.json()
    assert sees(p("W2"), case)
    own = api("R").post(
        f"/cases/{case.public_id}/actions/statement-record", statement(p("R"), "respondent", "R1")
    )
    assert own.status_code == 200, own.json()
    for_c = api("CA").post(
        f"/cases/{case.public_id}/actions/statement-record",
        statement(p("C"), "complainant", "C1"),
    )
    assert for_c.status_code == 200, for_c.json()


def test_high1_an_imported_forged_statement_gives_no_part(league, tmp_path):
    """The same forgery inside a case record imported with ``docket case import``: the
    history keeps the step, as a violation, and the named outsider gets nothing."""
    document = yaml.safe_load(FIXTURE.read_text())
    document["case"]["reference"] = "2013-004-forged"
    document["people"]["Q"] = {"label": "Outsider Q", "member": False}
    document["content"]["statement-q"] = {"kind": "statement", "text": "Forged words."}
    document["events"].append(
        {
            "at": "2019-03-30T10:00:00+00:00",
            "type": "statement.recorded",
            "actor": "C",
            "capacity": "complainant",
            "payload": {"item": "statement-q", "author": "Q", "role": "witness", "label": "Q"},
        }
    )
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    imported = case_import(parsed=interchange.read(tmp_path / "case.yaml"), recorded_by="test")
    assert imported.case is not None
    outsider = Person.objects.get(display_name="Outsider Q")
    assert not CaseRole.objects.filter(case=imported.case, person=outsider).exists()
    assert not sees(outsider, imported.case)
    evaluation = load(imported.case, lock=False).evaluation
    assert outsider.public_id not in evaluation.state.witnesses
    assert any(v.code == PART_REFUSED for v in evaluation.violations)


# --- High 2: advocates replace seats -------------------------------------------------------


@pytest.mark.parametrize(
    "named",
    [
        "N1",  # the panel's chair
        "N4",  # a member of the holding body, not on the panel
        "C",  # the other party
        "CA",  # the other side's advocate
        "W1",  # a witness
    ],
)
def test_high2_a_party_cannot_name_a_seat_holder_or_another_participant_advocate(
    case, league, api, named
):
    p = league.person
    before = written(case)
    standing = case_for(p(named), case.public_id, MARCH)
    answer = api("R").post(
        f"/cases/{case.public_id}/actions/advocate-name",
        {"party": "respondent", "advocate": p(named).public_id},
    )
    body = part_refused(answer, "s.4.4")
    assert body["message"].startswith("That person cannot be named advocate in this case.")
    assert written(case) == before
    assert case_for(p(named), case.public_id, MARCH).full_record == standing.full_record


def test_high2_the_only_deciding_member_is_not_locked_out(case, league, web):
    """R names N4 (NDC) through the step page; N4 keeps the body's view of the case."""
    p = league.person
    assert case_for(p("N4"), case.public_id, MARCH).full_record
    before = written(case)
    page = web_post(web("R"), case, "name_advocate", {"party": "respondent", "advocate": "L-0304"})
    assert page.status_code == 409
    assert "s.4.4" in page.content.decode()
    assert written(case) == before
    assert case_for(p("N4"), case.public_id, MARCH).full_record


def test_high2_someone_with_no_part_may_still_be_named(case, league, api):
    p = league.person
    answer = api("R").post(
        f"/cases/{case.public_id}/actions/advocate-name",
        {"party": "respondent", "advocate": p("A").public_id},
    )
    assert answer.status_code == 200, answer.json()
    assert "respondent_advocate" in case_for(p("A"), case.public_id, MARCH).roles


# --- Low: revoking access from someone who never had a grant -------------------------------


def test_low_revoking_access_from_someone_without_a_grant_is_refused(case, league, api):
    p = league.person
    bystander = p("BC1")
    user = _account(bystander)
    epoch = user.session_epoch
    before = written(case)
    answer = api("N1").post(
        f"/cases/{case.public_id}/actions/access-revoke", {"person": bystander.public_id}
    )
    assert answer.status_code == 409, answer.json()
    assert [r["code"] for r in answer.json()["data"]["reasons"]] == [NO_GRANT]
    assert written(case) == before
    assert not LedgerEvent.objects.filter(stream=case.stream, type="access.revoked").exists()
    user.refresh_from_db()
    assert user.session_epoch == epoch  # not signed out


def test_low_revoking_a_real_grant_still_works(case, league, api):
    p = league.person
    with frozen_at(MARCH):
        s.access_grant(
            by=p("N1"),
            case=case.public_id,
            person=p("BC1"),
            until=at("2013-06-01T12:00:00-04:00"),
            reason="Helps with the record.",
        )
    answer = api("N1").post(
        f"/cases/{case.public_id}/actions/access-revoke", {"person": p("BC1").public_id}
    )
    assert answer.status_code == 200, answer.json()
    again = api("N1").post(
        f"/cases/{case.public_id}/actions/access-revoke", {"person": p("BC1").public_id}
    )
    assert again.status_code == 409


# --- Low: a form the viewer may not use is never built --------------------------------------


def test_low_a_party_does_not_see_the_panel_form_or_the_bodys_members(case, league, web):
    p = league.person
    client = web("R")
    page = web_get(client, case, "name_panel")
    html = page.content.decode()
    assert page.status_code == 403
    assert 'data-testid="denied"' in html
    assert "s.3.2" in html
    for key in ("N1", "N2", "N3", "N4"):
        person = p(key)
        assert person.public_id not in html
        assert person.display_name not in html
    posted = web_post(client, case, "name_panel", {"members": [p("N4").public_id]})
    assert posted.status_code == 409
    assert p("N4").display_name not in posted.content.decode()
    # The body's own members still get the form.
    assert web_get(web("N1"), case, "name_panel").status_code == 200


def test_low_the_engine_decides_who_gets_the_form(case, league, web):
    """The refusal comes from the engine's verdict (not empowered), not a list here."""
    page = web_get(web("R"), case, "appoint_investigator")
    assert page.status_code == 403
    assert NOT_EMPOWERED not in page.content.decode()  # the reason, in words
    assert "s.3.2" in page.content.decode()


# --- Low: person references do not tell who exists -------------------------------------------


def test_low_an_unknown_member_number_answers_like_any_refusal(case, league, web, api):
    client = web("R")
    before = written(case)
    known = web_post(client, case, "name_advocate", {"party": "respondent", "advocate": "L-0304"})
    unknown = web_post(client, case, "name_advocate", {"party": "respondent", "advocate": "L-9999"})
    assert known.status_code == unknown.status_code == 409

    def reasons(page: Any) -> str:
        html = page.content.decode()
        return html[html.index('data-testid="refusal"') :].split("</div>")[0]

    assert reasons(known) == reasons(unknown)
    assert "No one with that member number" not in unknown.content.decode()
    # The API: an id on no record gets the answer a refused person gets.
    by_api = api("R")
    refused = by_api.post(
        f"/cases/{case.public_id}/actions/advocate-name",
        {"party": "respondent", "advocate": league.person("N4").public_id},
    )
    missing = by_api.post(
        f"/cases/{case.public_id}/actions/advocate-name",
        {"party": "respondent", "advocate": "PNOSUCHPERSON0000"},
    )
    assert refused.status_code == missing.status_code == 409
    assert refused.json() == missing.json()
    assert written(case) == before
