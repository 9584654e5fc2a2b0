"""One source of "now", so services and tests agree on time.

Tests and historical imports pin the clock; everything else asks ``now()``.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from datetime import UTC, datetime

_frozen: contextvars.ContextVar[datetime | None] = contextvars.ContextVar(
    "docket_clock", default=None
)


def now() -> datetime:
    frozen = _frozen.get()
    return frozen if frozen is not None else datetime.now(UTC)


@contextlib.contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Make ``now()`` answer ``moment`` inside the block (tests, imports, demos)."""
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)
