"""Demo: a few more fictional League cases, at different stages, so a newcomer sees
Docket at work: one just received, one under investigation with a response window
running, one decided with the appeal window open. Dates are recent, relative to today.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from docket.cases import services as s
from docket.cases.models import Case
from docket.core import clock
from docket.core.clock import frozen_at

from . import Demo
from .league import League, league_from_db


def load(demo: Demo) -> None:
    from docket.crypto.keyfiles import kek_ids

    if not kek_ids():  # cases seal content: nothing to add before `docket keys init`
        return
    league = league_from_db()
    if "N6" not in league.people or Case.objects.filter(reference__startswith="2026-").exists():
        return
    now = clock.now()
    received(league, now - timedelta(days=3))
    investigating(league, now - timedelta(days=20))
    decided(league, now - timedelta(days=40))
    demo.note(
        "Three more cases show other stages: 2026-001 (just received), "
        "2026-002 (investigation, an answer is due), 2026-003 (decided; appeal open)."
    )


def _complaint(
    league: League,
    *,
    by: str,
    unit: str,
    complainant: str,
    respondent: str,
    category: str,
    summary: str,
) -> Case:
    p = league.person
    return s.complaint_receive(
        by=p(by),
        protocol_id="league-disciplinary",
        received_by="branch_executive",
        category=category,
        channel="written",
        reporter_role="affected",
        complainants=[p(complainant)],
        respondents=[p(respondent)],
        unit=league.units[unit],
        allegations=[s.AllegationInput("A1", "Code of Conduct s.3 (respect)", summary)],
        account=summary,
    )


def received(league: League, start: datetime) -> None:
    with frozen_at(start):
        case = _complaint(
            league,
            by="BC1",
            unit="bay-city",
            complainant="M2",
            respondent="M1",
            category="harassment",
            summary="Repeated hostile messages in a branch chat group after a meeting.",
        )
        s.case_refer(
            by=league.person("BC1"), case=case.public_id, to_body="ndc", reasons="Needs the NDC."
        )
    with frozen_at(start + timedelta(hours=2)):
        s.case_open(by=league.person("N6"), case=case.public_id, body="ndc", reference="2026-001")


def investigating(league: League, start: datetime) -> None:
    p = league.person
    with frozen_at(start):
        case = _complaint(
            league,
            by="BC1",
            unit="bay-city",
            complainant="M2",
            respondent="M1",
            category="misuse of funds",
            summary="Branch funds used for a private trip.",
        )
        ref = case.public_id
        s.case_refer(by=p("BC1"), case=ref, to_body="ndc")
    with frozen_at(start + timedelta(days=1)):
        s.complaint_acknowledge(by=p("N6"), case=ref, note="Received by the NDC.")
        s.case_open(by=p("N6"), case=ref, body="ndc", reference="2026-002")
        s.panel_name(
            by=p("N6"), case=ref, body="ndc", members=[p("N6"), p("N7"), p("N8")], chair=p("N6")
        )
        s.charges_serve(
            by=p("N6"),
            case=ref,
            respondent=p("M1"),
            allegations=["A1"],
            notice="It is alleged that branch funds paid for a private trip.",
        )
    with frozen_at(start + timedelta(days=12)):
        s.statement_record(
            by=p("N7"),
            case=ref,
            author=p("M3"),
            role="witness",
            label="W1",
            text="The treasurer's account of the March expenses.",
        )
    with frozen_at(start + timedelta(days=16)):
        from docket.cases.acting import load as load_case

        items = [
            m.id
            for m in load_case(
                Case.objects.get(public_id=ref), lock=False
            ).evaluation.state.material.values()
            if m.kind == "witness_statement"
        ]
        s.material_disclose(by=p("N6"), case=ref, to="respondent", items=items)


def decided(league: League, start: datetime) -> None:
    p = league.person
    with frozen_at(start):
        case = _complaint(
            league,
            by="BC1",
            unit="bay-city",
            complainant="M3",
            respondent="M4",
            category="intimidation",
            summary="Shouting at a volunteer during a canvass.",
        )
        ref = case.public_id
        s.case_refer(by=p("BC1"), case=ref, to_body="ndc")
    with frozen_at(start + timedelta(days=1)):
        s.complaint_acknowledge(by=p("N6"), case=ref)
        s.case_open(by=p("N6"), case=ref, body="ndc", reference="2026-003")
        s.panel_name(
            by=p("N6"), case=ref, body="ndc", members=[p("N6"), p("N7"), p("N8")], chair=p("N6")
        )
        s.charges_serve(
            by=p("N6"),
            case=ref,
            respondent=p("M4"),
            allegations=["A1"],
            notice="It is alleged that you shouted at a volunteer.",
        )
    with frozen_at(start + timedelta(days=5)):
        s.hearing_waive(
            by=p("M4"),
            case=ref,
            party="respondent",
            waiver="I accept the account and do not want a hearing.",
        )
    with frozen_at(start + timedelta(days=30)):
        s.vote_open(
            by=p("N6"),
            case=ref,
            vote_id="V1",
            motion="Issue a written reprimand",
            sanction="reprimand",
        )
        for member in ("N6", "N7", "N8"):
            s.vote_cast(by=p(member), case=ref, vote_id="V1", choice="yes")
        s.vote_close(by=p("N6"), case=ref, vote_id="V1")
        s.decision_issue(
            by=p("N6"),
            case=ref,
            decision_id="D1",
            vote_id="V1",
            outcome="sanction",
            sanctions=["reprimand"],
            findings=[s.FindingInput("A1", "established")],
            rationale="The respondent accepted the account; a written reprimand is proportionate.",
        )
