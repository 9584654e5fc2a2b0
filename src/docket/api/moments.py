"""Dates and times from clients, checked before any service sees them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from docket.core.errors import InvalidInput

EARLIEST, LATEST = 1900, 2200


def checked_moment(value: datetime, field: str) -> datetime:
    """An aware datetime within the years Docket records (400 otherwise, not a crash)."""
    try:
        year = value.astimezone(UTC).year
    except (OverflowError, ValueError):
        year = 0
    if not EARLIEST <= year <= LATEST:
        raise InvalidInput(
            f"{field} must be between the years {EARLIEST} and {LATEST}.",
            code="input.date_out_of_range",
            data={"field": field},
        )
    return value


def checked_date(value: str, field: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} is not a date.", data={"field": field}) from None
    if not EARLIEST <= day.year <= LATEST:
        raise InvalidInput(
            f"{field} must be between the years {EARLIEST} and {LATEST}.",
            code="input.date_out_of_range",
            data={"field": field},
        )
    return day


def check_moments(values: dict[str, Any]) -> dict[str, Any]:
    for name, value in values.items():
        if isinstance(value, datetime):
            checked_moment(value, name)
    return values
