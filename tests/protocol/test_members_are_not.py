"""``members_are_not`` reads whoever a step names: a panel's members, or the one person
appointed (an investigator), so a protocol can require an independent investigator."""

from __future__ import annotations

import pytest

from docket.events.registry import validate
from docket.protocol.conditions import Context, parse_condition
from docket.protocol.engine import evaluate
from docket.protocol.loader import parse_protocol
from docket.protocol.state import Participant

from .history import PROTOCOLS, index_of, reference_events

CHAIR = Participant("N1", frozenset({"ndc"}))
INDEPENDENT = parse_condition({"members_are_not": ["party", "witness", "advocate"]})


@pytest.fixture(scope="module")
def protocol():  # type: ignore[no-untyped-def]
    return parse_protocol((PROTOCOLS / "league-v1.yaml").read_text())


def at_first_vote(protocol):  # type: ignore[no-untyped-def]
    events = reference_events()
    events = events[: index_of(events, "vote.opened", vote_id="V1")]
    return evaluate(protocol, events, events[-1].occurred_at).state, events[-1].occurred_at


@pytest.mark.parametrize(
    ("person", "refused"),
    [("W1", True), ("C", True), ("R", True), ("X3", False)],
)
def test_an_investigator_who_is_a_party_or_witness_is_refused(protocol, person, refused):
    state, now = at_first_vote(protocol)
    payload = validate("investigator.appointed", {"person": person})
    failure = INDEPENDENT.check(Context(protocol, state, CHAIR, payload, now))
    assert (failure is not None) == refused
    if failure is not None:
        assert person in failure.data["conflicted_members"]
