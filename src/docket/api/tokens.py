"""The caller's own tokens: who am I, list them, revoke one. Tokens are made with the
``docket tokens create`` command (shown once), never through the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from docket.accounts.permissions import is_administrator
from docket.accounts.second_factor import has_second_factor

from .auth import ANY_TOKEN, caller_of
from .credentials import token_revoke, tokens_of
from .errors import READ_ERRORS, WRITE_ERRORS, answers
from .presenters import token_out
from .schemas import MeOut, PublicId, TokenOut

router = Router(tags=["tokens"], auth=ANY_TOKEN)


@router.get("/me", response=answers(MeOut, READ_ERRORS), operation_id="me")
def me(request: HttpRequest) -> dict[str, Any]:
    """The account and person this token acts as, and the token itself."""
    caller = caller_of(request)
    return {
        "email": caller.user.email,
        "person": caller.person.public_id if caller.person else None,
        "name": caller.person.display_name if caller.person else None,
        "mfa": has_second_factor(caller.user, honour_demo_waiver=False),
        "administrator": is_administrator(caller.user),
        "token": token_out(caller.token),
    }


@router.get("/tokens", response=answers(list[TokenOut], READ_ERRORS), operation_id="tokens_list")
def tokens_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's tokens (never their secrets: only the first characters)."""
    return [token_out(t) for t in tokens_of(caller_of(request).user)]


@router.post(
    "/tokens/{token_id}/revoke",
    response=answers(TokenOut, WRITE_ERRORS),
    operation_id="tokens_revoke",
)
def tokens_revoke(request: HttpRequest, token_id: PublicId) -> dict[str, Any]:
    """Revoke one of the caller's tokens at once (the one in use, too)."""
    caller = caller_of(request)
    token = token_revoke(token_id=token_id, actor=caller.actor, user=caller.user)
    return token_out(token)
