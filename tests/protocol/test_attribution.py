"""Attribution (issue 18): each breach is reported under the rule that explains it, once,
per rule, per proceeding, per acting body; a step out of the protocol's order of stages
is a finding of its own only when no rule explains it.

Written down before the run: the NDC issuing a decision in the reference case before
any vote (still at the investigation stage) breaks s.6.2 (a sanction needs the panel's
majority) and is one finding under s.6.2, not a second one for the stage; a step out of
order that no rule explains stays a stage finding; the same rule broken by two bodies is
two findings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from docket.protocol.engine import RULE, WRONG_STAGE, Refusal, attributed, evaluate
from docket.protocol.loader import parse_protocol
from docket.protocol.schema import Protocol

from .history import PROTOCOLS, REVIEW_DAY, index_of, reference_events


def league() -> Protocol:
    return parse_protocol((PROTOCOLS / "league-v1.yaml").read_text())


def _decision_before_any_vote() -> list:  # type: ignore[type-arg]
    events = reference_events()
    cut = index_of(events, "charges.served") + 1
    head = events[:cut]
    last = head[-1]
    early = replace(
        last,
        seq=last.seq + 1,
        type="decision.issued",
        actor="N1",
        capacity="body:ndc",
        occurred_at=last.occurred_at + timedelta(days=1),
        payload={
            "decision_id": "D9",
            "vote_id": "V9",
            "outcome": "sanction",
            "sanctions": ["expulsion"],
            "findings": [{"allegation": "A1", "finding": "established"}],
            "rationale_ref": "reasons-d9",
        },
    )
    return [*head, early]


def test_a_decision_before_any_vote_is_one_finding_under_its_rule() -> None:
    events = _decision_before_any_vote()
    judged = evaluate(league(), events, REVIEW_DAY)
    on_it = [v for v in judged.violations if events[-1].seq in v.events]
    assert [(v.clause, v.code) for v in on_it] == [("s.6.2", RULE)]


def test_a_stage_finding_stays_when_no_rule_explains_the_step() -> None:
    stage = Refusal(WRONG_STAGE, "s.6.4", "Not at this stage.")
    assert attributed([stage]) == [stage]
    ruled = Refusal(RULE, "s.6.2", "No majority.", rule="threshold_for_decision")
    assert attributed([stage, ruled]) == [ruled]


def test_one_rule_broken_by_two_bodies_is_two_findings() -> None:
    events = _decision_before_any_vote()
    twin = replace(events[-1], seq=events[-1].seq + 1, actor="S1", capacity="body:sc")
    judged = evaluate(league(), [*events, twin], REVIEW_DAY)
    found = [(v.key, v.events) for v in judged.violations if v.clause == "s.6.2"]
    assert found == [
        ("threshold_for_decision", (events[-1].seq,)),
        ("threshold_for_decision", (twin.seq,)),
    ]
