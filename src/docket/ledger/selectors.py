"""Read access to the ledger (no writes here)."""

from __future__ import annotations

from docket.ledger.models import Checkpoint, LedgerEvent, StreamSummary


def stream_events(stream: str) -> list[LedgerEvent]:
    """All events of a stream in order (seq 1, 2, …)."""
    return list(LedgerEvent.objects.filter(stream=stream).order_by("seq"))


def stream_head(stream: str) -> tuple[int, str] | None:
    """(seq, hash) of the stream's last event, or None when it has none."""
    row = (
        LedgerEvent.objects.filter(stream=stream)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    return None if row is None else (row[0], row[1])


def stream_summary(stream: str) -> StreamSummary | None:
    return StreamSummary.objects.filter(stream=stream).first()


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-seq").first()
