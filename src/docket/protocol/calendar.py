"""Counting days the way a protocol does: calendar days or business days, in the
organization's time zone, with its holidays."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from docket.protocol.schema import Protocol

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def add_days(
    start: datetime, days: int, calendar: str, protocol: Protocol, *, end_of_day: bool = False
) -> datetime:
    """The moment ``days`` days after ``start``.

    With ``end_of_day`` the answer is the last instant of that day in the protocol's time
    zone, which is how "within 7 days" is read: the whole seventh day counts.
    """
    zone = ZoneInfo(protocol.protocol.time_zone)
    local = start.astimezone(zone)
    if calendar == "business":
        open_days = set(protocol.calendar.business_days)
        holidays = set(protocol.calendar.holidays)
        day = local.date()
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if _WEEKDAYS[day.weekday()] in open_days and day not in holidays:
                remaining -= 1
        target = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone)
    else:
        target = datetime.combine(
            local.date() + timedelta(days=days), local.timetz().replace(tzinfo=None), tzinfo=zone
        )
    if end_of_day:
        target = datetime.combine(target.date(), time.max, tzinfo=zone)
    return target.astimezone(UTC)
