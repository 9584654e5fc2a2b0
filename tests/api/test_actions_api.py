"""Acting through the API: one endpoint per service, engine refusals as 409 with the
clauses, stale views as 409, and bad input changing nothing."""

from __future__ import annotations

import pytest

from docket.cases import services as s
from docket.cases.models import Case
from docket.core.clock import frozen_at
from docket.crypto.models import ContentItem
from docket.demo.reference_live import STATEMENTS, at
from docket.demo.testing import harbor_case_with_panel
from docket.ledger.models import LedgerEvent

pytestmark = pytest.mark.django_db


def untouched(case: Case):
    """What must not change when a request is refused (the refusal itself is kept on
    the record as step.refused, and is all that is added)."""
    steps = LedgerEvent.objects.filter(stream=case.stream).exclude(type="step.refused")
    return (
        steps.count(),
        ContentItem.objects.filter(stream=case.stream).count(),
        steps.order_by("-seq").values_list("seq", flat=True).first(),
    )


@pytest.fixture
def before_the_vote(league):
    """The reference case up to step 7: statements taken, none shown to R, no hearing."""
    p = league.person
    case = harbor_case_with_panel(
        league,
        reference="2013-104",
        category="physical misconduct",
        allegation="Code of Conduct s.2",
        account="",
    )
    with frozen_at(at("2013-03-12T12:00:00-04:00")):
        s.charges_serve(
            by=p("N1"), case=case.public_id, respondent=p("R"), allegations=["A1"], notice="N."
        )
    for day, label in (("2013-04-10", "W1"), ("2013-04-24", "W2"), ("2013-05-08", "W3")):
        with frozen_at(at(f"{day}T18:00:00-04:00")):
            s.statement_record(
                by=p("N2"),
                case=case.public_id,
                author=p(label),
                role="witness",
                label=label,
                text=STATEMENTS[label],
            )
    case.refresh_from_db()
    return case


def test_the_vote_without_disclosure_or_hearing_is_refused_with_its_clauses(
    before_the_vote, league, api_as
):
    api = api_as(league.person("N1"))
    case = before_the_vote
    before = untouched(case)
    with frozen_at(at("2013-06-02T19:00:00-04:00")):
        answer = api.post(
            f"/cases/{case.public_id}/actions/vote-open",
            {"vote_id": "V1", "motion": "Recommend expulsion", "sanction": "expulsion"},
        )
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "protocol.refused"
    assert "The respondent has not been given witness statements W1, W2 and W3." in body["message"]
    assert {r["clause"] for r in body["data"]["reasons"]} == {"s.4.2", "s.4.3"}
    assert body["data"]["action"] == "open_vote"
    assert "Traceback" not in answer.content.decode()
    assert untouched(case) == before


def test_the_same_vote_goes_through_once_the_protocol_is_followed(before_the_vote, league, api_as):
    api = api_as(league.person("N1"))
    case = before_the_vote.public_id
    items = [
        e.payload["item"]
        for e in LedgerEvent.objects.filter(stream=f"case:{case}", type="statement.recorded")
    ]
    with frozen_at(at("2013-05-10T12:00:00-04:00")):
        given = api.post(
            f"/cases/{case}/actions/material-disclose", {"to": "respondent", "items": items}
        )
        assert given.status_code == 200, given.json()
        scheduled = api.post(
            f"/cases/{case}/actions/hearing-schedule",
            {"hearing_id": "H1", "at": "2013-05-30T18:00:00-04:00"},
        )
        assert scheduled.status_code == 200, scheduled.json()
    with frozen_at(at("2013-05-30T20:00:00-04:00")):
        held = api.post(
            f"/cases/{case}/actions/hearing-hold",
            {"hearing_id": "H1", "record": "Notes.", "expect_seq": scheduled.json()["head_seq"]},
        )
        assert held.status_code == 200, held.json()
        assert held.json()["event"]["payload"]["record_ref"]  # a reference, not the notes
        assert "Notes." not in held.content.decode()
    with frozen_at(at("2013-06-02T19:00:00-04:00")):
        opened = api.post(
            f"/cases/{case}/actions/vote-open",
            {"vote_id": "V1", "motion": "Recommend expulsion", "sanction": "expulsion"},
        )
    assert opened.status_code == 200, opened.json()
    assert opened.json()["event"]["type"] == "vote.opened"
    assert opened.json()["event"]["capacity"] == "body:ndc"


def test_a_stale_view_is_refused_and_changes_nothing(reference, league, api_as):
    api = api_as(league.person("S5"))
    case = reference.case
    before = untouched(case)
    answer = api.post(
        f"/cases/{case.public_id}/actions/note-add",
        {"text": "A note.", "expect_seq": case.head_seq - 1},
    )
    assert answer.status_code == 409
    assert answer.json()["code"] == "case.changed"
    assert untouched(case) == before


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("note-add", {"text": ""}, 422, "input.invalid"),
        ("note-add", {"text": "   "}, 400, "input.invalid"),
        ("note-add", {"text": "a\x00b"}, 422, "input.invalid"),
        ("note-add", "just a string", 400, "http.400"),
        ("note-add", {"text": 5}, 422, "input.invalid"),
        ("case-close", {"disposition": "vanished"}, 422, "input.invalid"),
        ("investigator-appoint", {"person": "ZZZZZZZZZZZZZZZZ"}, 400, "person.unknown"),
        ("hearing-schedule", {"hearing_id": "H9", "at": "2019-05-01T18:00:00"}, 422, None),
        ("hearing-schedule", {"hearing_id": "H9", "at": "0001-01-01T00:00:00+01:00"}, 400, None),
        ("access-grant", {"person": "ZZZZZZZZZZZZZZZZ", "until": "x", "reason": "r"}, 422, None),
        ("case-link", {"other": "ZZZZZZZZZZZZZZZZ"}, 400, "input.invalid"),
        ("evidence-record", {"label": "E1", "content_base64": "not base64!"}, 422, None),
        ("note-add", {"text": "ok", "deviation": {"body": "sc", "justification": "x"}}, 422, None),
        ("note-add", {"text": "ok", "txet": "typo"}, 422, "input.invalid"),
    ],
)
def test_bad_input_gets_a_clear_error_and_changes_nothing(
    reference, league, api_as, path, body, status, code
):
    api = api_as(league.person("S5"))
    case = reference.case
    before = untouched(case)
    if isinstance(body, str):
        answer = api.client.post(
            f"/api/v1/cases/{case.public_id}/actions/{path}",
            f'"{body}"',
            content_type="application/json",
            headers={"Authorization": f"Bearer {api.secret}"},
        )
    else:
        answer = api.post(f"/cases/{case.public_id}/actions/{path}", body)
    assert answer.status_code == status, answer.json()
    assert set(answer.json()) == {"code", "message", "data"}
    if code:
        assert answer.json()["code"] == code
    assert untouched(case) == before


def test_an_action_records_a_reference_and_its_content_reads_back(reference, league, api_as):
    api = api_as(league.person("S5"))
    case = reference.case.public_id
    added = api.post(f"/cases/{case}/actions/note-add", {"text": "Review begins.", "label": "n"})
    assert added.status_code == 200
    event = added.json()["event"]
    assert event["type"] == "note.added"
    assert event["actor"] == league.person("S5").public_id
    assert "Review begins." not in added.content.decode()
    read = api.get(f"/cases/{case}/content/{event['payload']['item']}")
    assert read.json()["text"] == "Review begins."


def test_linking_to_a_case_one_cannot_see_answers_like_a_missing_one(
    reference, before_the_vote, league, api_as
):
    api = api_as(league.person("S5"))
    hidden = api.post(
        f"/cases/{reference.case.public_id}/actions/case-link",
        {"other": before_the_vote.public_id},
    )
    missing = api.post(
        f"/cases/{reference.case.public_id}/actions/case-link", {"other": "ZZZZZZZZZZZZZZZZ"}
    )
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
