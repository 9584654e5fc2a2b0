"""Case data keys: create, unwrap (with a per-request cache), rewrap.

Data keys exist in clear only in memory, for the duration of a service call, or of a
:func:`data_key_cache` block (one request at most). They are never logged: the
:class:`~docket.crypto.envelope.DataKey` repr hides them, and this module logs ids only.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import IntegrityError, transaction

from docket.core import clock
from docket.crypto.envelope import DataKey, wrap_context
from docket.crypto.errors import CaseShredded, ContentShredded
from docket.crypto.kek import kek_provider
from docket.crypto.models import CaseKey

_cache: contextvars.ContextVar[dict[tuple[str, int], DataKey] | None] = contextvars.ContextVar(
    "docket_data_keys", default=None
)


@contextlib.contextmanager
def data_key_cache() -> Iterator[None]:
    """Keep unwrapped data keys for the duration of the block (one request, at most).

    Wrap a page render that reads many items of the same case in it; keys are dropped
    when the block ends. Nested blocks share the outer cache.
    """
    if _cache.get() is not None:
        yield
        return
    token = _cache.set({})
    try:
        yield
    finally:
        cache = _cache.get()
        if cache is not None:
            cache.clear()
        _cache.reset(token)


def forget_cached(stream: str) -> None:
    cache = _cache.get()
    if cache:
        for key in [k for k in cache if k[0] == stream]:
            del cache[key]


def _context(row: CaseKey) -> bytes:
    return wrap_context(stream=row.stream, key_version=row.key_version, kek_id=row.kek_id)


def current_case_key(stream: str) -> tuple[CaseKey, DataKey]:
    """The case's current data key, created (and wrapped under the current KEK) if new.

    Refuses when the case's keys were shredded: a shredded case takes no new content.
    """
    row = CaseKey.objects.filter(stream=stream).order_by("-key_version").first()
    if row is None:
        provider = kek_provider()
        kek_id = provider.current()
        key = DataKey.generate()
        row = CaseKey(stream=stream, key_version=1, kek_id=kek_id, created_at=clock.now())
        row.wrapped_key = provider.wrap(kek_id=kek_id, key=key, context=_context(row))
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            # Someone created it first (concurrent first put): use theirs.
            row = CaseKey.objects.filter(stream=stream).order_by("-key_version").first()
            if row is None:  # pragma: no cover - the constraint said it exists
                raise
        else:
            _remember(row, key)
            return row, key
    if row.shredded_at is not None:
        raise CaseShredded(
            "This case's confidential content was shredded; it takes no new content.",
            data={"stream": stream, "shredded_at": row.shredded_at.isoformat()},
        )
    return row, unwrap(row)


def _remember(row: CaseKey, key: DataKey) -> None:
    cache = _cache.get()
    if cache is not None:
        cache[(row.stream, row.key_version)] = key


def unwrap(row: CaseKey) -> DataKey:
    if row.shredded_at is not None or row.wrapped_key is None:
        raise ContentShredded(
            "This content was shredded under the retention rules; it can no longer be read.",
            data={
                "stream": row.stream,
                "shredded_at": row.shredded_at.isoformat() if row.shredded_at else None,
                "reason": row.shred_reason,
            },
        )
    key = None
    cache = _cache.get()
    if cache is not None:
        key = cache.get((row.stream, row.key_version))
    if key is None:
        key = kek_provider().unwrap(
            kek_id=row.kek_id, wrapped=bytes(row.wrapped_key), context=_context(row)
        )
        _remember(row, key)
    return key


def case_data_key(stream: str, key_version: int) -> tuple[CaseKey, DataKey]:
    cache = _cache.get()
    row = CaseKey.objects.get(stream=stream, key_version=key_version)
    if cache is not None and row.shredded_at is None:
        hit = cache.get((stream, key_version))
        if hit is not None:
            return row, hit
    return row, unwrap(row)


def rewrap(row: CaseKey, *, kek_id: str) -> bool:
    """Rewrap one data key under ``kek_id`` (caller holds the row lock). False if no-op."""
    if row.shredded_at is not None or row.wrapped_key is None or row.kek_id == kek_id:
        return False
    provider = kek_provider()
    key = provider.unwrap(kek_id=row.kek_id, wrapped=bytes(row.wrapped_key), context=_context(row))
    row.kek_id = kek_id
    row.wrapped_key = provider.wrap(kek_id=kek_id, key=key, context=_context(row))
    row.rewrapped_at = clock.now()
    row.save(update_fields=["kek_id", "wrapped_key", "rewrapped_at"])
    return True
