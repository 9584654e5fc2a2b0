"""Errors with stable codes.

Every refusal Docket gives has a code that tests, the API and the CLI can rely on, a
message written for people, and structured data for programs. Codes never change
meaning once released; add new ones instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DocketError(Exception):
    """Base of every expected error. ``code`` is stable; ``message`` is for people."""

    code: str = "docket.error"
    status: int = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.data: dict[str, Any] = dict(data or {})

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "data": self.data}

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InvalidInput(DocketError):
    """The request itself is malformed or incomplete; nothing was changed."""

    code = "input.invalid"
    status = 400


class NotFound(DocketError):
    """Does not exist, or the person may not know that it exists (same answer)."""

    code = "not_found"
    status = 404


class PermissionDenied(DocketError):
    """The person can see the thing but may not do this to it."""

    code = "access.denied"
    status = 403


class ProtocolRefusal(DocketError):
    """The protocol engine refused the action; ``data['reasons']`` cites clauses."""

    code = "protocol.refused"
    status = 409


class Conflict(DocketError):
    """Someone else changed the record first; reload and try again."""

    code = "case.changed"
    status = 409


class IntegrityFault(DocketError):
    """A verification found the record altered, missing or inconsistent."""

    code = "integrity.fault"
    status = 500


class ConfigurationError(DocketError):
    code = "config.invalid"
    status = 500
