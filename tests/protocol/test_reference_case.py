"""The reference case judged by the engine alone: exactly three breaches of protocol v1,
and the same steps refused when tried live."""

from __future__ import annotations

import pytest

from docket.protocol.engine import evaluate
from docket.protocol.loader import load_protocol
from docket.protocol.state import Participant

from .history import PROTOCOLS, REVIEW_DAY, index_of, reference_events


@pytest.fixture(scope="module")
def protocol():
    return load_protocol(PROTOCOLS / "league-v1.yaml")


def test_history_yields_exactly_the_three_violations(protocol):
    events = reference_events()
    result = evaluate(protocol, events, REVIEW_DAY)
    found = {(v.key, v.clause) for v in result.violations}
    assert found == {
        ("statements_shown_before_vote", "s.4.2"),
        ("hearing_before_vote", "s.4.3"),
        ("record_before_work", "s.7.3"),
    }
    by_key = {v.key: v for v in result.violations}
    vote = index_of(events, "vote.opened", vote_id="V1") + 1
    assert by_key["statements_shown_before_vote"].events == (vote,)
    assert "W1, W2 and W3" in by_key["statements_shown_before_vote"].reason
    assert by_key["hearing_before_vote"].events == (vote,)
    ac_work = by_key["record_before_work"].events
    first_ac_statement = index_of(events, "statement.recorded", item="statement-w4") + 1
    assert ac_work[0] == first_ac_statement
    ac_decision = index_of(events, "decision.issued", decision_id="D2") + 1
    assert ac_decision in ac_work
    assert result.deviations == []


def test_what_was_done_by_the_book_is_not_flagged(protocol):
    events = reference_events()
    result = evaluate(protocol, events, REVIEW_DAY)
    flagged = {seq for v in result.violations for seq in v.events}
    for type_, payload in [
        ("participation.chosen", {"choice": "statement_only"}),
        ("measure.imposed", {"measure_id": "M1"}),
        ("mistrial.declared", {}),
        ("decision.overruled", {"decision_id": "D1"}),
        ("reinvestigation.ordered", {}),
        ("parallel_proceeding.noted", {}),
        ("case.reopened", {}),
    ]:
        assert index_of(events, type_, **payload) + 1 not in flagged, type_
    assert result.state.closed is False  # reopened for review in 2019
    assert result.state.stage == "review"
    assert result.state.proceeding is not None
    assert result.state.proceeding.record_received


def test_the_vote_at_step_8_is_refused_live(protocol):
    events = reference_events()
    before_vote = events[: index_of(events, "vote.opened", vote_id="V1")]
    now = before_vote[-1].occurred_at
    result = evaluate(protocol, before_vote, now)
    chair = Participant("N1", frozenset({"ndc"}))
    verdict = result.check("open_vote", chair, {"vote_id": "V1", "motion": "Recommend expulsion"})
    assert not verdict.allowed
    messages = [r.message(protocol) for r in verdict.refusals]
    assert any(
        "The respondent has not been given witness statements W1, W2 and W3." in m and "s.4.2" in m
        for m in messages
    ), messages
    assert any("No hearing has been held" in m and "s.4.3" in m for m in messages), messages
    assert verdict.deviable_by == ()  # nobody may vote past these two rights
    assert verdict not in [v for v in result.permitted(chair) if v.allowed]


def test_the_appeals_committee_work_at_step_13_is_refused_live(protocol):
    events = reference_events()
    upto = events[: index_of(events, "statement.recorded", item="statement-w4")]
    result = evaluate(protocol, upto, upto[-1].occurred_at)
    ac_chair = Participant("X1", frozenset({"ac"}))
    payload = {"item": "statement-w4", "author": "W4", "role": "witness", "label": "W4"}
    verdict = result.check("record_statement", ac_chair, payload)
    assert not verdict.allowed
    (refusal,) = verdict.refusals
    assert refusal.clause == "s.7.3"
    assert "Appeals Committee has not received the earlier record" in refusal.message(protocol)
    assert verdict.deviable_by == ("sc",)

    # Once the record is handed over, the same step is allowed.
    from docket.protocol.state import Event

    handover = Event(
        seq=len(upto) + 1,
        type="record.handed_over",
        actor="S1",
        capacity="body:sc",
        occurred_at=upto[-1].occurred_at,
        payload={"to_body": "ac", "through_seq": len(upto)},
    )
    after = evaluate(protocol, [*upto, handover], handover.occurred_at)
    assert after.check("record_statement", ac_chair, payload).allowed


def test_an_empowered_deviation_is_recorded_not_flagged(protocol):
    events = reference_events()
    upto = events[: index_of(events, "statement.recorded", item="statement-w4")]
    result = evaluate(protocol, upto, upto[-1].occurred_at)
    sc_member = Participant("S1", frozenset({"sc", "ac"}))
    deviation = {
        "body": "sc",
        "justification": "The earlier file is held by the police as evidence until August;"
        " the committee starts with fresh interviews.",
        "rules": ["record_before_work"],
    }
    payload = {"item": "statement-w4", "author": "W4", "role": "witness", "label": "W4"}
    assert result.check("record_statement", sc_member, payload, deviation).allowed
    short = {**deviation, "justification": "because"}
    assert not result.check("record_statement", sc_member, payload, short).allowed
    not_empowered = Participant("X1", frozenset({"ac"}))
    assert not result.check("record_statement", not_empowered, payload, deviation).allowed
