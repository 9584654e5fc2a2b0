"""The report's row, folded from its ledger stream (``intake:<public id>``).

Services call :func:`refresh` in the transaction that appends; :func:`fold` is pure and
is what a rebuild compares against. The receipt credential, the protocol row and the
unit row are not derived from events (the ledger names them by id) and are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docket.cases.protocols import parsed
from docket.intake.models import IntakeReport
from docket.intake.routing import acknowledge_due
from docket.ledger.models import LedgerEvent
from docket.ledger.selectors import stream_events

FIELDS = (
    "received_at", "reporter_role", "wants", "contact", "anonymous", "content_ref", "status",
    "acknowledge_due", "acknowledged_at", "decided_at", "case_public_id", "awaiting_officers",
    "head_seq", "last_event_at",
)  # fmt: skip


def fold(events: Sequence[LedgerEvent], report: IntakeReport) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for event in events:
        p = event.payload
        at: datetime = event.occurred_at
        if event.type == "report.received":
            row.update(
                received_at=at,
                reporter_role=p["reporter_role"],
                wants=p["wants"],
                contact=p["contact"],
                anonymous=p["anonymous"],
                content_ref=p["content_ref"],
                status=IntakeReport.Status.NEW,
                acknowledge_due=acknowledge_due(parsed(report.protocol), at),
                acknowledged_at=None,
                decided_at=None,
                case_public_id="",
                awaiting_officers=True,
            )
        elif event.type == "report.acknowledged":
            row["acknowledged_at"] = row.get("acknowledged_at") or at
            if row["status"] == IntakeReport.Status.NEW:
                row["status"] = IntakeReport.Status.ACKNOWLEDGED
        elif event.type == "message.sent":
            row["awaiting_officers"] = p["direction"] == "to_officers"
            if p["direction"] == "to_reporter":  # a reply acknowledges the report
                row["acknowledged_at"] = row.get("acknowledged_at") or at
                if row["status"] == IntakeReport.Status.NEW:
                    row["status"] = IntakeReport.Status.ACKNOWLEDGED
        elif event.type == "material.added":
            row["awaiting_officers"] = True
        elif event.type == "report.wish_changed":
            row["wants"] = p["wants"]
            row["awaiting_officers"] = True
        elif event.type == "report.converted":
            row.update(status=IntakeReport.Status.CONVERTED, case_public_id=p["case"])
            row.update(decided_at=at, awaiting_officers=False)
            row["acknowledged_at"] = row.get("acknowledged_at") or at
        elif event.type == "report.declined":
            row.update(status=IntakeReport.Status.DECLINED, decided_at=at, awaiting_officers=False)
            row["acknowledged_at"] = row.get("acknowledged_at") or at
        row["head_seq"] = event.seq
        row["last_event_at"] = at
    return row


def refresh(report: IntakeReport, events: Sequence[LedgerEvent] | None = None) -> IntakeReport:
    """Bring the report's row up to date with its ledger (caller's transaction)."""
    row = fold(events if events is not None else stream_events(report.stream), report)
    for name, value in row.items():
        setattr(report, name, value)
    if report.pk is None:
        report.save()
    else:
        report.save(update_fields=list(row))
    return report


def snapshot(report: IntakeReport) -> dict[str, Any]:
    return {name: getattr(report, name) for name in FIELDS}


# --- registration with the ledger's rebuild/compare (``docket ledger rebuild``) ------------


def _report_of(stream: str) -> IntakeReport | None:
    return (
        IntakeReport.objects.select_related("protocol")
        .filter(public_id=stream.split(":", 1)[1])
        .first()
    )


def _rebuild(stream: str, events: Sequence[LedgerEvent]) -> list[dict[str, Any]]:
    report = _report_of(stream)
    if report is None:
        # The row is gone: rebuild what the ledger says so the difference shows (the row
        # also holds the receipt credential, which only the reporter's code can restore).
        return [{"stream": stream, **{k: str(v) for k, v in _fold_plain(events).items()}}]
    return [{"stream": stream, **fold(events, report)}]


def _fold_plain(events: Sequence[LedgerEvent]) -> dict[str, Any]:
    return {"head_seq": events[-1].seq} if events else {}


def _snapshot(stream: str) -> list[dict[str, Any]]:
    report = _report_of(stream)
    return [] if report is None else [{"stream": stream, **snapshot(report)}]


def _write(stream: str, rows: list[dict[str, Any]]) -> None:
    report = _report_of(stream)
    if report is None or not rows:
        return
    refresh(report)


def register() -> None:
    from docket.ledger import projections

    projections.register(
        "intake.reports",
        rebuild=_rebuild,
        snapshot=_snapshot,
        write=_write,
        kinds={"intake"},
        streams=lambda: [
            f"intake:{p}" for p in IntakeReport.objects.values_list("public_id", flat=True)
        ],
    )
