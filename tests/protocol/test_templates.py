"""The shipped protocol templates: each loads, is complete, reads as plain text, and
behaves as its source requires when the engine judges a case under it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from docket.events.registry import validate
from docket.protocol.actions import ACTIONS
from docket.protocol.engine import RECORD_ONLY, Evaluation, evaluate
from docket.protocol.loader import load_protocol
from docket.protocol.render import render_text
from docket.protocol.schema import Protocol
from docket.protocol.state import Event, Participant

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"
TEMPLATES = ["title-ix-2020", "lmrda-union", "coc-working-group", "dsa-resolution-33"]
START = datetime(2024, 3, 4, 16, 0, tzinfo=UTC)  # a Monday


def load(name: str) -> Protocol:
    return load_protocol(PROTOCOLS / f"{name}.yaml")


class Story:
    """A case history built step by step, with payloads normalized as the ledger does."""

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self.events: list[Event] = []

    def add(
        self,
        type_: str,
        actor: str,
        capacity: str,
        payload: dict[str, Any] | None = None,
        *,
        day: float,
        deviation: dict[str, Any] | None = None,
    ) -> Event:
        event = Event(
            seq=len(self.events) + 1,
            type=type_,
            actor=actor,
            capacity=capacity,
            occurred_at=START + timedelta(days=day),
            payload=validate(type_, payload or {}),
            deviation=deviation,
        )
        self.events.append(event)
        return event

    def now(self, day: float) -> Evaluation:
        return evaluate(self.protocol, self.events, START + timedelta(days=day))

    def complaint(self, body: str, actor: str, *, day: float = 0) -> Event:
        return self.add(
            "complaint.received",
            actor,
            f"body:{body}",
            {
                "protocol_id": self.protocol.protocol.id,
                "protocol_version": self.protocol.protocol.version,
                "category": "harassment",
                "channel": "written",
                "reporter_role": "affected",
                "complainants": ["C"],
                "respondents": ["R"],
                "allegations": [{"id": "A1", "rule": "Policy s.3"}],
                "received_by": body,
                "report_ref": "complaint-1",
            },
            day=day,
        )


def refusal(verdict: Any, clause: str) -> Any:
    found = [r for r in verdict.refusals if r.clause == clause]
    assert found, [(r.clause, r.reason) for r in verdict.refusals]
    return found[0]


# -- every template ----------------------------------------------------------------------


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_is_complete(name):
    p = load(name)
    assert p.protocol.id == name
    # Every case needs the record-only steps and the core of a process.
    needed = RECORD_ONLY | {
        "receive_complaint",
        "acknowledge_complaint",
        "open_case",
        "serve_charges",
        "record_statement",
        "record_evidence",
        "disclose_material",
        "receive_response",
        "declare_conflict",
        "issue_decision",
        "file_appeal",
        "decide_appeal",
        "close_case",
    }
    assert needed <= set(p.actions), needed - set(p.actions)
    assert set(p.roles) == {"complainant", "respondent"}
    # Every step, rule and deadline cites its source.
    assert all(a.clause for a in p.actions.values())
    assert all(b.clause for b in p.bodies.values())
    assert all(r.clause and r.text for r in p.rules.values())
    assert p.deadlines
    assert all(d.clause for d in p.deadlines.values())
    assert p.sanctions
    assert all(s.clause for s in p.sanctions.values())
    assert p.appeal_grounds
    assert p.deviations
    assert p.retention is not None
    assert p.retention.clause
    # Every rule guards an action the template provides.
    for rid, rule in p.rules.items():
        assert set(rule.applies_to) <= set(p.actions), rid


def test_check_command_passes_every_template():
    out, err = StringIO(), StringIO()
    files = sorted(PROTOCOLS.glob("*.yaml"))
    assert {f.stem for f in files} >= {*TEMPLATES, "league-v1"}
    call_command("protocol", "check", *map(str, files), stdout=out, stderr=err)
    assert err.getvalue() == ""
    for file in files:
        p = load_protocol(file)
        assert (
            f"{file}: ok — {p.label}, {len(p.actions)} actions, {len(p.rules)} rules"
            in out.getvalue()
        )


@pytest.mark.parametrize("name", [*TEMPLATES, "league-v1"])
def test_show_reads_as_plain_text(name):
    p = load(name)
    out = StringIO()
    call_command("protocol", "show", str(PROTOCOLS / f"{name}.yaml"), stdout=out)
    text = out.getvalue()
    assert text == render_text(p)
    for heading in (
        "Who does what",
        "The parties and their rights",
        "Stages",
        "Steps, who may take them, and what must be true first",
        "Time limits",
        "Decisions",
        "Sanctions",
        "Appeals",
        "Deviations",
        "Keeping records",
    ):
        assert f"\n{heading}\n" in text
    flat = " ".join(text.split())
    for body in p.bodies.values():
        assert body.name in flat
    for action in p.actions:
        assert f"To {ACTIONS[action].title}" in flat
    for rule in p.rules.values():
        assert f"({rule.clause})" in flat
        assert rule.require.describe() in flat
    # No raw keys: capacities, stage ids and event types are in words.
    assert "body:" not in text
    assert "holding_body" not in text
    assert "panel_chair" not in text


def test_show_sentences_for_title_ix():
    flat = " ".join(render_text(load("title-ix-2020")).split())
    assert (
        "Both parties are sent the investigative report at least 10 days before the hearing" in flat
    )
    assert "To hold the hearing (106.45(b)(6)(i)): the chair of the panel may do this" in flat
    assert "10 days have passed since the step “give material to a party”" in flat
    assert "destroyed 7 years after the case closes (106.45(b)(10)(i))" in flat
    assert "procedural irregularity, new evidence or conflict of interest or bias" in flat


# -- Title IX 2020 ------------------------------------------------------------------------


def title_ix_to_report(p: Protocol) -> Story:
    s = Story(p)
    tc = "body:title_ix_coordinator"
    s.complaint("title_ix_coordinator", "TC1")
    s.add("complaint.acknowledged", "TC1", tc, day=1)
    s.add(
        "case.opened", "TC1", tc, {"reference": "T-2024-01", "body": "title_ix_coordinator"}, day=1
    )
    s.add("charges.served", "TC1", tc, {"to": "R", "allegations": ["A1"]}, day=2)
    s.add("investigator.appointed", "TC1", tc, {"person": "I1"}, day=2)
    s.add("advocate.named", "C", "complainant", {"party": "complainant", "advocate": "CA"}, day=3)
    s.add("advocate.named", "R", "respondent", {"party": "respondent", "advocate": "RA"}, day=3)
    for item, author, role in [("st-c", "C", "complainant"), ("st-r", "R", "respondent")]:
        payload = {"item": item, "author": author, "role": role, "label": author}
        s.add("statement.recorded", "I1", "investigator", payload, day=8)
    s.add(
        "statement.recorded",
        "I1",
        "investigator",
        {"item": "st-w1", "author": "W1", "role": "witness", "label": "W1"},
        day=9,
    )
    s.add("evidence.recorded", "I1", "investigator", {"item": "ev-1", "label": "E1"}, day=9)
    for party in ("respondent", "complainant"):
        s.add(
            "material.disclosed",
            "I1",
            "investigator",
            {"to": party, "items": ["st-c", "st-r", "st-w1", "ev-1"]},
            day=14,
        )
    return s


def test_title_ix_report_waits_ten_days_after_the_evidence():
    p = load("title-ix-2020")
    s = title_ix_to_report(p)
    investigator = Participant("I1", frozenset({"investigators"}))
    payload = {"item": "report-1", "label": "Report"}
    early = s.now(20).check("prepare_report", investigator, payload)
    assert not early.allowed
    assert refusal(early, "106.45(b)(5)(vi)").rule == "evidence_review_ten_days"
    assert early.deviable_by == ()
    assert s.now(24).check("prepare_report", investigator, payload).allowed


def test_title_ix_hearing_less_than_ten_days_after_the_report_is_refused():
    p = load("title-ix-2020")
    s = title_ix_to_report(p)
    s.add("report.prepared", "I1", "investigator", {"item": "report-1", "label": "R1"}, day=25)
    panel = Participant("H1", frozenset({"hearing_panel"}))
    # Before the report reaches both parties, no hearing may even be scheduled.
    s.add(
        "panel.named",
        "TC1",
        "body:title_ix_coordinator",
        {"body": "hearing_panel", "members": ["H1", "H2", "H3"], "chair": "H1"},
        day=25,
    )
    hearing = {"hearing_id": "HR1", "at": (START + timedelta(days=40)).isoformat()}
    too_soon = s.now(25).check("schedule_hearing", panel, hearing)
    assert refusal(too_soon, "106.45(b)(5)(vii)").rule == "report_before_hearing"
    for party in ("respondent", "complainant"):
        s.add(
            "material.disclosed",
            "I1",
            "investigator",
            {"to": party, "items": ["report-1"]},
            day=26,
        )
    assert s.now(26).check("schedule_hearing", panel, hearing).allowed
    s.add("hearing.scheduled", "H1", "body:hearing_panel", hearing, day=26)

    early = s.now(33).check("hold_hearing", panel, {"hearing_id": "HR1"})
    assert not early.allowed
    ten_days = refusal(early, "106.45(b)(5)(vii)")
    assert ten_days.rule == "ten_days_after_report"
    assert "At least 10 days must pass" in ten_days.message(p)
    assert "106.45(b)(5)(vii)" in ten_days.message(p)
    assert s.now(36).check("hold_hearing", panel, {"hearing_id": "HR1"}).allowed

    # The same step in a history is exactly one violation of the same rule.
    s.add("hearing.held", "H1", "body:hearing_panel", {"hearing_id": "HR1"}, day=33)
    judged = s.now(40)
    assert [(v.key, v.clause) for v in judged.violations] == [
        ("ten_days_after_report", "106.45(b)(5)(vii)")
    ]


def test_title_ix_investigator_cannot_decide():
    p = load("title-ix-2020")
    s = title_ix_to_report(p)
    coordinator = Participant("TC1", frozenset({"title_ix_coordinator"}))
    verdict = s.now(20).check(
        "name_panel",
        coordinator,
        {"body": "hearing_panel", "members": ["H1", "I1", "H3"], "chair": "H1"},
    )
    assert refusal(verdict, "106.45(b)(7)(i)").rule == "decision_maker_separate"
    assert "investigator" in refusal(verdict, "106.45(b)(7)(i)").reason


def test_title_ix_investigator_is_not_a_party_witness_or_advisor():
    p = load("title-ix-2020")
    s = title_ix_to_report(p)
    coordinator = Participant("TC1", frozenset({"title_ix_coordinator"}))
    now = s.now(15)
    for person in ("W1", "RA", "C"):  # a witness, the respondent's advisor, a party
        verdict = now.check("appoint_investigator", coordinator, {"person": person})
        assert refusal(verdict, "106.45(b)(1)(iii)").rule == "investigator_free_of_conflict"
    # Someone with no part in the case passes this rule (the stage rules still apply).
    verdict = now.check("appoint_investigator", coordinator, {"person": "I2"})
    assert not [r for r in verdict.refusals if r.rule == "investigator_free_of_conflict"]


def test_title_ix_informal_resolution_needs_both_consents_and_either_may_withdraw():
    p = load("title-ix-2020")
    s = title_ix_to_report(p)
    coordinator = Participant("TC1", frozenset({"title_ix_coordinator"}))
    s.add("informal.proposed", "TC1", "body:title_ix_coordinator", {"kind": "agreement"}, day=15)
    s.add("informal.consented", "C", "complainant", {"party": "complainant"}, day=16)
    one = s.now(16).check("sign_agreement", coordinator, {})
    assert (
        "The respondent has not given written consent"
        in refusal(one, "106.45(b)(9)(i)-(ii)").reason
    )
    s.add("informal.consented", "R", "respondent", {"party": "respondent"}, day=17)
    assert s.now(17).check("sign_agreement", coordinator, {}).allowed
    s.add("informal.consent_withdrawn", "R", "respondent", {"party": "respondent"}, day=18)
    assert not s.now(18).check("sign_agreement", coordinator, {}).allowed


def test_title_ix_appeal_grounds_and_window():
    p = load("title-ix-2020")
    s = title_ix_to_report(p)
    s.add(
        "decision.issued",
        "H1",
        "body:hearing_panel",
        {"decision_id": "D1", "outcome": "no_sanction"},
        day=50,  # a Tuesday
    )
    complainant = Participant("C", member=False)
    appeal = {"appeal_id": "AP1", "party": "complainant", "decision_id": "D1"}
    good = {**appeal, "grounds": ["new_evidence"]}
    bad = {**appeal, "grounds": ["disagree_with_outcome"]}
    assert s.now(52).check("file_appeal", complainant, good).allowed
    assert not s.now(52).check("file_appeal", complainant, bad).allowed
    # 5 business days: Tuesday + 5 = the next Tuesday; the Wednesday after is too late.
    assert s.now(57).check("file_appeal", complainant, good).allowed
    late = s.now(58).check("file_appeal", complainant, good)
    assert refusal(late, "106.45(b)(8)(i)").rule == "appeal_in_time"
    assert late.deviable_by == ("title_ix_coordinator",)


# -- LMRDA 101(a)(5) ----------------------------------------------------------------------


def lmrda_opened(p: Protocol) -> Story:
    s = Story(p)
    eb = "body:executive_board"
    s.complaint("executive_board", "E1")
    s.add("complaint.acknowledged", "E1", eb, day=1)
    s.add("case.opened", "E1", eb, {"reference": "L52-2024-3", "body": "executive_board"}, day=2)
    s.add(
        "panel.named",
        "E1",
        eb,
        {"body": "trial_committee", "members": ["T1", "T2", "T3", "T4", "T5"], "chair": "T1"},
        day=2,
    )
    return s


def test_lmrda_no_trial_without_written_specific_charges():
    p = load("lmrda-union")
    s = lmrda_opened(p)
    chair = Participant("T1", frozenset({"trial_committee"}))
    hearing = {"hearing_id": "TR1", "at": (START + timedelta(days=20)).isoformat()}
    verdict = s.now(3).check("schedule_hearing", chair, hearing)
    assert not verdict.allowed
    charges = refusal(verdict, "101(a)(5)(A)")
    assert charges.rule == "written_specific_charges"
    assert "“give written notice of the allegations” has not happened" in charges.reason
    assert verdict.deviable_by == ()  # the Act's safeguards cannot be set aside

    s.add("charges.served", "E1", "body:executive_board", {"to": "R", "allegations": ["A1"]}, day=3)
    assert s.now(3).check("schedule_hearing", chair, hearing).allowed
    s.add("hearing.scheduled", "T1", "body:trial_committee", hearing, day=3)
    # A reasonable time to prepare a defense: 10 days after service.
    early = s.now(9).check("hold_hearing", chair, {"hearing_id": "TR1"})
    assert refusal(early, "101(a)(5)(B)").rule == "time_to_prepare_defense"
    assert s.now(13).check("hold_hearing", chair, {"hearing_id": "TR1"}).allowed


def test_lmrda_no_vote_without_a_full_and_fair_hearing():
    p = load("lmrda-union")
    s = lmrda_opened(p)
    s.add("charges.served", "E1", "body:executive_board", {"to": "R", "allegations": ["A1"]}, day=3)
    chair = Participant("T1", frozenset({"trial_committee"}))
    verdict = s.now(20).check("open_vote", chair, {"vote_id": "V1", "motion_ref": "K-expel"})
    assert refusal(verdict, "101(a)(5)(C)").rule == "full_and_fair_hearing"
    # A written waiver by the accused member is the only way past it.
    s.add("hearing.waived", "R", "respondent", {"party": "respondent"}, day=10)
    assert s.now(20).check("open_vote", chair, {"vote_id": "V1", "motion_ref": "K-expel"}).allowed


def test_lmrda_expulsion_needs_two_thirds_and_the_membership():
    p = load("lmrda-union")
    s = lmrda_opened(p)
    tc = "body:trial_committee"
    s.add("charges.served", "E1", "body:executive_board", {"to": "R", "allegations": ["A1"]}, day=3)
    s.add("hearing.scheduled", "T1", tc, {"hearing_id": "TR1", "at": "2024-03-20T16:00:00Z"}, day=3)
    s.add("hearing.held", "T1", tc, {"hearing_id": "TR1"}, day=16)
    s.add(
        "vote.opened",
        "T1",
        tc,
        {"vote_id": "V1", "motion_ref": "K-expel", "sanction": "expulsion"},
        day=16,
    )
    chair = Participant("T1", frozenset({"trial_committee"}))
    for member, choice in [("T1", "yes"), ("T2", "yes"), ("T3", "yes")]:
        s.add("vote.cast", member, tc, {"vote_id": "V1", "choice": choice}, day=16)
    assert not s.now(16).check("close_vote", chair, {"vote_id": "V1"}).allowed  # quorum is 4
    s.add("vote.cast", "T4", tc, {"vote_id": "V1", "choice": "no"}, day=16)
    s.add("vote.cast", "T5", tc, {"vote_id": "V1", "choice": "no"}, day=16)
    s.add("vote.closed", "T1", tc, {"vote_id": "V1"}, day=16)
    decision = {
        "decision_id": "D1",
        "vote_id": "V1",
        "outcome": "sanction",
        "sanctions": ["expulsion"],
    }
    expel = s.now(16).check("issue_decision", chair, decision)
    assert "4 of 5" in refusal(expel, "Art. 19.7").reason
    suspend = {**decision, "sanctions": ["suspension"]}
    assert s.now(16).check("issue_decision", chair, suspend).allowed
    s.add("decision.issued", "T1", tc, suspend, day=16)
    board = Participant("E1", frozenset({"executive_board"}))
    apply = {"decision_id": "D1", "sanction": "suspension", "subject": "R"}
    assert refusal(s.now(17).check("apply_sanction", board, apply), "Art. 19.8").rule == (
        "accepted_before_penalty"
    )
    s.add("decision.ratified", "M1", "body:membership_meeting", {"decision_id": "D1"}, day=30)
    assert s.now(30).check("apply_sanction", board, apply).allowed


# -- Code-of-conduct working group --------------------------------------------------------


def coc_received(p: Protocol) -> Story:
    s = Story(p)
    s.complaint("coc_wg", "G1")
    return s


def test_coc_acknowledgment_overdue_after_a_week():
    p = load("coc-working-group")
    s = coc_received(p)
    (ack,) = [o for o in s.now(5).obligations if o.deadline == "acknowledge"]
    assert ack.status == "open"
    assert ack.clause == "EM 2"
    assert ack.due.date() == (START + timedelta(days=7)).date()
    (ack,) = [o for o in s.now(8).obligations if o.deadline == "acknowledge"]
    assert ack.status == "overdue"
    assert ack in s.now(8).open_obligations()
    s.add("complaint.acknowledged", "G1", "body:coc_wg", day=9)
    (ack,) = [o for o in s.now(9).obligations if o.deadline == "acknowledge"]
    assert ack.status == "met_late"


def coc_to_vote(p: Protocol) -> Story:
    s = coc_received(p)
    wg = "body:coc_wg"
    s.add("complaint.acknowledged", "G1", wg, day=1)
    s.add("case.opened", "G1", wg, {"reference": "COC-7", "body": "coc_wg"}, day=1)
    s.add(
        "panel.named",
        "G1",
        wg,
        {"body": "coc_wg", "members": ["G1", "G2", "G3", "G4", "G5"], "chair": "G1"},
        day=1,
    )
    s.add("charges.served", "G1", wg, {"to": "R", "allegations": ["A1"]}, day=2)
    return s


def test_coc_reported_person_gets_seven_days_before_a_decision():
    p = load("coc-working-group")
    s = coc_to_vote(p)
    chair = Participant("G1", frozenset({"coc_wg"}))
    vote = {"vote_id": "V1", "motion_ref": "K-ban", "sanction": "temporary_ban"}
    early = s.now(5).check("open_vote", chair, vote)
    assert refusal(early, "EM 5").rule == "reported_person_heard"
    assert early.deviable_by == ("board",)
    assert s.now(10).check("open_vote", chair, vote).allowed


def test_coc_conflicted_member_does_not_vote_and_two_thirds_of_the_rest_decide():
    p = load("coc-working-group")
    s = coc_to_vote(p)
    wg = "body:coc_wg"
    s.add("conflict.declared", "G5", wg, {"person": "G5"}, day=3)
    s.add("response.received", "R", "respondent", {"party": "respondent"}, day=4)
    vote = {"vote_id": "V1", "motion_ref": "K-ban", "sanction": "temporary_ban"}
    s.add("vote.opened", "G1", wg, vote, day=5)
    conflicted = Participant("G5", frozenset({"coc_wg"}))
    refused = s.now(5).check("cast_vote", conflicted, {"vote_id": "V1", "choice": "yes"})
    assert not refused.allowed
    # Recused, G5 no longer sits on the panel.
    assert refused.refusals[0].code == "protocol.not_empowered"
    assert refused.refusals[0].reason == "Only a member of the panel may cast a vote."
    for member, choice in [("G1", "yes"), ("G2", "yes"), ("G3", "no"), ("G4", "no")]:
        s.add("vote.cast", member, wg, {"vote_id": "V1", "choice": choice}, day=5)
    s.add("vote.closed", "G1", wg, {"vote_id": "V1"}, day=5)
    chair = Participant("G1", frozenset({"coc_wg"}))
    decision = {
        "decision_id": "D1",
        "vote_id": "V1",
        "outcome": "sanction",
        "sanctions": ["temporary_ban"],
    }
    verdict = s.now(5).check("issue_decision", chair, decision)
    # Two thirds of the four members without a conflict is three.
    assert "3 of 4" in refusal(verdict, "EM 7").reason


def test_coc_conflicted_vote_in_history_is_a_violation():
    p = load("coc-working-group")
    s = coc_to_vote(p)
    wg = "body:coc_wg"
    # Declared but, wrongly, not recused: the vote is still refused by the rule.
    s.add("conflict.declared", "G4", wg, {"person": "G4", "recused": False}, day=3)
    s.add("response.received", "R", "respondent", {"party": "respondent"}, day=4)
    s.add("vote.opened", "G1", wg, {"vote_id": "V1", "motion_ref": "K-warning"}, day=5)
    s.add("vote.cast", "G4", wg, {"vote_id": "V1", "choice": "yes"}, day=5)
    judged = s.now(6)
    assert [(v.key, v.clause, v.events) for v in judged.violations] == [
        ("conflicted_do_not_vote", "EM 4", (len(s.events),))
    ]


# -- DSA Resolution 33 --------------------------------------------------------------------


def dsa_noticed(p: Protocol) -> Story:
    s = Story(p)
    hgo = "body:hgo"
    s.complaint("hgo", "G1")
    s.add("complaint.acknowledged", "G1", hgo, day=0.1)
    s.add("case.opened", "G1", hgo, {"reference": "MS-2024-2", "body": "hgo"}, day=0.2)
    s.add("charges.served", "G1", hgo, {"to": "R", "allegations": ["A1"]}, day=1)
    return s


WITNESS = {"item": "st-w1", "author": "W1", "role": "witness", "label": "W1"}


def test_dsa_investigation_waits_seven_days_for_the_answer_then_proceeds_without_it():
    p = load("dsa-resolution-33")
    s = dsa_noticed(p)
    officer = Participant("G1", frozenset({"hgo"}))
    waiting = s.now(4).check("record_statement", officer, WITNESS)
    assert not waiting.allowed
    answer = refusal(waiting, "R33 §4")
    assert answer.rule == "answer_or_seven_days"
    assert "A time to answer is still running" in answer.reason
    # The seventh day counts whole, in the chapter's time zone (America/Los_Angeles).
    assert answer.data["due"] == "2024-03-13T06:59:59.999999+00:00"
    assert waiting.deviable_by == ()
    # Still the seventh day (in the chapter's time zone): the time is still running.
    assert not s.now(8).check("record_statement", officer, WITNESS).allowed
    # No answer after 7 days: the investigation goes on without it.
    assert s.now(9).check("record_statement", officer, WITNESS).allowed
    # The respondent may still give their own statement while the 7 days run.
    own = {"item": "st-r", "author": "R", "role": "respondent", "label": "R"}
    assert s.now(4).check("record_statement", Participant("R"), own).allowed


def test_dsa_an_answer_lets_the_investigation_proceed_at_once():
    p = load("dsa-resolution-33")
    s = dsa_noticed(p)
    s.add("response.received", "R", "respondent", {"party": "respondent", "item": "ans"}, day=3)
    officer = Participant("G1", frozenset({"hgo"}))
    assert s.now(3).check("record_statement", officer, WITNESS).allowed
    (answer,) = [o for o in s.now(3).obligations if o.deadline == "respondent_answer"]
    assert answer.status == "met"


def test_dsa_report_and_referral_need_notice_first():
    p = load("dsa-resolution-33")
    s = Story(p)
    s.complaint("hgo", "G1")
    s.add("case.opened", "G1", "body:hgo", {"reference": "MS-2024-3", "body": "hgo"}, day=0.2)
    officer = Participant("G1", frozenset({"hgo"}))
    verdict = s.now(2).check("prepare_report", officer, {"item": "rep", "label": "Report"})
    assert refusal(verdict, "R33 §4").rule == "notice_before_report"
    # A decision in history without the respondent's 7 days is one violation.
    s.add("charges.served", "G1", "body:hgo", {"to": "R", "allegations": ["A1"]}, day=2)
    s.add("statement.recorded", "G1", "body:hgo", WITNESS, day=3)
    s.add("report.prepared", "G1", "body:hgo", {"item": "rep", "label": "Report"}, day=4)
    keys = sorted((v.key, v.events) for v in s.now(5).violations)
    assert keys == [
        ("answer_or_seven_days", (len(s.events) - 1,)),
        ("notice_before_report", (len(s.events),)),
    ]
