"""Receipt codes: the anonymous reporter's only way back to their report.

A code is 25 random symbols of Crockford's base32 (125 bits), shown once in five groups
of five (``7K2QH-M9XRT-…``). It is stored only as:

- ``receipt_lookup``: HMAC-SHA256, under the intake key, of the first 10 symbols, which
  finds the row (an index lookup, never a scan over every report's slow hash);
- ``receipt_hash``: an argon2id hash of the whole code, checked in constant time.

A wrong code and a code that matches no report cost the same work (a dummy argon2
verification when no row is found) and get the same answer.
"""

from __future__ import annotations

import contextlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from docket.intake.blind_index import keyed_hash

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 25
GROUP = 5
PREFIX = 10
# Crockford's forgiving reading of symbols people confuse.
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from django.conf import settings

    params = getattr(settings, "DOCKET_INTAKE_ARGON2", None) or {}
    return PasswordHasher(**params)


def new_code() -> str:
    """A fresh code, grouped for reading."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize(code: str) -> str | None:
    """The code's 25 symbols, or None when it cannot be a code (spaces, dashes, case and
    look-alike symbols are forgiven)."""
    text = "".join(ch for ch in (code or "")[:200].upper() if ch not in " -\t\r\n")
    text = text.translate(_READ_AS)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text


def lookup_key(normal: str) -> str:
    return keyed_hash("receipt", normal[:PREFIX])


def make_credential(code: str) -> tuple[str, str]:
    """(lookup key, slow hash) to store for a new code."""
    normal = normalize(code)
    if normal is None:  # pragma: no cover - new_code always gives a valid code
        raise ValueError("not a receipt code")
    return lookup_key(normal), _hasher().hash(normal)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(new_code())


def check(normal: str | None, candidates: list[tuple[str, str]]) -> str | None:
    """The id of the candidate ``(id, hash)`` whose hash matches, else None.

    Always does at least one argon2 verification, so a missing code takes as long as a
    wrong one."""
    hasher = _hasher()
    if normal is None or not candidates:
        with contextlib.suppress(VerificationError, InvalidHashError):
            hasher.verify(_dummy_hash(), normal or "0" * LENGTH)
        return None
    found: str | None = None
    for ident, stored in candidates:
        try:
            if hasher.verify(stored, normal):
                found = found or ident
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            continue
    return found
