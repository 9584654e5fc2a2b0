"""Synthetic case histories: plausible event sequences for property tests, benchmarks,
load tests and generated organizations. Driven by a ``random.Random`` so a seed
reproduces a history exactly. Not used by the product itself.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from docket.protocol.state import Event

PANEL = ("N1", "N2", "N3")
APPEALS_PANEL = ("X1", "X2", "X3")
WITNESSES = ("W1", "W2", "W3", "W4")


@dataclass
class _Walk:
    rng: random.Random
    at: datetime
    seq: int = 0
    body: str = "ndc"
    statements: list[str] = field(default_factory=list)
    open_vote: str | None = None
    voted: set[str] = field(default_factory=set)
    votes: int = 0
    decisions: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    items: int = 0
    handover_due: bool = False
    panel_due: bool = False
    length: int = 0

    def panel(self) -> tuple[str, ...]:
        return APPEALS_PANEL if self.body == "ac" else PANEL

    def chair(self) -> str:
        return self.panel()[0]

    def event(self, type_: str, actor: str, capacity: str, payload: dict[str, Any]) -> Event:
        self.seq += 1
        self.at += timedelta(hours=self.rng.randint(1, 72))
        return Event(self.seq, type_, actor, capacity, self.at, payload)

    def item(self, prefix: str) -> str:
        self.items += 1
        return f"{prefix}-{self.items}"


def _opening(w: _Walk) -> list[Event]:
    return [
        w.event(
            "complaint.received",
            "B1",
            "body:branch_executive",
            {
                "protocol_id": "league-disciplinary",
                "protocol_version": 1,
                "category": "conduct",
                "channel": "written",
                "reporter_role": "affected",
                "complainants": ["C"],
                "respondents": ["R"],
                "allegations": [{"id": "A1", "rule": "Code s.2"}],
                "received_by": "branch_executive",
            },
        ),
        w.event(
            "case.referred", "B1", "body:branch_executive", {"to_body": "ndc", "kind": "referral"}
        ),
        w.event(
            "record.handed_over",
            "B1",
            "body:branch_executive",
            {"to_body": "ndc", "through_seq": 2, "withheld": []},
        ),
        w.event("case.opened", "N1", "body:ndc", {"reference": "SYN-1", "body": "ndc"}),
        w.event(
            "panel.named", "N1", "body:ndc", {"body": "ndc", "members": list(PANEL), "chair": "N1"}
        ),
        w.event("advocate.named", "R", "respondent", {"party": "respondent", "advocate": "A"}),
    ]


def _step(w: _Walk) -> Event:
    """One plausible next event; some steps break the protocol on purpose."""
    rng = w.rng
    chair, cap = w.chair(), f"body:{w.body}"
    if w.handover_due:
        # Usually the record follows the case at once; sometimes it is forgotten.
        w.handover_due = False
        if rng.random() < 0.8:
            payload = {"to_body": w.body, "through_seq": w.seq, "withheld": []}
            return w.event("record.handed_over", "S1", "body:sc", payload)
    if w.open_vote is not None:
        remaining = [p for p in w.panel() if p not in w.voted]
        if remaining and rng.random() < 0.8:
            who = rng.choice(remaining)
            w.voted.add(who)
            choice = rng.choice(["yes", "yes", "no", "abstain"])
            return w.event("vote.cast", who, cap, {"vote_id": w.open_vote, "choice": choice})
        vote, w.open_vote = w.open_vote, None
        return w.event("vote.closed", chair, cap, {"vote_id": vote})
    roll = rng.random()
    if roll < 0.30:
        item = w.item("st")
        w.statements.append(item)
        author = rng.choice(WITNESSES)
        label = f"{author}-{w.items}"
        payload = {"item": item, "author": author, "role": "witness", "label": label}
        return w.event("statement.recorded", rng.choice(w.panel()), cap, payload)
    if roll < 0.50 and w.statements:
        items = rng.sample(w.statements, k=min(len(w.statements), rng.randint(1, 3)))
        return w.event("material.disclosed", chair, cap, {"to": "respondent", "items": items})
    if roll < 0.58:
        item = w.item("resp")
        payload = {"party": "respondent", "item": item, "to_items": []}
        return w.event("response.received", "A", "respondent_advocate", payload)
    if roll < 0.66:
        return w.event("note.added", chair, cap, {"label": "note"})
    if roll < 0.70:
        return w.event("charges.served", chair, cap, {"to": "R", "allegations": ["A1"]})
    if roll < 0.74:
        hearing = w.item("H")
        payload = {"hearing_id": hearing, "at": w.at.isoformat(), "notice_to": ["respondent"]}
        return w.event("hearing.scheduled", chair, cap, payload)
    if roll < 0.77:
        return w.event("hearing.held", chair, cap, {"hearing_id": "H", "attendance": []})
    if roll < 0.80:
        measure = w.item("M")
        w.measures.append(measure)
        payload = {"measure_id": measure, "kind": "suspension", "subject": "R", "supportive": False}
        return w.event("measure.imposed", chair, "body:ndc", payload)
    if roll < 0.82 and w.measures:
        return w.event("measure.lifted", chair, "body:ndc", {"measure_id": w.measures.pop()})
    if roll < 0.86 and w.seq > w.length * 0.9:
        w.votes += 1
        w.open_vote, w.voted = f"V{w.votes}", set()
        payload = {"vote_id": w.open_vote, "motion_ref": f"K-{w.open_vote}"}  # sealed
        return w.event("vote.opened", chair, cap, payload)
    # Decisions end a proceeding's work, so they come near the end of a history.
    if roll < 0.87 and w.votes and w.seq > w.length * 0.95:
        decision = w.item("D")
        w.decisions.append(decision)
        payload = {
            "decision_id": decision,
            "vote_id": f"V{w.votes}",
            "outcome": rng.choice(["sanction", "no_sanction"]),
            "sanctions": [],
            "findings": [],
            "recommendation": False,
        }
        return w.event("decision.issued", chair, cap, payload)
    if roll < 0.91:
        return w.event(
            "objection.filed", "W1", "witness", {"objection_id": w.item("O"), "to_body": "sc"}
        )
    if roll < 0.93 and w.body == "ndc":
        w.body, w.handover_due, w.panel_due = "ac", True, True
        payload = {"to_body": "ac", "without_prejudice": True}
        return w.event("reinvestigation.ordered", "S1", "body:sc", payload)
    if w.panel_due:
        w.panel_due = False
        payload = {"body": "ac", "members": list(APPEALS_PANEL), "chair": "X1"}
        return w.event("panel.named", "X1", "body:ac", payload)
    if roll < 0.97:
        payload = {"to_body": w.body, "through_seq": w.seq, "withheld": []}
        return w.event("record.handed_over", "S1", "body:sc", payload)
    return w.event("hearing.waived", "R", "respondent", {"party": "respondent"})


def synthetic_history(rng: random.Random, length: int, start: datetime) -> Iterator[Event]:
    """``length`` events of one case under the League protocol v1 (ids are local)."""
    walk = _Walk(rng=rng, at=start, length=length)
    opening = _opening(walk)
    yield from opening[:length]
    for _ in range(length - len(opening)):
        yield _step(walk)
