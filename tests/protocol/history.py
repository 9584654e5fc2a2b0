"""Load the reference history fixture into engine events (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from docket.events.registry import validate
from docket.protocol.state import Event

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"


def reference_document() -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / "reference-case.yaml").read_text())


def reference_events() -> list[Event]:
    doc = reference_document()
    return [
        Event(
            seq=i,
            type=e["type"],
            actor=e["actor"],
            capacity=e["capacity"],
            occurred_at=e["at"].astimezone(UTC),
            payload=validate(e["type"], e.get("payload", {})),
            deviation=e.get("deviation"),
        )
        for i, e in enumerate(doc["events"], start=1)
    ]


def index_of(events: list[Event], type_: str, **payload: Any) -> int:
    """Position of the first event of a type whose payload has these values."""
    for i, e in enumerate(events):
        if e.type == type_ and all(e.payload.get(k) == v for k, v in payload.items()):
            return i
    raise LookupError(type_)


REVIEW_DAY = datetime(2019, 4, 2, 12, tzinfo=UTC)
