"""The reference case run live through Docket's services, step by step, each by the
person who takes it and at the date it happened.

Where the League's people broke their protocol in 2013, Docket refuses: the NDC
panel's vote without disclosure or hearing (step 8) and the Appeals Committee's work
without the earlier record (step 13). The run records those refusals and carries on
the way the protocol allows: the NDC proceeding is annulled, and the record is handed
to the Appeals Committee before it works. Six years later the Steering Committee
reopens the case and finds the whole record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from docket.cases import services as s
from docket.cases.models import Case
from docket.core.clock import frozen_at
from docket.core.errors import ProtocolRefusal

from .league import League

STATEMENTS = {
    "C1": "My account of the evening at R's party, written with my advocate.",
    "W1": "W1 describes arriving at the party at nine and what they saw in the hallway.",
    "W2": "W2 describes a conversation with C later that night.",
    "W3": "W3 describes the layout of the flat and who was present.",
    "W4": "W4, interviewed by the Appeals Committee, describes the end of the evening.",
    "W5": "W5, interviewed by the Appeals Committee, describes a message from C.",
    "W2b": "W2, interviewed again, adds what C told them the next day.",
}


@dataclass
class LiveRun:
    case: Case
    refusals: dict[str, ProtocolRefusal] = field(default_factory=dict)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def run_reference_case(league: League) -> LiveRun:
    p = league.person
    C, CA, R, A, B1 = p("C"), p("CA"), p("R"), p("A"), p("B1")
    N1, N2, N3 = p("N1"), p("N2"), p("N3")
    X1, X2, X3, S1, S5 = p("X1"), p("X2"), p("X3"), p("S1"), p("S5")

    # 1. The Harbor branch executive receives C's complaint and refers it to the NDC.
    with frozen_at(at("2013-03-04T19:00:00-05:00")):
        case = s.complaint_receive(
            by=B1,
            protocol_id="league-disciplinary",
            received_by="branch_executive",
            category="physical misconduct",
            channel="in_person",
            reporter_role="affected",
            complainants=[C],
            respondents=[R],
            unit=league.units["harbor"],
            allegations=[
                s.AllegationInput(
                    "A1",
                    "Code of Conduct s.2 (physical safety)",
                    "C says R assaulted her at a party R hosted.",
                )
            ],
            account="C's account, given to the Harbor branch executive.",
        )
        run = LiveRun(case)
        ref = case.public_id
        s.identity_record(by=B1, case=ref, person=C, identity="Dana Ortiz")
        s.case_refer(by=B1, case=ref, to_body="ndc", reasons="Serious; beyond the branch.")
    with frozen_at(at("2013-03-05T10:00:00-05:00")):
        s.complaint_acknowledge(by=N1, case=ref, note="Received by the NDC.")
    # 2. The NDC opens case 2013-004 and names a panel of three.
    with frozen_at(at("2013-03-11T18:00:00-04:00")):
        s.case_open(by=N1, case=ref, body="ndc", reference="2013-004")
        s.panel_name(by=N1, case=ref, body="ndc", members=[N1, N2, N3], chair=N1)
    # 3. Interim suspension; written notice; R names an advocate.
    with frozen_at(at("2013-03-12T12:00:00-04:00")):
        s.measure_impose(
            by=N1,
            case=ref,
            measure_id="M1",
            kind="suspension",
            subject=R,
            reasons="For the duration of the proceeding, to protect everyone.",
        )
        s.charges_serve(
            by=N1,
            case=ref,
            respondent=R,
            allegations=["A1"],
            notice="You are alleged to have assaulted a guest at your party.",
        )
        s.advocate_name(by=R, case=ref, party="respondent", advocate=A)
    # 4. C's statement through her advocate; she then steps back.
    with frozen_at(at("2013-03-20T10:00:00-04:00")):
        s.advocate_name(by=C, case=ref, party="complainant", advocate=CA)
        s.statement_record(
            by=CA, case=ref, author=C, role="complainant", label="C1", text=STATEMENTS["C1"]
        )
        s.participation_choose(by=CA, case=ref, party="complainant", choice="statement_only")
    # 5-6. R's employer clears R; the NDC interviews three witnesses.
    for day, who, author, label in (
        ("2013-04-10", N2, "W1", "W1"),
        ("2013-04-24", N2, "W2", "W2"),
        ("2013-05-08", N3, "W3", "W3"),
    ):
        with frozen_at(at(f"{day}T18:00:00-04:00")):
            s.statement_record(
                by=who,
                case=ref,
                author=p(author),
                role="witness",
                label=label,
                text=STATEMENTS[label],
            )
    with frozen_at(at("2013-04-30T12:00:00-04:00")):
        s.parallel_proceeding_note(
            by=N1,
            case=ref,
            forum="R's employer",
            outcome="cleared; the complainant did not take part",
        )
    # 7-8. The statements were never shown to R; the chair tries to hold the vote.
    with frozen_at(at("2013-06-02T19:00:00-04:00")):
        try:
            s.vote_open(
                by=N1, case=ref, vote_id="V1", motion="Recommend expulsion", sanction="expulsion"
            )
        except ProtocolRefusal as refused:
            run.refusals["step 8: the NDC panel's vote"] = refused
    # 9. Objections to the SC; 10. the NDC declares a mistrial; 11. the SC annuls.
    with frozen_at(at("2013-06-10T12:00:00-04:00")):
        s.objection_file(
            by=p("W2"),
            case=ref,
            objection_id="O1",
            to_body="sc",
            clauses=["s.4.2", "s.4.3"],
            grounds="R was never shown the witness statements, and no hearing "
            "was offered before the panel meant to vote.",
        )
    with frozen_at(at("2013-06-20T20:00:00-04:00")):
        s.mistrial_declare(
            by=N1,
            case=ref,
            grounds=["s.4.2", "s.4.3"],
            reasons="The panel did not disclose statements or hold a hearing.",
        )
    with frozen_at(at("2013-06-24T20:00:00-04:00")):
        s.proceeding_annul(
            by=S1,
            case=ref,
            grounds=["s.4.2", "s.4.3"],
            reasons="The NDC proceeding broke s.4.2 and s.4.3.",
        )
        s.objection_answer(
            by=S1,
            case=ref,
            objection_id="O1",
            upheld=True,
            reasons="The objection is upheld; the proceeding is annulled.",
        )
    # 12. The SC calls in the AC "without prejudice" — the record is not handed over.
    with frozen_at(at("2013-07-01T20:00:00-04:00")):
        s.reinvestigation_order(
            by=S1,
            case=ref,
            to_body="ac",
            hand_over=False,
            reasons="A fresh investigation without prejudice.",
        )
    with frozen_at(at("2013-07-02T20:00:00-04:00")):
        s.panel_name(by=X1, case=ref, body="ac", members=[X1, X2, X3], chair=X1)
    # 13. The AC starts interviewing without the earlier record: refused.
    with frozen_at(at("2013-07-15T18:00:00-04:00")):
        try:
            s.statement_record(
                by=X1, case=ref, author=p("W4"), role="witness", label="W4", text=STATEMENTS["W4"]
            )
        except ProtocolRefusal as refused:
            run.refusals["step 13: the Appeals Committee's work"] = refused
        s.record_hand_over(by=S1, case=ref, to_body="ac")
        s.statement_record(
            by=X1, case=ref, author=p("W4"), role="witness", label="W4", text=STATEMENTS["W4"]
        )
    for day, who, author, label in (
        ("2013-07-22", X2, "W5", "W5"),
        ("2013-07-29", X3, "W2", "W2b"),
    ):
        with frozen_at(at(f"{day}T18:00:00-04:00")):
            s.statement_record(
                by=who,
                case=ref,
                author=p(author),
                role="witness",
                label=label,  # a code; "second interview" is in the statement itself
                text=STATEMENTS[label],
            )
    with frozen_at(at("2013-08-05T12:00:00-04:00")):
        from docket.cases.acting import load

        state = load(run_case(ref), lock=False).evaluation.state
        current = state.proceeding.index if state.proceeding else -1
        witness = [
            m.id
            for m in state.material.values()
            if m.kind == "witness_statement" and m.proceeding == current
        ]
        s.material_disclose(by=X1, case=ref, to="respondent", items=witness)
    with frozen_at(at("2013-08-09T12:00:00-04:00")):
        s.response_receive(
            by=A,
            case=ref,
            party="respondent",
            to_items=witness,
            text="R's written answer to the statements of W4, W5 and W2.",
        )
    with frozen_at(at("2013-09-01T12:00:00-04:00")):
        s.hearing_schedule(by=X1, case=ref, hearing_id="H1", at=at("2013-09-10T18:00:00-04:00"))
    with frozen_at(at("2013-09-10T20:00:00-04:00")):
        s.hearing_hold(
            by=X1,
            case=ref,
            hearing_id="H1",
            attendance=[X1, X2, X3, R, A],
            record="Notes of the hearing before the Appeals Committee.",
        )
    # 14. No compelling evidence without C's participation; the case closes.
    with frozen_at(at("2013-09-15T18:00:00-04:00")):
        s.vote_open(
            by=X1, case=ref, vote_id="V2", motion="Recommend expulsion", sanction="expulsion"
        )
        for member in (X1, X2, X3):
            s.vote_cast(by=member, case=ref, vote_id="V2", choice="no")
        s.vote_close(by=X1, case=ref, vote_id="V2")
        s.decision_issue(
            by=X1,
            case=ref,
            decision_id="D2",
            vote_id="V2",
            outcome="no_sanction",
            findings=[s.FindingInput("A1", "not_established")],
            rationale="Without C's participation there is no compelling evidence for expulsion.",
        )
        s.measure_lift(by=X1, case=ref, measure_id="M1", reasons="The case is decided.")
        s.case_close(by=X1, case=ref, disposition="decided")
    # 16-18. Six years later: a letter to the new SC, which reopens the case for review.
    with frozen_at(at("2019-03-18T09:00:00-04:00")):
        s.correspondence_receive(
            by=S5,
            case=ref,
            to_body="sc",
            sender=p("N4"),
            text="A former NDC member asks for corrective action.",
        )
    with frozen_at(at("2019-03-25T18:00:00-04:00")):
        s.case_reopen(
            by=S5,
            case=ref,
            to_body="sc",
            purpose="corrective_review",
            reasons="To review the 2013 case and correct its mistakes.",
        )
    run.case.refresh_from_db()
    return run


def run_case(public_id: str) -> Case:
    return Case.objects.get(public_id=public_id)
