"""Amendments: a later version's rules bind open cases only where it says so, and only
from the day it was adopted."""

from __future__ import annotations

from datetime import UTC, datetime

from docket.events.registry import validate
from docket.protocol.amend import with_amendments
from docket.protocol.engine import evaluate
from docket.protocol.loader import parse_protocol
from docket.protocol.state import Event, Participant

from .history import PROTOCOLS

V1_TEXT = (PROTOCOLS / "league-v1.yaml").read_text()
V1 = parse_protocol(V1_TEXT, "v1")
# Version 2 (adopted 2026-06-01) no longer lets the respondent waive the hearing, and says
# that this binds open cases too; it also tightens the appeal window, for new cases only.
AMEND = "  version: 2\n  applies_to_open_cases: [hearing_before_vote]\n"
V2 = parse_protocol(
    V1_TEXT.replace("  version: 1\n", AMEND)
    .replace("adopted: 2013-01-19", "adopted: 2026-06-01")
    .replace("hearing_held_or_waived: {waivable_by: [respondent]}", "hearing_held_or_waived: {}")
    .replace("within_days: {event: decision.issued, days: 14}",
             "within_days: {event: decision.issued, days: 7}"),
    "v2",
)  # fmt: skip
CHAIR = Participant("N1", frozenset({"ndc"}))


def event(seq: int, type_: str, actor: str, capacity: str, at: datetime, **payload) -> Event:
    return Event(seq, type_, actor, capacity, at, validate(type_, payload))


def history(waived_at: datetime) -> list[Event]:
    day = datetime(2026, 1, 5, 12, tzinfo=UTC)
    return [
        event(1, "complaint.received", "N1", "body:ndc", day, protocol_id="league-disciplinary",
              protocol_version=1, category="conduct", channel="written",
              reporter_role="affected", complainants=["C"], respondents=["R"],
              allegations=[{"id": "A1", "rule": "Code s.3"}], received_by="ndc"),
        event(2, "case.opened", "N1", "body:ndc", day, reference="2026-009", body="ndc"),
        event(3, "panel.named", "N1", "body:ndc", day, body="ndc", members=["N1", "N2", "N3"],
              chair="N1"),
        event(4, "charges.served", "N1", "body:ndc", day, to="R", allegations=["A1"]),
        event(5, "hearing.waived", "R", "respondent", waived_at, party="respondent"),
    ]  # fmt: skip


def test_a_rule_applied_to_open_cases_binds_them_from_its_adoption():
    merged = with_amendments(V1, [V2])
    assert merged.protocol.version == 1  # still the version the case is bound to
    before = datetime(2026, 5, 20, 12, tzinfo=UTC)
    after = datetime(2026, 6, 3, 12, tzinfo=UTC)
    events = history(datetime(2026, 5, 1, tzinfo=UTC))
    assert evaluate(merged, events, before).check("open_vote", CHAIR).allowed
    refused = evaluate(merged, events, after).check("open_vote", CHAIR)
    assert not refused.allowed
    assert [r.rule for r in refused.refusals] == ["hearing_before_vote@v2"]
    # Without the amendment the waiver still counts.
    assert evaluate(V1, events, after).check("open_vote", CHAIR).allowed


def test_history_before_the_amendment_is_judged_by_the_earlier_rule():
    merged = with_amendments(V1, [V2])
    early_vote = datetime(2026, 5, 20, 12, tzinfo=UTC)
    events = [*history(datetime(2026, 5, 1, tzinfo=UTC)),
              event(6, "vote.opened", "N1", "body:ndc", early_vote, vote_id="V1",
                    motion_ref="K-reprimand")]  # fmt: skip
    assert evaluate(merged, events, datetime(2026, 7, 1, tzinfo=UTC)).violations == []


def test_rules_not_listed_do_not_reach_open_cases():
    merged = with_amendments(V1, [V2])
    assert merged.rules["appeal_in_time"] == V1.rules["appeal_in_time"]
    assert "appeal_in_time@v2" not in merged.rules
    assert with_amendments(V1, []) is V1
