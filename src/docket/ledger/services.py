"""Appending to the ledger.

``ledger_append`` is the only way an event enters a chain. It runs inside the caller's
transaction so that the event and the projections the caller updates commit together,
and it serializes writers per stream by locking the stream's ``LedgerHead`` row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from docket.core import clock
from docket.core.errors import Conflict
from docket.events.registry import InvalidPayload, event_type, validate
from docket.ledger import chain
from docket.ledger.errors import InvalidEvent, NotInTransaction
from docket.ledger.models import LedgerEvent, LedgerHead, StreamSummary
from docket.ledger.streams import check_type_fits, stream_kind

PROVENANCES = ("live", "import")
CHANGED_MESSAGE = "The case changed while you were working on it. Please reload and try again."


def ledger_append(
    *,
    stream: str,
    type: str,
    actor: str,
    capacity: str,
    payload: Mapping[str, Any],
    occurred_at: datetime | None = None,
    recorded_by: str = "",
    provenance: str = "live",
    deviation: Mapping[str, Any] | None = None,
    expect_seq: int | None = None,
) -> LedgerEvent:
    """Append one event to ``stream`` and return it, saved.

    ``expect_seq`` is the head seq the caller last saw; if the stream has moved on since,
    ``Conflict`` ("case.changed") is raised and nothing is written.
    """
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction(
            "ledger_append must run inside transaction.atomic() with the projection updates."
        )
    check_type_fits(stream, type, event_type(type).stream)
    normalized = validate(type, payload)
    _check_text("actor", actor, 160)
    _check_text("capacity", capacity, 80)
    if len(recorded_by) > 160:
        raise InvalidEvent("recorded_by is too long.", data={"field": "recorded_by"})
    if provenance not in PROVENANCES:
        raise InvalidEvent(
            f"provenance must be one of {', '.join(PROVENANCES)}.", data={"field": "provenance"}
        )
    clean_deviation = _check_deviation(deviation)
    recorded_at = clock.now()
    when = recorded_at if occurred_at is None else occurred_at
    if when.tzinfo is None:
        raise InvalidEvent("occurred_at needs a time zone.", data={"field": "occurred_at"})
    if when > recorded_at:
        raise InvalidEvent("occurred_at is in the future.", data={"field": "occurred_at"})

    head = _lock_head(stream)
    if expect_seq is not None and expect_seq != head.seq:
        raise Conflict(
            CHANGED_MESSAGE, data={"stream": stream, "expected": expect_seq, "head": head.seq}
        )

    seq = head.seq + 1
    occurred_text, recorded_text = chain.rfc3339(when), chain.rfc3339(recorded_at)
    fields: dict[str, Any] = {
        "stream": stream,
        "seq": seq,
        "type": type,
        "actor": actor,
        "capacity": capacity,
        "occurred_at": occurred_text,
        "recorded_at": recorded_text,
        "recorded_by": recorded_by,
        "provenance": provenance,
        "payload": normalized,
        "deviation": clean_deviation,
    }
    try:
        body = chain.canonical(chain.EVENT_KEY, fields, head.hash)
    except chain.CanonicalFormError as exc:
        raise InvalidPayload(
            f"The payload of {type!r} has no canonical form: {exc}", data={"type": type}
        ) from None
    digest = chain.record_hash(chain.EVENT_DOMAIN, body)
    # Keep the payload columns in canonical key order: verification then compares the
    # column text with the bytes cheaply (see verify.py).
    stated = json.loads(body)["event"]
    # Columns hold exactly what the bytes say (microsecond-truncated UTC instants).
    event = LedgerEvent.objects.create(
        stream=stream,
        seq=seq,
        type=type,
        actor=actor,
        capacity=capacity,
        occurred_at=chain.parse_rfc3339(occurred_text),
        recorded_at=chain.parse_rfc3339(recorded_text),
        recorded_by=recorded_by,
        provenance=provenance,
        payload=stated["payload"],
        deviation=stated["deviation"],
        prev_hash=head.hash,
        hash=digest,
        body=body,
    )
    LedgerHead.objects.filter(stream=stream).update(seq=seq, hash=digest)
    _update_summary(event)
    return event


def _lock_head(stream: str) -> LedgerHead:
    head = LedgerHead.objects.select_for_update().filter(stream=stream).first()
    if head is None:
        # First append: create the row without failing if a concurrent first append
        # created it too (INSERT … ON CONFLICT DO NOTHING / INSERT OR IGNORE), then lock
        # it; a concurrent creator's lock makes us wait until it commits.
        LedgerHead.objects.bulk_create(
            [LedgerHead(stream=stream, seq=0, hash=chain.genesis(stream))], ignore_conflicts=True
        )
        head = LedgerHead.objects.select_for_update().get(stream=stream)
    return head


def _update_summary(event: LedgerEvent) -> None:
    updated = StreamSummary.objects.filter(stream=event.stream).update(
        events=event.seq,
        head_seq=event.seq,
        head_hash=event.hash,
        last_recorded_at=event.recorded_at,
    )
    if not updated:
        StreamSummary.objects.create(
            stream=event.stream,
            kind=stream_kind(event.stream),
            events=event.seq,
            head_seq=event.seq,
            head_hash=event.hash,
            first_occurred_at=event.occurred_at,
            last_occurred_at=event.occurred_at,
            last_recorded_at=event.recorded_at,
        )
        return
    # Imports may append events that happened before earlier ones: keep min/max.
    StreamSummary.objects.filter(
        stream=event.stream, last_occurred_at__lt=event.occurred_at
    ).update(last_occurred_at=event.occurred_at)
    StreamSummary.objects.filter(
        stream=event.stream, first_occurred_at__gt=event.occurred_at
    ).update(first_occurred_at=event.occurred_at)


def _check_text(field: str, value: str, limit: int) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidEvent(
            f"{field} must be a non-empty text of at most {limit} characters.",
            data={"field": field},
        )


def _check_deviation(deviation: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if deviation is None:
        return None
    if set(deviation) != {"justification", "body", "rules"}:
        raise InvalidEvent(
            "A deviation has exactly: justification, body, rules.", data={"field": "deviation"}
        )
    justification, body, rules = deviation["justification"], deviation["body"], deviation["rules"]
    if not isinstance(justification, str) or not justification.strip():
        raise InvalidEvent(
            "A deviation needs a written justification.", data={"field": "deviation"}
        )
    if not isinstance(body, str) or not body.strip():
        raise InvalidEvent(
            "A deviation names the body that decided it.", data={"field": "deviation"}
        )
    if (
        not isinstance(rules, list | tuple)
        or not rules
        or not all(isinstance(r, str) and r for r in rules)
    ):
        raise InvalidEvent(
            "A deviation lists the rules it departs from.", data={"field": "deviation"}
        )
    return {"justification": justification, "body": body, "rules": list(rules)}
