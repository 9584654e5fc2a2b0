from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from docket.cases.protocols import protocol_adopt_file, shipped_protocols


@pytest.fixture
def protocols(db):
    # Only the League's protocol: the API tests run the reference case.
    league = next(p for p in shipped_protocols() if p.stem == "league-v1")
    return {league.stem: protocol_adopt_file(league, actor="test")}


@pytest.fixture
def reference(league):
    from docket.demo.reference_live import run_reference_case

    return run_reference_case(league)


def enrol_mfa(user: Any) -> None:
    """A TOTP authenticator, as allauth stores it once a user has set one up."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


@pytest.fixture
def account_for(make_user) -> Callable[..., Any]:
    """``account_for(person, admin=False, staff=False, mfa=True)``: a sign-in account
    linked to the person (as an invitation would), with a second factor unless
    ``mfa=False``. ``admin`` grants the administration right (as ``docket accounts
    admin`` does); ``staff`` only sets Django's ``is_staff`` flag, which grants nothing."""
    from docket.accounts.services import administrator_grant
    from docket.org.services import person_link_account

    def make(person: Any, *, admin: bool = False, staff: bool = False, mfa: bool = True) -> Any:
        user = make_user(is_staff=staff)
        if admin:
            user = administrator_grant(actor="test", account=user, reason="test")
        if person is not None:
            person_link_account(
                actor="test", capacity="administrator", person=person, user=user, reason="test"
            )
        if mfa:
            enrol_mfa(user)
        return user

    return make


ALL_SCOPES = (
    "cases:read",
    "cases:act",
    "members:read",
    "members:write",
    "bodies:read",
    "bodies:write",
)


@pytest.fixture
def token_for() -> Callable[..., str]:
    """``token_for(user, *scopes, days=30)``: a fresh token's secret."""
    from docket.api.credentials import token_create

    def make(user: Any, *scopes: str, days: int = 30) -> str:
        issued = token_create(
            email=user.email, scopes=list(scopes or ALL_SCOPES), days=days, actor="test"
        )
        return issued.secret

    return make


class Api:
    """The API as a client sees it: JSON in, JSON out, a bearer token."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.secret = secret

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers())

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            body if body is not None else {},
            content_type="application/json",
            headers=self._headers(),
        )


@pytest.fixture
def api_as(account_for, token_for) -> Callable[..., Api]:
    """``api_as(person, *scopes, admin=False, staff=False, mfa=True)``: an API client for
    that person (see ``account_for``)."""

    def make(
        person: Any, *scopes: str, admin: bool = False, staff: bool = False, mfa: bool = True
    ) -> Api:
        user = account_for(person, admin=admin, staff=staff, mfa=mfa)
        return Api(token_for(user, *scopes))

    return make
