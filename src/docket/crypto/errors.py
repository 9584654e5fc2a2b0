"""Error codes of confidential content (tests and callers import these)."""

from __future__ import annotations

from docket.core.errors import Conflict, DocketError, InvalidInput, NotFound
from docket.crypto.envelope import DecryptionFailed, KeyUnwrapFailed, MalformedCiphertext
from docket.crypto.store import BlobMissing

__all__ = [
    "BlobMissing",
    "CaseShredded",
    "ContentInvalid",
    "ContentNotFound",
    "ContentShredded",
    "ContentTooLarge",
    "ContentTypeRefused",
    "DecryptionFailed",
    "KeyUnwrapFailed",
    "LegalHoldActive",
    "MalformedCiphertext",
]


class ContentNotFound(NotFound):
    code = "content.not_found"


class ContentShredded(DocketError):
    """The item existed; its key was destroyed (``data``: item, shredded_at, reason)."""

    code = "content.shredded"
    status = 410


class ContentInvalid(InvalidInput):
    code = "content.invalid"


class ContentTooLarge(InvalidInput):
    code = "content.too_large"
    status = 413


class ContentTypeRefused(InvalidInput):
    code = "content.type_refused"
    status = 415


class LegalHoldActive(Conflict):
    code = "content.legal_hold"


class CaseShredded(Conflict):
    code = "content.case_shredded"
