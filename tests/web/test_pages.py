"""The pages: dashboard, case page, party portal, documents, receipts, journal, bodies —
what each person sees, what they do not, and bounded queries whatever the case's size."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from docket.cases import services as s
from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.ledger.journal import journal_for_stream

pytestmark = pytest.mark.django_db

MARCH = at("2013-03-13T12:00:00-04:00")
REVIEW = at("2019-03-26T10:00:00-04:00")


def get(client: Client, url: str, when=MARCH):
    with frozen_at(when):
        return client.get(url)


def post(client: Client, url: str, data: dict, when=MARCH):
    with frozen_at(when):
        return client.post(url, data)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shows(html: str, label: str) -> bool:
    """Whether `label` is shown as a word of the page's text. Attributes (CSRF tokens,
    public ids in links) are random and could contain any short label by chance."""
    parser = _Text()
    parser.feed(html)
    return re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", " ".join(parser.parts)) is not None


# --- dashboard ------------------------------------------------------------------------


def test_the_dashboard_lists_cases_by_role_and_what_is_due(small, client_for):
    html = get(client_for("R"), "/").content.decode()
    assert "2013-009" in html
    assert 'data-testid="cases-party"' in html
    assert "The respondent may answer material given to them within 7 days." in html
    chair = get(client_for("N1"), "/").content.decode()
    assert 'data-testid="cases-panel"' in chair
    assert "Recent activity" in chair
    assert "A statement was recorded" in chair


def test_the_dashboard_shows_nothing_to_someone_without_a_part(small, client_for):
    html = get(client_for("BC1"), "/").content.decode()
    assert "2013-009" not in html
    assert 'data-testid="cases-empty"' in html
    assert 'data-testid="attention-empty"' in html


def test_overdue_obligations_show_on_the_dashboard(small, client_for):
    later = at("2013-04-30T12:00:00-04:00")
    html = get(client_for("N1"), "/", when=later).content.decode()
    assert 'data-testid="overdue"' not in html  # the respondent's window lapses, no duty
    html = get(client_for("R"), "/", when=later).content.decode()
    assert "Nothing needs your attention." in html


# --- the case page and the portal ---------------------------------------------------------


def test_the_full_record_shows_the_timeline_people_and_actions(small, client_for):
    response = get(client_for("N1"), f"/cases/{small.public_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="timeline"' in html
    assert "Complainant C" in html
    assert "Dana Ortiz" not in html  # only on request, journaled
    assert "C&#x27;s own words." not in html
    assert "C's own words." not in html
    assert "Open a vote" in html
    assert "s.4.2" in html
    assert "2013-009" not in response["Content-Type"]


def test_the_party_portal_shows_only_what_the_protocol_gives(small, client_for):
    html = get(client_for("R"), f"/cases/{small.public_id}/").content.decode()
    assert 'data-testid="portal-given"' in html
    assert shows(html, "W1")
    assert "Complainant C" not in html
    assert not shows(html, "C1")
    assert "timeline" not in html
    complainant = get(client_for("CA"), f"/cases/{small.public_id}/").content.decode()
    assert shows(complainant, "C1")
    assert not shows(complainant, "W1")


def test_a_case_that_may_not_be_seen_answers_like_a_missing_one(small, client_for):
    client = client_for("BC1")
    hidden = get(client, f"/cases/{small.public_id}/")
    missing = get(client, "/cases/NOSUCHCASE000000/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    for sub in ("documents/", "record/", "journal/", "votes/", "act/add_note/", "receipt/"):
        assert get(client, f"/cases/{small.public_id}/{sub}").status_code == 404


def test_the_case_page_and_dashboard_run_the_same_bounded_queries(
    small, run, client_for, django_assert_max_num_queries
):
    """A small case (about 10 events) and the reference case (41 events, five bodies)."""
    client = client_for("S5")
    reviewer = client_for("N1")
    with frozen_at(REVIEW), django_assert_max_num_queries(20):
        assert client.get(f"/cases/{run.case.public_id}/").status_code == 200
    with frozen_at(MARCH), django_assert_max_num_queries(20):
        assert reviewer.get(f"/cases/{small.public_id}/").status_code == 200
    for when, who in ((REVIEW, client), (MARCH, reviewer)):
        # 13 for the cases; for people with seats, the intake queue's summary (protocol,
        # seats, count) and the administrator check (permissions) add up to 7.
        with frozen_at(when), django_assert_max_num_queries(20):
            assert who.get("/").status_code == 200


# --- documents, identity, receipts, journal ------------------------------------------------


def test_reading_needs_an_authenticator_and_recovery_codes_do_not_count(small, client_for, account):
    client = client_for("R", mfa=False)
    response = get(client, f"/cases/{small.public_id}/documents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/security/authenticator-needed/")
    Authenticator.objects.create(
        user=account("R"), type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    assert get(client, f"/cases/{small.public_id}/documents/").status_code == 302
    assert get(client, "/security/authenticator-needed/").status_code == 200


def test_the_respondent_reads_what_was_given_and_each_read_is_journaled(small, client_for, league):
    before = journal_for_stream(small.stream).count()
    html = get(client_for("R"), f"/cases/{small.public_id}/documents/").content.decode()
    assert "Witness one&#x27;s words." in html or "Witness one's words." in html
    assert "C&#x27;s own words." not in html
    assert "C's own words." not in html
    assert "Notice." in html
    entries = list(journal_for_stream(small.stream))
    assert len(entries) == before + 2
    assert {e.reader for e in entries[before:]} == {league.person("R").public_id}


def test_identity_is_for_full_record_viewers_and_journaled(small, client_for, league):
    C = league.person("C")
    C.refresh_from_db()
    url = f"/cases/{small.public_id}/people/{C.public_id}/identity/"
    response = get(client_for("N1"), url)
    assert response.status_code == 200
    assert "Dana Ortiz" in response.content.decode()
    assert journal_for_stream(small.stream).filter(item=C.identity_ref).exists()
    assert get(client_for("R"), url).status_code == 404


def test_the_journal_is_for_the_bodies_reviewers(small, client_for):
    get(client_for("R"), f"/cases/{small.public_id}/documents/")
    html = get(client_for("N1"), f"/cases/{small.public_id}/journal/").content.decode()
    assert "Robin Hale" in html
    assert get(client_for("R"), f"/cases/{small.public_id}/journal/").status_code == 404


def test_receipts_and_verification(small, client_for):
    client = client_for("R")
    response = get(client, f"/cases/{small.public_id}/receipt/")
    assert response.status_code == 200
    receipt = json.loads(response.content)
    assert receipt["stream"] == small.stream
    result = post(client, f"/cases/{small.public_id}/record/", {"receipt": json.dumps(receipt)})
    assert "The record is intact." in result.content.decode()
    assert "Your receipt matches it." in result.content.decode()
    bad = post(client, f"/cases/{small.public_id}/record/", {"receipt": "not json"})
    assert bad.status_code == 400
    assert "not json" in bad.content.decode()  # what was typed is kept


def test_evidence_downloads_through_the_safe_helper(small, client_for, league):
    with frozen_at(MARCH):
        event = s.evidence_record(
            by=league.person("N1"),
            case=small.public_id,
            label="E1",
            data=b"plain words",
            filename="e1.txt",
        )
    item = event.payload["item"]
    response = get(client_for("N1"), f"/cases/{small.public_id}/documents/{item}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"plain words"
    assert (
        get(client_for("R"), f"/cases/{small.public_id}/documents/{item}/download/").status_code
        == 404
    )


# --- votes, bodies, new complaints -------------------------------------------------------------


def test_votes_show_quorum_and_threshold(run, client_for):
    html = get(
        client_for("S5"), f"/cases/{run.case.public_id}/votes/", when=REVIEW
    ).content.decode()
    assert "3 of 3 have voted." in html
    assert "Threshold to pass: 2/3." in html
    assert (
        get(client_for("R"), f"/cases/{run.case.public_id}/votes/", when=REVIEW).status_code == 404
    )


def test_body_pages_list_cases_with_compliance(small, client_for, league):
    client = client_for("N1")
    assert "National Disciplinary Committee" in get(client, "/bodies/").content.decode()
    html = get(client, f"/bodies/{league.bodies['ndc'].public_id}/").content.decode()
    assert "2013-009" in html
    assert get(client_for("BC1"), f"/bodies/{league.bodies['ndc'].public_id}/").status_code == 404


def test_an_officer_records_a_complaint(league, client_for):
    client = client_for("B1")
    page = get(client, "/cases/new/")
    assert page.status_code == 200
    body = league.bodies["branch_executive@harbor"]
    data = {
        "protocol_id": "league-disciplinary",
        "received_by": body.public_id,
        "category": "conduct",
        "channel": "in_person",
        "reporter_role": "affected",
        "complainant": league.person("C").public_id,
        "respondent": "L-1043",
        "allegation_rule": "Code s.2",
        "allegation_summary": "Something happened.",
        "account": "",
    }
    bad = post(client, "/cases/new/", {**data, "respondent": "L-9999"})
    assert bad.status_code == 400
    assert "No one with that member number" in bad.content.decode()
    done = post(client, "/cases/new/", data)
    assert done.status_code == 302
    assert get(client_for("BC1"), "/cases/new/").status_code == 200  # a branch executive
    assert get(client_for("R"), "/cases/new/").status_code == 404
