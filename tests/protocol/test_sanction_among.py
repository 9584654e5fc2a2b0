"""``sanction_among``: rules that depend on the sanction a step proposes or imposes
(a hearing before a vote on expulsion, not before one on a reprimand)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import yaml

from docket.events.registry import event_type, validate
from docket.protocol.actions import ACTION_FOR_EVENT, ACTIONS, SANCTION_FIELDS
from docket.protocol.conditions import Context, Not, SanctionAmong, parse_condition
from docket.protocol.engine import evaluate, participant_of
from docket.protocol.loader import ProtocolInvalid, parse_protocol
from docket.protocol.state import Event, Participant

from .history import (
    HEARING_BEFORE_HEAVY_SANCTION,
    PROTOCOLS,
    REVIEW_DAY,
    index_of,
    league_with_sanction_rule,
    reference_events,
)

CHAIR = Participant("N1", frozenset({"ndc"}))
HEAVY = SanctionAmong(("expulsion", "suspension"))


@pytest.fixture(scope="module")
def protocol():
    # Only the sanction-dependent s.4.3 guards the vote (s.4.2 is left out), so a vote
    # is allowed or refused by it alone.
    return league_with_sanction_rule(keep_statements_rule=False)


def before_first_vote() -> list[Event]:
    events = reference_events()
    return events[: index_of(events, "vote.opened", vote_id="V1")]


def ctx(protocol, event_type: str, payload: dict) -> Context:
    events = before_first_vote()
    state = evaluate(protocol, events, events[-1].occurred_at).state
    return Context(protocol, state, CHAIR, validate(event_type, payload), events[-1].occurred_at)


VOTE = {"vote_id": "V9", "motion_ref": "K-motion"}
DECISION = {"decision_id": "D9", "vote_id": "V1", "findings": []}
APPLY = {"decision_id": "D1", "subject": "R"}


@pytest.mark.parametrize(
    ("event_type", "payload"),
    [
        ("vote.opened", {**VOTE, "sanction": "expulsion"}),
        (
            "decision.issued",
            {**DECISION, "outcome": "sanction", "sanctions": ["reprimand", "suspension"]},
        ),
        ("sanction.applied", {**APPLY, "sanction": "suspension"}),
    ],
)
def test_holds_when_the_step_names_a_listed_sanction(protocol, event_type, payload):
    assert HEAVY.check(ctx(protocol, event_type, payload)) is None


@pytest.mark.parametrize(
    ("event_type", "payload", "reason"),
    [
        ("vote.opened", {**VOTE, "sanction": "reprimand"}, "it concerns reprimand."),
        (
            "decision.issued",
            {**DECISION, "outcome": "sanction", "sanctions": ["reprimand", "removal_from_office"]},
            "it concerns reprimand and removal from office.",
        ),
        ("sanction.applied", {**APPLY, "sanction": "reprimand"}, "it concerns reprimand."),
        ("vote.opened", VOTE, "it names no sanction."),
        # A decision not to sanction imposes none, whatever it lists.
        (
            "decision.issued",
            {**DECISION, "outcome": "no_sanction", "sanctions": ["expulsion"]},
            "it names no sanction.",
        ),
        ("hearing.held", {"hearing_id": "H1"}, "it names no sanction."),
    ],
)
def test_fails_for_another_sanction_or_none(protocol, event_type, payload, reason):
    failure = HEAVY.check(ctx(protocol, event_type, payload))
    assert failure is not None
    assert failure.reason == f"This step does not concern expulsion or suspension: {reason}"


def test_under_not_the_refusal_names_the_sanction(protocol):
    failure = Not(HEAVY).check(ctx(protocol, "vote.opened", {**VOTE, "sanction": "expulsion"}))
    assert failure is not None
    assert failure.reason == "This step concerns expulsion."
    assert Not(HEAVY).check(ctx(protocol, "vote.opened", {**VOTE, "sanction": "reprimand"})) is None


def test_a_bare_key_is_a_list_of_one():
    assert parse_condition({"sanction_among": "expulsion"}) == SanctionAmong(("expulsion",))
    assert HEAVY.describe() == "the step concerns expulsion or suspension"


def test_a_vote_on_expulsion_without_a_hearing_is_refused(protocol):
    events = before_first_vote()
    now = evaluate(protocol, events, events[-1].occurred_at)
    verdict = now.check("open_vote", CHAIR, {**VOTE, "sanction": "expulsion"})
    assert not verdict.allowed
    (refusal,) = verdict.refusals
    assert (refusal.rule, refusal.clause) == ("hearing_before_vote", "s.4.3")
    assert refusal.reason == (
        "None of these holds: This step concerns expulsion; or No hearing has been held, "
        "and the respondent has not waived it."
    )


@pytest.mark.parametrize("sanction", ["reprimand", None])
def test_a_vote_on_a_reprimand_or_no_sanction_needs_no_hearing(protocol, sanction):
    events = before_first_vote()
    now = evaluate(protocol, events, events[-1].occurred_at)
    assert now.check("open_vote", CHAIR, {**VOTE, "sanction": sanction}).allowed


def test_a_waiver_allows_the_vote_on_expulsion(protocol):
    events = before_first_vote()
    waiver = Event(
        len(events) + 1,
        "hearing.waived",
        "R",
        "respondent",
        events[-1].occurred_at,
        validate("hearing.waived", {"party": "respondent"}),
    )
    now = evaluate(protocol, [*events, waiver], waiver.occurred_at)
    assert now.check("open_vote", CHAIR, {**VOTE, "sanction": "expulsion"}).allowed


def with_first_outcome(events: list[Event], sanction: str) -> list[Event]:
    """The reference case with the first panel's vote and decision on ``sanction``."""
    changed = list(events)
    vote = index_of(events, "vote.opened", vote_id="V1")
    decision = index_of(events, "decision.issued", decision_id="D1")
    for at, key, value in [(vote, "sanction", sanction), (decision, "sanctions", [sanction])]:
        e = events[at]
        changed[at] = replace(e, payload=validate(e.type, {**e.payload, key: value}))
    return changed


def test_the_recorded_case_is_judged_as_the_live_step_was(protocol):
    events = reference_events()
    vote = index_of(events, "vote.opened", vote_id="V1") + 1
    decision = index_of(events, "decision.issued", decision_id="D1") + 1
    judged = evaluate(protocol, events, REVIEW_DAY)
    by_key = {v.key: v for v in judged.violations}
    # The vote on expulsion and the decision to recommend it, both without a hearing.
    assert by_key["hearing_before_vote"].events == (vote, decision)
    assert "This step concerns expulsion" in by_key["hearing_before_vote"].reason
    # The same vote and decision on a reprimand breach nothing.
    lesser = evaluate(protocol, with_first_outcome(events, "reprimand"), REVIEW_DAY)
    assert "hearing_before_vote" not in {v.key for v in lesser.violations}


@pytest.mark.parametrize("sanction", ["expulsion", "reprimand"])
def test_every_step_allowed_live_is_not_a_violation_once_recorded(protocol, sanction):
    events = with_first_outcome(reference_events(), sanction)
    refused_by: set[str | None] = set()
    for i in range(1, len(events)):
        event = events[i]
        action = ACTION_FOR_EVENT[event.type].name
        if action not in protocol.actions:
            continue
        live = evaluate(protocol, events[:i], event.occurred_at).check(
            action, participant_of(event), event.payload, event.deviation
        )
        recorded = evaluate(protocol, events[: i + 1], event.occurred_at)
        flagged = any(event.seq in v.events for v in recorded.violations)
        assert live.allowed != flagged, (event, live.refusals)
        refused_by |= {r.rule for r in live.refusals}
    # s.7.3 (record before work) is breached either way; s.4.3 only on expulsion.
    assert "record_before_work" in refused_by
    assert ("hearing_before_vote" in refused_by) == (sanction == "expulsion")


# -- where the condition may be used ---------------------------------------------------


def test_the_steps_that_name_a_sanction_are_those_whose_payload_has_the_field():
    # SANCTION_FIELDS is what both the check and the load-time refusal read; it must
    # agree with the event payloads, or one of them would be wrong.
    fields = set(SANCTION_FIELDS.values())
    for action in ACTIONS.values():
        declared = set(event_type(action.event).payload.model_fields) & fields
        expected = {SANCTION_FIELDS[action.name]} if action.name in SANCTION_FIELDS else set()
        assert declared == expected, action.name


def league_with_rule(applies_to: list[str], require: dict) -> str:
    doc = yaml.safe_load((PROTOCOLS / "league-v1.yaml").read_text())
    doc["rules"]["hearing_before_vote"] = {
        **HEARING_BEFORE_HEAVY_SANCTION,
        "applies_to": applies_to,
        "require": require,
    }
    return yaml.safe_dump(doc, sort_keys=False)


def problems_of(text: str) -> list[tuple[str, str]]:
    try:
        parse_protocol(text)
    except ProtocolInvalid as exc:
        return [(p.field, p.message) for p in exc.problems]
    return []


def test_a_rule_on_the_steps_that_name_a_sanction_loads():
    rule = HEARING_BEFORE_HEAVY_SANCTION
    assert problems_of(league_with_rule(rule["applies_to"], rule["require"])) == []
    bare = {"sanction_among": ["expulsion"]}
    assert problems_of(league_with_rule(list(SANCTION_FIELDS), bare)) == []


def test_required_on_steps_that_name_none_it_is_refused_naming_them():
    text = league_with_rule(["close_vote", "ratify_decision"], {"sanction_among": "expulsion"})
    assert problems_of(text) == [
        (
            "rules.hearing_before_vote.require.sanction_among",
            "the steps close_vote and ratify_decision name no sanction, so this condition is "
            "always false for them; apply the rule only to open_vote, issue_decision or "
            "apply_sanction",
        )
    ]


def test_one_step_that_names_none_among_others_is_enough_to_refuse():
    require = {
        "all": [
            {"record_received": {}},
            {"any": [{"not": {"sanction_among": ["expulsion"]}}, {"quorum": {}}]},
        ]
    }
    ((field, message),) = problems_of(league_with_rule(["open_vote", "close_vote"], require))
    assert field == "rules.hearing_before_vote.require.all[1].any[0].not.sanction_among"
    assert message.startswith("the step close_vote names no sanction,")
