"""Hash chains: canonical form, hashing and verification (pure: no Django import).

A record (a ledger event or a journal entry) is stored as its canonical bytes::

    JCS({"<kind>": {...the record's fields...}, "prev_hash": "<64 hex>"})

RFC 8785 (JCS) sorts keys, so ``prev_hash`` is always the last member and its value sits
at a fixed distance from the end of the bytes: the chain link can be checked without
parsing, which keeps in-memory verification within a small factor of raw SHA-256.
The record's hash is SHA-256 over a domain tag and the bytes; the tag keeps an event
hash from ever being confused with a journal, checkpoint or Merkle hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785

EVENT_DOMAIN = b"docket.ledger.event.v1\x00"
JOURNAL_DOMAIN = b"docket.journal.entry.v1\x00"
GENESIS_DOMAIN = b"docket.ledger.genesis.v1\x00"

# Names of the record object inside the canonical bytes; both sort before "prev_hash".
EVENT_KEY = "event"
JOURNAL_KEY = "entry"

HASH_HEX_LEN = 64
_PREV_TAG = b'"prev_hash":"'
_TAIL = len(_PREV_TAG) + HASH_HEX_LEN + 2  # '"prev_hash":"' + hex + '"}'


class CanonicalFormError(ValueError):
    """A value cannot be put in canonical form (e.g. an integer beyond 2**53)."""


def rfc3339(moment: datetime) -> str:
    """UTC, always with microseconds: one spelling per instant, so hashes are stable."""
    if moment.tzinfo is None:
        raise CanonicalFormError("naive datetimes have no canonical form")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def genesis(name: str) -> str:
    """The ``prev_hash`` of a chain's first record: binds the chain to its name."""
    return hashlib.sha256(GENESIS_DOMAIN + name.encode("utf-8")).hexdigest()


def canonical(key: str, fields: Mapping[str, Any], prev_hash: str) -> bytes:
    if len(prev_hash) != HASH_HEX_LEN:
        raise CanonicalFormError("prev_hash must be 64 hex digits")
    try:
        return rfc8785.dumps({key: dict(fields), "prev_hash": prev_hash})
    except rfc8785.CanonicalizationError as exc:
        raise CanonicalFormError(str(exc)) from exc


def record_hash(domain: bytes, body: bytes) -> str:
    return hashlib.sha256(domain + body).hexdigest()


def prev_hash_of(body: bytes) -> str | None:
    """The ``prev_hash`` written in canonical bytes, read from its fixed place at the end."""
    if len(body) < _TAIL or body[-_TAIL : -_TAIL + len(_PREV_TAG)] != _PREV_TAG:
        return None
    if body[-2:] != b'"}':
        return None
    return body[-HASH_HEX_LEN - 2 : -2].decode("ascii", "replace")


@dataclass(frozen=True)
class Break:
    """One broken place in a chain: ``position`` is the 1-based place in the order read."""

    position: int
    problem: str
    detail: str = ""


def verify_links(
    items: Iterable[tuple[bytes, str]], *, domain: bytes, first_prev: str
) -> Iterator[Break]:
    """Check a chain given as (canonical bytes, stored hash) in order.

    Each record's hash must be SHA-256(domain || bytes) and equal the stored hash, and
    each record must name its predecessor's hash. After a break the chain continues from
    the stored hash so that one tampered record is reported once, not once per successor.
    """
    base = hashlib.sha256(domain)
    head, foot = _PREV_TAG, b'"}'
    # The bytes of a record linked to ``prev`` end with exactly '"prev_hash":"<prev>"}'.
    want = head + first_prev.encode("ascii") + foot
    for position, (body, stored) in enumerate(items, start=1):
        h = base.copy()
        h.update(body)
        if not body.endswith(want):
            if prev_hash_of(body) is None:
                yield Break(position, "malformed", "canonical bytes do not end with prev_hash")
            else:
                yield Break(position, "link", "prev_hash does not name the previous record's hash")
        if h.hexdigest() != stored:
            yield Break(position, "hash", "stored hash differs from the hash of the bytes")
        want = head + stored.encode("ascii", "replace") + foot
