"""A member's standing and unit history as projections of their ledger stream.

``docket ledger rebuild`` folds each ``member:<id>`` stream again and compares (or
rewrites) the ``StandingChange`` and ``UnitTransfer`` rows, so the history that access
decisions read can always be shown to match the tamper-evident record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from docket.ledger.models import LedgerEvent
from docket.ledger.projections import Row, register
from docket.org.models import Membership, Organization, StandingChange, Unit, UnitTransfer


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC)


def _joined_at(joined_on: str) -> datetime:
    org = Organization.objects.get()
    start = datetime.combine(date.fromisoformat(joined_on), time.min, ZoneInfo(org.time_zone))
    return start.astimezone(UTC)


def _membership(stream: str) -> Membership | None:
    return Membership.objects.filter(person__public_id=stream.split(":", 1)[1]).first()


# --- standing ----------------------------------------------------------------------------


def _standing_rebuild(stream: str, events: Sequence[LedgerEvent]) -> list[Row]:
    rows: list[Row] = []
    for e in events:
        p = e.payload
        if e.type == "member.admitted":
            rows.append(
                {
                    **_common(e),
                    "status": "active",
                    "effective_at": _joined_at(p["joined_on"]),
                    "until": None,
                    "proceeding": "",
                    "cause": "",
                }
            )
        elif e.type == "member.standing_changed":
            rows.append(
                {
                    **_common(e),
                    "status": p["status"],
                    "effective_at": _utc(p["effective_at"]),
                    "until": _utc(p.get("until")),
                    "proceeding": p.get("proceeding") or "",
                    "cause": p.get("cause") or "",
                }
            )
    return rows


def _common(e: LedgerEvent) -> Row:
    return {
        "event_seq": e.seq,
        "reason": e.payload["reason"],
        "recorded_by": e.actor,
        "recorded_at": _utc(e.recorded_at),
    }


def _standing_snapshot(stream: str) -> list[Row]:
    membership = _membership(stream)
    if membership is None:
        return []
    return [
        {
            "event_seq": c.event_seq,
            "reason": c.reason,
            "recorded_by": c.recorded_by,
            "recorded_at": _utc(c.recorded_at),
            "status": c.status,
            "effective_at": _utc(c.effective_at),
            "until": _utc(c.until),
            "proceeding": c.proceeding,
            "cause": c.cause,
        }
        for c in membership.standing_changes.order_by("effective_at", "id")
    ]


def _standing_write(stream: str, rows: list[Row]) -> None:
    membership = _membership(stream)
    if membership is None:
        return
    membership.standing_changes.all().delete()
    StandingChange.objects.bulk_create(StandingChange(membership=membership, **r) for r in rows)


# --- units -------------------------------------------------------------------------------


def _units_rebuild(stream: str, events: Sequence[LedgerEvent]) -> list[Row]:
    rows: list[Row] = []
    for e in events:
        p = e.payload
        if e.type == "member.admitted":
            rows.append(
                {
                    **_common(e),
                    "from_unit": None,
                    "to_unit": p["unit"],
                    "effective_at": _joined_at(p["joined_on"]),
                }
            )
        elif e.type == "member.transferred":
            rows.append(
                {
                    **_common(e),
                    "from_unit": p["from_unit"],
                    "to_unit": p["to_unit"],
                    "effective_at": _utc(p["effective_at"]),
                }
            )
    return rows


def _units_snapshot(stream: str) -> list[Row]:
    membership = _membership(stream)
    if membership is None:
        return []
    return [
        {
            "event_seq": t.event_seq,
            "reason": t.reason,
            "recorded_by": t.recorded_by,
            "recorded_at": _utc(t.recorded_at),
            "from_unit": t.from_unit.public_id if t.from_unit else None,
            "to_unit": t.to_unit.public_id,
            "effective_at": _utc(t.effective_at),
        }
        for t in membership.transfers.select_related("from_unit", "to_unit").order_by(
            "effective_at", "id"
        )
    ]


def _units_write(stream: str, rows: list[Row]) -> None:
    membership = _membership(stream)
    if membership is None:
        return
    units = {u.public_id: u for u in Unit.objects.all()}
    membership.transfers.all().delete()
    UnitTransfer.objects.bulk_create(
        UnitTransfer(
            membership=membership,
            **{
                **r,
                "from_unit": units[r["from_unit"]] if r["from_unit"] else None,
                "to_unit": units[r["to_unit"]],
            },
        )
        for r in rows
    )


def _member_streams() -> list[str]:
    return [
        f"member:{pid}" for pid in Membership.objects.values_list("person__public_id", flat=True)
    ]


def register_projections() -> None:
    register(
        "org.member_standing",
        rebuild=_standing_rebuild,
        snapshot=_standing_snapshot,
        write=_standing_write,
        kinds={"member"},
        streams=_member_streams,
    )
    register(
        "org.member_units",
        rebuild=_units_rebuild,
        snapshot=_units_snapshot,
        write=_units_write,
        kinds={"member"},
        streams=_member_streams,
    )
