"""The ledger's own projection: one summary row per stream (for dashboards)."""

from __future__ import annotations

from collections.abc import Sequence

from docket.ledger.models import LedgerEvent, StreamSummary
from docket.ledger.projections import Row, register
from docket.ledger.streams import stream_kind

_FIELDS = (
    "stream",
    "kind",
    "events",
    "head_seq",
    "head_hash",
    "first_occurred_at",
    "last_occurred_at",
    "last_recorded_at",
)


def rebuild(stream: str, events: Sequence[LedgerEvent]) -> list[Row]:
    if not events:
        return []
    last = events[-1]
    return [
        {
            "stream": stream,
            "kind": stream_kind(stream),
            "events": len(events),
            "head_seq": last.seq,
            "head_hash": last.hash,
            "first_occurred_at": min(e.occurred_at for e in events),
            "last_occurred_at": max(e.occurred_at for e in events),
            "last_recorded_at": last.recorded_at,
        }
    ]


def snapshot(stream: str) -> list[Row]:
    return list(StreamSummary.objects.filter(stream=stream).values(*_FIELDS))


def write(stream: str, rows: list[Row]) -> None:
    StreamSummary.objects.filter(stream=stream).delete()
    StreamSummary.objects.bulk_create([StreamSummary(**row) for row in rows])


def streams() -> list[str]:
    return list(StreamSummary.objects.values_list("stream", flat=True))


def register_summary() -> None:
    register(
        "ledger.stream_summary", rebuild=rebuild, snapshot=snapshot, write=write, streams=streams
    )
