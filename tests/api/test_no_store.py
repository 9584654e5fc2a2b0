"""Issue 24, low: pages and API answers carrying decrypted content are sent with
``Cache-Control: no-store`` (a shared computer's browser cache, a caching proxy or the
back button kept statements after sign-out). Whatever journals a read of content marks
the request; ``docket.web.nostore.NoStoreMiddleware`` sets the header."""

from __future__ import annotations

import pytest

from docket.demo.reference_live import STATEMENTS

from .test_cases_api import statement_item

pytestmark = pytest.mark.django_db


def test_an_api_answer_with_a_statement_is_not_stored(reference, league, api_as):
    api = api_as(league.person("S5"))
    item = statement_item(reference.case, "W1")
    answer = api.get(f"/cases/{reference.case.public_id}/content/{item}")
    assert answer.status_code == 200
    assert answer.json()["text"] == STATEMENTS["W1"]
    assert "no-store" in answer["Cache-Control"]


def test_an_answer_without_content_is_left_alone(reference, league, api_as):
    api = api_as(league.person("S5"))
    listing = api.get("/cases")
    assert listing.status_code == 200
    assert "no-store" not in listing.get("Cache-Control", "")
