"""The compliance report: the engine's view of the reference history, and the live run."""

from __future__ import annotations

import json

import pytest
from tests.protocol.history import PROTOCOLS, REVIEW_DAY, index_of, reference_events

from docket.protocol.engine import evaluate
from docket.protocol.loader import load_protocol
from docket.protocol.state import Event
from docket.reports.compliance import FORMAT, compliance_from


@pytest.fixture(scope="module")
def protocol():
    return load_protocol(PROTOCOLS / "league-v1.yaml")


def report_of(protocol, events, at=REVIEW_DAY):
    return compliance_from(protocol, events, evaluate(protocol, events, at), reference="2013-004")


def test_history_reports_exactly_the_three_violations(protocol):
    events = reference_events()
    report = report_of(protocol, events)
    assert not report.ok
    assert [(v.key, v.clause) for v in report.violations] == [
        ("statements_shown_before_vote", "s.4.2"),
        ("hearing_before_vote", "s.4.3"),
        ("record_before_work", "s.7.3"),
    ]
    vote = index_of(events, "vote.opened", vote_id="V1") + 1
    first = report.violations[0]
    assert [(e.seq, e.type) for e in first.events] == [(vote, "vote.opened")]
    assert first.events[0].occurred_at == events[vote - 1].occurred_at
    assert first.body == "ndc"
    ac = report.violations[2]
    assert ac.body == "ac"
    assert ac.events[0].seq == index_of(events, "statement.recorded", item="statement-w4") + 1
    # Nothing done by the book is named: C's choice, the suspension, the mistrial, the
    # SC's override, the reinvestigation order, the 2019 reopening.
    flagged = {e.seq for v in report.violations for e in v.events}
    for type_ in (
        "participation.chosen",
        "measure.imposed",
        "mistrial.declared",
        "decision.overruled",
        "reinvestigation.ordered",
        "case.reopened",
    ):
        assert index_of(events, type_) + 1 not in flagged, type_
    assert report.deviations == ()


def test_history_handovers_and_the_body_left_without_the_record(protocol):
    events = reference_events()
    report = report_of(protocol, events)
    assert [(h.to_body, h.through_seq, h.complete) for h in report.handovers] == [
        ("ndc", 2, True),
        ("sc", 45, True),
    ]
    (without,) = report.without_record
    assert (without.body, without.kind) == ("ac", "reinvestigation")
    assert without.start_seq == index_of(events, "reinvestigation.ordered") + 1
    assert report.handover_clause == "s.7.3"


def test_text_cites_clauses_and_the_json_shape_is_versioned(protocol):
    report = report_of(protocol, reference_events())
    text = report.as_text()
    for needle in (
        "case 2013-004",
        "3 violations",
        "s.4.2: The respondent is given every witness statement",
        "W1, W2 and W3",
        "s.4.3",
        "s.7.3",
        "the Appeals Committee, reinvestigation",
        "2013-06-02 19:00 EDT",
    ):
        assert needle in text, needle
    data = json.loads(json.dumps(report.as_dict()))
    assert data["format"] == FORMAT == "docket-compliance/1"
    assert data["ok"] is False
    assert data["counts"]["violations"] == 3
    assert {v["clause"] for v in data["violations"]} == {"s.4.2", "s.4.3", "s.7.3"}
    assert data["violations"][0]["events"][0]["occurred_at"] == "2013-06-02T23:00:00Z"
    assert data["without_record"][0]["body"] == "ac"


def test_a_case_by_the_book_is_ok(protocol):
    events = reference_events()
    upto = events[: index_of(events, "vote.opened", vote_id="V1")]
    report = report_of(protocol, upto, upto[-1].occurred_at)
    assert report.ok
    assert "no violation" in report.as_text()


def test_deviation_withheld_record_and_late_obligations(protocol):
    # A variant of protocol v1 in which the Appeals Committee itself may depart from s.7.3.
    from docket.protocol.schema import Deviation

    protocol = protocol.model_copy(
        update={"deviations": [Deviation(body="ac", rules=["record_before_work"], clause="s.7.5")]}
    )
    events = reference_events()
    upto = events[: index_of(events, "statement.recorded", item="statement-w4")]
    n = len(upto)
    at = upto[-1].occurred_at
    justification = (
        "The earlier file is held by the police as evidence until August;"
        " the committee starts with fresh interviews."
    )
    extra = [
        # A handover that keeps two events back, then work under an SC deviation.
        Event(n + 1, "record.handed_over", "S1", "body:sc", at,
              {"to_body": "ac", "through_seq": n, "withheld": [5, 4]}),
        Event(n + 2, "statement.recorded", "X1", "body:ac", at,
              {"item": "statement-w4", "author": "W4", "role": "witness", "label": "W4"},
              deviation={"body": "ac", "justification": justification,
                         "rules": ["record_before_work"]}),
    ]  # fmt: skip
    report = report_of(protocol, [*upto, *extra], at)
    # The NDC's vote (before ``upto`` ends) is still there; keeping events back without a
    # deviation is a breach of its own; the AC's work under its deviation is not.
    assert [(v.key, v.clause) for v in report.violations] == [
        ("statements_shown_before_vote", "s.4.2"),
        ("hearing_before_vote", "s.4.3"),
        ("complete_handover", "s.7.3"),
    ]
    assert [e.seq for e in report.violations[2].events] == [n + 1]
    (handover,) = [h for h in report.handovers if h.to_body == "ac"]
    assert handover.withheld == (4, 5)
    assert not handover.complete
    assert [p.body for p in report.without_record] == ["ac"]
    (dev,) = report.deviations
    assert (dev.seq, dev.who, dev.body) == (n + 2, "X1", "ac")
    assert dev.rules == ("record_before_work",)
    assert dev.clauses == ("s.7.3",)
    assert dev.justification == justification
    text = report.as_text()
    assert "Withheld: events 4, 5" in text
    assert "Justification: The earlier file is held by the police" in text
    assert report.as_dict()["deviations"][0]["clauses"] == ["s.7.3"]

    # An acknowledgement owed within 7 days: overdue when judged later, late when met.
    first = events[0]
    overdue = report_of(protocol, [first], first.occurred_at.replace(year=2014))
    assert [(o.deadline, o.status, o.clause) for o in overdue.obligations] == [
        ("acknowledge", "overdue", "s.2.2")
    ]
    ack = Event(2, "complaint.acknowledged", "B1", "body:branch_executive",
                first.occurred_at.replace(month=first.occurred_at.month + 1), {})  # fmt: skip
    late = report_of(protocol, [first, ack], ack.occurred_at)
    assert [(o.status, o.met_seq) for o in late.obligations] == [("met_late", 2)]
    assert "met late" in late.as_text()
    assert overdue.ok  # an overdue duty is shown, not counted as a violation


@pytest.mark.django_db
def test_live_reference_case_is_ok_with_every_handover_complete(live):
    from docket.ledger.selectors import stream_head
    from docket.reports.compliance import compliance_report

    report = compliance_report(live.case)
    assert report.ok, report.as_text()
    assert report.violations == ()
    assert report.reference == "2013-004"
    seq, digest = stream_head(live.case.stream)
    assert (report.head_seq, report.head_hash) == (seq, digest)
    assert [(h.to_body, h.complete) for h in report.handovers] == [
        ("ndc", True),
        ("ac", True),
        ("sc", True),
    ]
    assert report.without_record == ()
    assert digest[:16] in report.as_text()
