"""Acceptance: the reference case run live through the services (issue 7)."""

from __future__ import annotations

import pytest

from docket.access.selectors import case_for, visible_cases
from docket.cases.acting import load
from docket.core.clock import frozen_at
from docket.core.errors import NotFound
from docket.demo.reference_live import at, run_reference_case
from docket.ledger.selectors import stream_events
from docket.org.selectors import standing_at

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def run(league):
    return run_reference_case(league)


def test_steps_8_and_13_are_refused_with_clear_reasons(run):
    vote = run.refusals["step 8: the NDC panel's vote"]
    assert vote.code == "protocol.refused"
    assert "The respondent has not been given witness statements W1, W2 and W3." in vote.message
    assert "s.4.2" in vote.message
    assert "s.4.3" in vote.message
    assert {r["clause"] for r in vote.data["reasons"]} == {"s.4.2", "s.4.3"}
    work = run.refusals["step 13: the Appeals Committee's work"]
    assert "Appeals Committee has not received the earlier record" in work.message
    assert work.data["reasons"][0]["clause"] == "s.7.3"
    assert work.data["deviable_by"] == ["sc"]


def test_the_rest_succeeds_and_the_record_is_clean(run, league):
    ctx = load(run.case, lock=False)
    assert ctx.evaluation.violations == []
    assert run.case.reference == "2013-004"
    assert run.case.stage == "review"
    assert not run.case.closed
    types = [e.type for e in stream_events(run.case.stream)]
    assert "vote.opened" in types  # the AC's vote, after disclosure and a hearing
    assert types.count("record.handed_over") == 3  # to the NDC, the AC, the 2019 review
    assert types[-2:] == ["case.reopened", "record.handed_over"]


def test_the_2019_review_body_sees_the_whole_record(run, league):
    with frozen_at(at("2019-03-26T10:00:00-04:00")):
        standing = case_for(league.person("S5"), run.case.public_id)
        assert standing.full_record
        # The 2013 NDC chair's term has ended and the case left the NDC long ago.
        with pytest.raises(NotFound):
            case_for(league.person("N1"), run.case.public_id)
        # A branch officer who never took part sees nothing, not even that it exists.
        assert not visible_cases(league.person("BC1")).exists()
        with pytest.raises(NotFound):
            case_for(league.person("BC1"), run.case.public_id)
        # The respondent sees their own case, as a party.
        assert case_for(league.person("R"), run.case.public_id).party == "respondent"


def test_suspension_and_reinstatement_are_on_the_member_record(run, league):
    R = league.person("R")
    assert standing_at(R, at("2013-04-01T00:00:00-04:00")).status == "suspended"
    assert standing_at(R, at("2013-10-01T00:00:00-04:00")).status == "active"
