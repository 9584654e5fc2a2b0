"""Properties of the engine over random case histories (hypothesis).

The central one: the engine judges history and live requests with the same guards, so
an action allowed live never shows up as a violation once recorded, and an action
refused live always does.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.events.registry import validate
from docket.protocol.actions import ACTION_FOR_EVENT
from docket.protocol.engine import attributed, evaluate, participant_of
from docket.protocol.loader import load_protocol
from docket.protocol.state import Event, Participant
from docket.protocol.synthetic import synthetic_history

from .history import PROTOCOLS, league_with_sanction_rule

START = datetime(2021, 1, 4, 9, tzinfo=UTC)
PROTOCOL = load_protocol(PROTOCOLS / "league-v1.yaml")
# The same protocol with s.4.3 depending on the sanction at stake (sanction_among).
BY_SANCTION = league_with_sanction_rule()
SANCTIONS = [None, *PROTOCOL.sanctions]
PEOPLE = ["R", "C", "A", "N1", "N2", "N3", "X1", "S1", "W1", "B1"]
BODIES = [frozenset(), frozenset({"ndc"}), frozenset({"sc"}), frozenset({"ac"})]


def history(seed: int, length: int) -> list[Event]:
    events = synthetic_history(random.Random(seed), length, START)
    return [replace(e, payload=validate(e.type, e.payload)) for e in events]


def signature(result):
    return (
        [(v.key, v.clause, v.events, v.proceeding) for v in result.violations],
        [(d.seq, d.rules) for d in result.deviations],
        [(o.deadline, o.started_seq, o.due, o.status) for o in result.obligations],
        result.state.stage,
    )


histories = st.builds(history, st.integers(0, 2**32), st.integers(1, 120))
common = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(histories)
def test_never_crashes_and_is_deterministic(events):
    at = START + timedelta(days=400)
    first = evaluate(PROTOCOL, events, at)
    again = evaluate(PROTOCOL, list(events), at)
    assert signature(first) == signature(again)
    for person in PEOPLE:
        for bodies in BODIES:
            first.permitted(Participant(person, bodies))


@common
@given(histories, st.sampled_from(PEOPLE), st.sampled_from(BODIES))
def test_permitted_lists_exactly_the_allowed_checks(events, person, bodies):
    result = evaluate(PROTOCOL, events, events[-1].occurred_at)
    who = Participant(person, bodies)
    for verdict in result.permitted(who):
        assert verdict.allowed == result.check(verdict.action, who).allowed
        assert verdict.allowed == (not verdict.refusals)


@common
@given(histories)
def test_live_answer_equals_judgement_of_the_record(events):
    # For every event: allowed live just before it <=> not a violation once recorded.
    for i in range(1, len(events)):
        prefix, event = events[:i], events[i]
        action = ACTION_FOR_EVENT[event.type].name
        if action not in PROTOCOL.actions:
            continue
        live = evaluate(PROTOCOL, prefix, event.occurred_at).check(
            action, participant_of(event), event.payload, event.deviation
        )
        recorded = evaluate(PROTOCOL, events[: i + 1], event.occurred_at)
        flagged = any(event.seq in v.events for v in recorded.violations)
        assert live.allowed != flagged, (event, live.refusals)


def sanction_step(events: list[Event], action: str, sanction: str | None) -> Event:
    """The chair of the body holding the case votes on, or decides, ``sanction`` next."""
    state = evaluate(BY_SANCTION, events, events[-1].occurred_at).state
    body = state.proceeding.body if state.proceeding else "ndc"
    chair = state.proceeding.chair if state.proceeding and state.proceeding.chair else "N1"
    payload: dict[str, object]
    if action == "open_vote":
        type_, payload = "vote.opened", {"vote_id": "VS", "motion_ref": "K-m", "sanction": sanction}
    else:
        type_ = "decision.issued"
        payload = {
            "decision_id": "DS",
            "outcome": "sanction" if sanction else "no_sanction",
            "sanctions": [sanction] if sanction else [],
        }
    at = events[-1].occurred_at + timedelta(hours=1)
    return Event(len(events) + 1, type_, chair, f"body:{body}", at, validate(type_, payload))


@common
@given(
    histories,
    st.sampled_from(["open_vote", "issue_decision"]),
    st.sampled_from(SANCTIONS),
    st.data(),
)
def test_a_step_on_any_sanction_is_judged_as_it_was_answered_live(events, action, sanction, data):
    # A rule that depends on the sanction the step names (sanction_among) is judged the
    # same way live and on the record.
    prefix = events[: data.draw(st.integers(1, len(events)))]
    step = sanction_step(prefix, action, sanction)
    live = evaluate(BY_SANCTION, prefix, step.occurred_at).check(
        action, participant_of(step), step.payload
    )
    recorded = evaluate(BY_SANCTION, [*prefix, step], step.occurred_at)
    flagged = {v.key for v in recorded.violations if step.seq in v.events}
    assert live.allowed == (not flagged)
    # Live, every reason is given; judged, each breach is reported under its rule.
    assert {r.rule or f"{r.code}:{action}" for r in attributed(live.refusals)} == flagged


def test_steps_on_a_sanction_exercise_the_sanction_rule():
    # Guard against histories where the sanction never decides: s.4.3 refuses some vote
    # on expulsion or suspension, and never one on a lesser sanction or on none.
    refused: dict[str | None, int] = dict.fromkeys(SANCTIONS, 0)
    for seed in range(10):
        prefix = history(seed, 40)
        for sanction in SANCTIONS:
            step = sanction_step(prefix, "open_vote", sanction)
            verdict = evaluate(BY_SANCTION, prefix, step.occurred_at).check(
                "open_vote", participant_of(step), step.payload
            )
            refused[sanction] += any(r.rule == "hearing_before_vote" for r in verdict.refusals)
    assert refused["expulsion"] > 0
    assert refused["suspension"] == refused["expulsion"]
    assert refused["reprimand"] == refused["removal_from_office"] == refused[None] == 0


@common
@given(histories, st.data())
def test_violations_are_stable_when_unrelated_events_are_added(events, data):
    at = START + timedelta(days=400)
    before = evaluate(PROTOCOL, events, at)
    position = data.draw(st.integers(1, len(events)))
    # Recording correspondence does not change the case; inserting some (by a body always
    # entitled to) must not change what was breached.
    occurred = events[position - 1].occurred_at
    payload = validate("correspondence.received", {"to_body": "sc"})
    note = Event(0, "correspondence.received", "S1", "body:sc", occurred, payload)
    notes = data.draw(st.integers(1, 5))

    def renumber(seq: int) -> int:
        return seq if seq <= position else seq + notes

    def moved(e: Event) -> Event:
        # Sequence numbers inside payloads refer to the record and move with it.
        if e.type == "record.handed_over":
            return replace(
                e, payload={**e.payload, "through_seq": renumber(e.payload["through_seq"])}
            )
        return e

    merged = events[:position] + [note] * notes + [moved(e) for e in events[position:]]
    merged = [replace(e, seq=i) for i, e in enumerate(merged, start=1)]

    after = evaluate(PROTOCOL, merged, at)
    expected = sorted(
        (v.key, v.clause, tuple(renumber(s) for s in v.events)) for v in before.violations
    )
    got = sorted(
        (
            v.key,
            v.clause,
            tuple(s for s in v.events if merged[s - 1].type != "correspondence.received"),
        )
        for v in after.violations
    )
    assert got == expected


def test_results_depend_on_the_clock_only_through_deadlines():
    events = history(7, 80)
    early = evaluate(PROTOCOL, events, events[-1].occurred_at)
    late = evaluate(PROTOCOL, events, events[-1].occurred_at + timedelta(days=3650))
    assert [v.key for v in early.violations] == [v.key for v in late.violations]
    assert all(
        o.status in ("met", "met_late", "cancelled", "overdue", "lapsed") for o in late.obligations
    )


@pytest.mark.parametrize("seed", range(5))
def test_synthetic_histories_contain_violations_and_clean_steps(seed):
    # Guard against a generator that never exercises the rules.
    result = evaluate(PROTOCOL, history(seed, 300), START + timedelta(days=900))
    assert result.violations
    assert result.state.seq == 300
