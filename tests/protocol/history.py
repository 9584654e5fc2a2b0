"""Load the reference history fixture into engine events (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from docket.events.registry import validate
from docket.protocol.loader import parse_protocol
from docket.protocol.schema import Protocol
from docket.protocol.state import Event

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"


def reference_document() -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / "reference-case.yaml").read_text())


def reference_events() -> list[Event]:
    """The fixture's events as the importer reads them: text it holds in clear where the
    vocabulary now wants a sealed reference (a parallel proceeding's forum, a motion)
    becomes a content KEY first (issue 24, finding 6)."""
    from docket.cases.interchange import parse

    text = (FIXTURES / "reference-case.yaml").read_text()
    parsed = parse(text, "reference-case.yaml")
    return [
        Event(
            seq=i,
            type=e.type,
            actor=e.actor,
            capacity=e.capacity,
            occurred_at=e.at.astimezone(UTC),
            payload=validate(e.type, e.payload),
            deviation=e.deviation,
        )
        for i, e in enumerate(parsed.document.events, start=1)
    ]


def index_of(events: list[Event], type_: str, **payload: Any) -> int:
    """Position of the first event of a type whose payload has these values."""
    for i, e in enumerate(events):
        if e.type == type_ and all(e.payload.get(k) == v for k, v in payload.items()):
            return i
    raise LookupError(type_)


REVIEW_DAY = datetime(2019, 4, 2, 12, tzinfo=UTC)


# The League's s.4.3 made to depend on the sanction: a hearing (or its waiver) before a
# vote on, or a decision to impose, expulsion or suspension, and not before a lesser one.
HEARING_BEFORE_HEAVY_SANCTION = {
    "clause": "s.4.3",
    "text": "A hearing is held before a vote on expulsion or suspension, unless waived.",
    "applies_to": ["open_vote", "issue_decision"],
    "require": {
        "any": [
            {"not": {"sanction_among": ["expulsion", "suspension"]}},
            {"hearing_held_or_waived": {"waivable_by": ["respondent"]}},
        ]
    },
}


def league_with_sanction_rule(*, keep_statements_rule: bool = True) -> Protocol:
    """League protocol v1 with ``hearing_before_vote`` replaced by its sanction-dependent
    form (the file itself stays as the reference case needs it)."""
    doc = yaml.safe_load((PROTOCOLS / "league-v1.yaml").read_text())
    doc["rules"]["hearing_before_vote"] = HEARING_BEFORE_HEAVY_SANCTION
    if not keep_statements_rule:
        del doc["rules"]["statements_shown_before_vote"]
    return parse_protocol(yaml.safe_dump(doc, sort_keys=False))
