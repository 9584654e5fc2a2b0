"""Retention for cases: when a closed case's content is due for shredding, and putting
the shredding on the case's record.

The protocol's ``retention.content_years`` counts from the day the case closed (in the
protocol's time zone). The record itself is never shredded: afterwards the case still
shows what existed and when it was destroyed, and ``docket ledger verify`` still passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

from docket.crypto import retention
from docket.crypto.services import ShredReport
from docket.ledger.services import ledger_append

from .models import Case, ProtocolVersion
from .protocols import parsed


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def closed_cases(today: date) -> Iterator[retention.Candidate]:
    """Closed cases whose protocol's retention period has run out by ``today``."""
    for version in ProtocolVersion.objects.all():
        protocol = parsed(version)
        if protocol.retention is None:
            continue
        years = protocol.retention.content_years
        zone = ZoneInfo(protocol.protocol.time_zone)
        cutoff = _shift(today, -years)
        cases = Case.objects.filter(protocol=version, closed=True, closed_at__isnull=False)
        for case in cases.only("public_id", "closed_at").iterator():
            assert case.closed_at is not None
            closed_on = case.closed_at.astimezone(zone).date()
            if closed_on <= cutoff:
                due = (
                    closed_on.replace(year=closed_on.year + years)
                    if not (closed_on.month == 2 and closed_on.day == 29)
                    else date(closed_on.year + years, 2, 28)
                )
                yield retention.Candidate(
                    stream=case.stream,
                    due=due,
                    reason=f"{protocol.label} {protocol.retention.clause}: content kept "
                    f"{years} years after closing",
                )


def record_shredding(stream: str, report: ShredReport) -> None:
    """Put the shredding on the case's own record (same transaction as the shredding)."""
    if not stream.startswith("case:"):
        return
    ledger_append(
        stream=stream,
        type="content.shredded",
        actor="docket",
        capacity="retention",
        payload={"items": report.items, "reason": "retention period ended"},
    )


def register() -> None:
    retention.register_policy(closed_cases)
    retention.on_shred(record_shredding)
