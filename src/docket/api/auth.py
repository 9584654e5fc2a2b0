"""Authentication of API requests: ``Authorization: Bearer <token>`` and nothing else.

No session cookie is ever accepted, for reading or writing: a browser never attaches
a bearer token by itself, so no request can be forged cross-site and the API needs no
CSRF token. Each operation names the scope it needs; the token must carry it. Reading
cases (and acting on them, which shows their record) also needs the token's user to
have enrolled a second factor, by the rule the web uses
(``docket.accounts.second_factor``, without the demo waiver). Administrator operations
need an administrator account, decided by the same rule as the administration pages
(``docket.accounts.permissions.is_administrator``: the permission, not ``is_staff``),
and a second factor, as those pages do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from docket.accounts.permissions import is_administrator
from docket.accounts.second_factor import has_second_factor
from docket.core.errors import PermissionDenied
from docket.org.models import Person
from docket.org.selectors import person_for_user

from .credentials import SCOPES, token_authenticate
from .models import ApiToken


@dataclass(frozen=True)
class Caller:
    """Who is calling: the token, its account and the account's person (if any)."""

    token: ApiToken
    person: Person | None

    @property
    def user(self) -> Any:
        return self.token.user

    @property
    def actor(self) -> str:
        return self.person.public_id if self.person is not None else f"user:{self.user.pk}"


class TokenAuth(HttpBearer):
    """A bearer token with ``scope``; ``mfa`` and ``admin`` add the account's conditions."""

    def __init__(self, scope: str | None, *, mfa: bool = False, admin: bool = False) -> None:
        if scope is not None and scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}")
        self.scope = scope
        self.mfa = mfa
        self.admin = admin
        super().__init__()

    def __call__(self, request: HttpRequest) -> Caller | None:
        # Overrides HttpBearer.__call__, which logs malformed headers (tokens) in DEBUG.
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = token_authenticate(token)
        if found is None:
            return None
        if self.scope is not None and self.scope not in found.scopes:
            raise PermissionDenied(
                f"This token does not have the {self.scope} scope.",
                code="token.scope_missing",
                data={"scope": self.scope},
            )
        if self.admin and not is_administrator(found.user):
            raise PermissionDenied(
                "Only administrators may do this.", code="access.administrators_only"
            )
        # The API never honours the demo waiver (docs/access.md).
        if self.mfa and not has_second_factor(found.user, honour_demo_waiver=False):
            raise PermissionDenied(
                "Set up a second sign-in step (an authenticator app or a passkey) on the "
                "website before using the API for cases or administration.",
                code="mfa.required",
            )
        return Caller(token=found, person=person_for_user(found.user))


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Caller):  # pragma: no cover - ninja enforces auth first
        raise PermissionDenied("Not signed in.", code="auth.required")
    return caller


CASES_READ = TokenAuth("cases:read", mfa=True)
CASES_ACT = TokenAuth("cases:act", mfa=True)
# Administrators change who may see what: a second factor, as on the pages.
MEMBERS_READ = TokenAuth("members:read", admin=True, mfa=True)
MEMBERS_WRITE = TokenAuth("members:write", admin=True, mfa=True)
BODIES_READ = TokenAuth("bodies:read", admin=True, mfa=True)
BODIES_WRITE = TokenAuth("bodies:write", admin=True, mfa=True)
ANY_TOKEN = TokenAuth(None)
