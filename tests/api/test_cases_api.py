"""Reading cases through the API: only through the selector, 404 for the invisible,
references in the record, content decrypted for those who may read it, journaled."""

from __future__ import annotations

import json

import pytest

from docket.crypto.models import ContentItem
from docket.demo.reference_live import STATEMENTS
from docket.ledger.models import JournalEntry, LedgerEvent

pytestmark = pytest.mark.django_db


def statement_item(case, label: str) -> str:
    event = next(
        e
        for e in LedgerEvent.objects.filter(stream=case.stream, type="statement.recorded")
        if e.payload["label"] == label
    )
    return event.payload["item"]


def test_someone_with_no_part_sees_an_empty_list_and_404s(reference, league, api_as):
    api = api_as(league.person("BC1"))
    listing = api.get("/cases")
    assert listing.status_code == 200
    assert listing.json() == {
        "items": [],
        "meta": {"count": 0, "page": 1, "per_page": 25, "pages": 1},
    }
    case = reference.case.public_id
    item = statement_item(reference.case, "W1")
    for path in ("", "/record", "/permitted", f"/content/{item}", f"/content/{item}/download"):
        hidden = api.get(f"/cases/{case}{path}")
        missing = api.get(f"/cases/ZZZZZZZZZZZZZZZZ{path}")
        assert hidden.status_code == missing.status_code == 404
        assert (
            hidden.json()
            == missing.json()
            == {
                "code": "case.not_found",
                "message": "No such case.",
                "data": {},
            }
        )
    acted = api.post(f"/cases/{case}/actions/note-add", {"text": "I should not be here."})
    assert acted.status_code == 404
    assert not JournalEntry.objects.filter(stream=reference.case.stream).exists()


def test_the_review_body_lists_reads_and_sees_the_whole_record(reference, league, api_as):
    api = api_as(league.person("S5"))
    listing = api.get("/cases").json()
    assert [c["id"] for c in listing["items"]] == [reference.case.public_id]
    assert listing["items"][0]["reference"] == "2013-004"
    detail = api.get(f"/cases/{reference.case.public_id}").json()
    assert detail["standing"] == {
        "roles": [],
        "bodies": ["sc"],
        "party": None,
        "full_record": True,
    }
    record = api.get(f"/cases/{reference.case.public_id}/record").json()
    assert record["complete"] is True
    assert [e["seq"] for e in record["events"]] == list(range(1, record["head_seq"] + 1))
    text = json.dumps(record)
    for statement in STATEMENTS.values():
        assert statement not in text  # references only, never the content
    types = [e["type"] for e in record["events"]]
    assert "statement.recorded" in types
    assert "record.handed_over" in types


def test_content_is_decrypted_for_a_full_record_viewer_and_the_read_journaled(
    reference, league, api_as
):
    s5 = league.person("S5")
    api = api_as(s5)
    item = statement_item(reference.case, "W1")
    answer = api.get(f"/cases/{reference.case.public_id}/content/{item}")
    assert answer.status_code == 200
    assert answer.json()["text"] == STATEMENTS["W1"]
    assert answer.json()["kind"] == "statement"
    read = JournalEntry.objects.get(stream=reference.case.stream, item=item)
    assert (read.reader, read.capacity, read.action) == (s5.public_id, "body:sc", "read")


def test_the_respondent_sees_their_side_and_reads_only_what_was_given(reference, league, api_as):
    api = api_as(league.person("R"))
    case = reference.case.public_id
    record = api.get(f"/cases/{case}/record").json()
    assert record["complete"] is False
    types = {e["type"] for e in record["events"]}
    assert {"charges.served", "material.disclosed", "case.opened"} <= types
    assert "statement.recorded" not in types  # witnesses' statements are not their events
    given = statement_item(reference.case, "W4")
    answer = api.get(f"/cases/{case}/content/{given}")
    assert answer.status_code == 200
    assert answer.json()["text"] == STATEMENTS["W4"]
    never_given = statement_item(reference.case, "W1")
    refused = api.get(f"/cases/{case}/content/{never_given}")
    assert refused.status_code == 404
    assert refused.json()["code"] == "content.not_found"
    assert not JournalEntry.objects.filter(item=never_given).exists()


def test_an_item_of_another_case_is_not_found_through_this_one(reference, league, api_as):
    api = api_as(league.person("S5"))
    assert ContentItem.objects.exclude(stream=reference.case.stream).count() == 0
    answer = api.get(f"/cases/{reference.case.public_id}/content/ZZZZZZZZZZZZZZZZ")
    assert answer.status_code == 404


def test_filters_and_sort_keys_are_whitelisted_and_paginated(reference, league, api_as):
    api = api_as(league.person("S5"))
    assert api.get("/cases", closed="true").json()["meta"]["count"] == 0
    assert api.get("/cases", stage="review").json()["meta"]["count"] == 1
    assert api.get("/cases", reference="2013-").json()["meta"]["count"] == 1
    assert api.get("/cases", sort="reference", per_page=1, page=2).json()["items"] == []
    for bad in ({"sort": "protocol__text"}, {"per_page": 1000}, {"page": 0}, {"stage": "X;"}):
        refused = api.get("/cases", **bad)
        assert refused.status_code == 422
        assert refused.json()["code"] == "input.invalid"
        assert refused.json()["data"]["errors"]


def test_permitted_actions_carry_the_engine_s_verdicts(reference, league, api_as):
    api = api_as(league.person("S5"))
    answer = api.get(f"/cases/{reference.case.public_id}/permitted").json()
    assert answer["capacities"][0] == "body:sc"
    verdicts = {v["action"]: v for v in answer["actions"]}
    assert verdicts["conclude_review"]["allowed"] is True
    assert verdicts["conclude_review"]["capacity"] == "body:sc"
    refused = verdicts["receive_complaint"]
    assert refused["allowed"] is False
    assert refused["reasons"]
    assert all(r["clause"] for r in refused["reasons"])
