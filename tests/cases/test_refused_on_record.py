"""Refused steps on record (issue 19): every step the protocol refuses is kept on the
case's record, as ``step.refused``: who tried which step, in which capacity, when, and
the protocol's reasons, never what they tried to record. Oversight sees them on the
timeline and in the compliance report; a party does not see another's refused step.

Written down before the run, for the reference case run live: two refusals, the NDC
chair's vote (s.4.2, s.4.3) on 2 June 2013 and the Appeals Committee chair's first
statement (s.7.3) on 15 July 2013; the refused statement's text is nowhere in the
record; the 2019 review body sees both; the respondent sees neither.
"""

from __future__ import annotations

import pytest

from docket.access import disclosure
from docket.access.selectors import case_for
from docket.cases import services as s
from docket.cases.acting import load
from docket.core.clock import frozen_at
from docket.core.errors import ProtocolRefusal
from docket.demo.reference_live import STATEMENTS, at, run_reference_case
from docket.ledger.models import LedgerEvent
from docket.reports.compliance import compliance_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(league):  # type: ignore[no-untyped-def]
    return run_reference_case(league)


def _vote_before_any_hearing(league, case) -> None:  # type: ignore[no-untyped-def]
    s.vote_open(
        by=league.person("N1"),
        case=case.public_id,
        vote_id="V1",
        motion="Recommend expulsion",
        sanction="expulsion",
    )


def _refused(case):  # type: ignore[no-untyped-def]
    return list(LedgerEvent.objects.filter(stream=case.stream, type="step.refused").order_by("seq"))


def test_the_two_refusals_of_2013_are_on_the_record(run, league) -> None:
    vote, work = _refused(run.case)
    assert (vote.actor, vote.capacity) == (league.person("N1").public_id, "body:ndc")
    assert vote.payload["action"] == "open_vote"
    assert {r["clause"] for r in vote.payload["reasons"]} == {"s.4.2", "s.4.3"}
    assert vote.occurred_at == at("2013-06-02T19:00:00-04:00")
    assert (work.actor, work.capacity) == (league.person("X1").public_id, "body:ac")
    assert work.payload == {
        "action": "record_statement",
        "reasons": [{"code": "protocol.rule", "clause": "s.7.3", "rule": "record_before_work"}],
    }
    # Nothing of what was tried: the refused statement's text is not in the record.
    bodies = b"".join(bytes(e.body) for e in _refused(run.case))
    assert STATEMENTS["W4"].encode() not in bodies
    # A refusal is not a violation: the record stays clean.
    assert load(run.case, lock=False).evaluation.violations == []


def test_oversight_sees_them_and_a_party_does_not(run, league) -> None:
    report = compliance_report(run.case)
    assert [(r.action, r.clauses) for r in report.refused] == [
        ("open_vote", ("s.4.2", "s.4.3")),
        ("record_statement", ("s.7.3",)),
    ]
    text = report.as_text()
    assert "Steps refused (2)" in text
    assert "tried for the National Disciplinary Committee" in text
    assert report.as_dict()["counts"]["refused"] == 2
    with frozen_at(at("2019-03-26T10:00:00-04:00")):
        reviewer = case_for(league.person("S5"), run.case.public_id)
        respondent = case_for(league.person("R"), run.case.public_id)
    rows = list(LedgerEvent.objects.filter(stream=run.case.stream).order_by("seq"))
    seen = {e.type for e in disclosure.shown_events(reviewer, rows)}
    assert "step.refused" in seen
    assert "step.refused" not in {e.type for e in disclosure.shown_events(respondent, rows)}


def test_a_refused_step_changes_nothing_but_is_kept(league) -> None:
    from docket.demo.testing import OPENED_AT, harbor_case_with_panel

    case = harbor_case_with_panel(league, reference="2013-031")
    before = list(LedgerEvent.objects.filter(stream=case.stream).values_list("seq", "type"))
    with frozen_at(at(OPENED_AT)), pytest.raises(ProtocolRefusal):
        _vote_before_any_hearing(league, case)
    after = list(LedgerEvent.objects.filter(stream=case.stream).values_list("seq", "type"))
    assert after[:-1] == before
    assert after[-1][1] == "step.refused"
    case.refresh_from_db()
    assert case.stage == "investigation"  # the refused vote moved nothing


def test_a_refusal_does_not_make_anyone_s_view_of_the_case_stale(league) -> None:
    from docket.demo.testing import OPENED_AT, harbor_case_with_panel

    case = harbor_case_with_panel(league, reference="2013-032")
    seen = case.head_seq  # what an officer's open form carries
    with frozen_at(at(OPENED_AT)):
        with pytest.raises(ProtocolRefusal):
            _vote_before_any_hearing(league, case)
        # The form opened before the refusal still goes through.
        s.charges_serve(
            by=league.person("N1"),
            case=case.public_id,
            respondent=league.person("R"),
            allegations=["A1"],
            notice="Notice.",
            expect_seq=seen,
        )
    types = list(
        LedgerEvent.objects.filter(stream=case.stream)
        .order_by("seq")
        .values_list("type", flat=True)
    )
    assert types[-2:] == ["step.refused", "charges.served"]
