"""End a session at once when its account is disabled or its access revoked, or when an
explicit grant of its person runs out (``docket.accounts.grant_ends``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from docket.accounts.grant_ends import grant_ended_during
from docket.accounts.models import User
from docket.accounts.sessions import SESSION_BEGAN_KEY, SESSION_EPOCH_KEY, session_began
from docket.core.clock import now

__all__ = ["SESSION_BEGAN_KEY", "SESSION_EPOCH_KEY", "ActiveAccountMiddleware", "remember_epoch"]


def remember_epoch(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """Connected to ``user_logged_in`` in AccountsConfig.ready(): a session starts in the
    account's current epoch, and remembers when it began."""
    request.session[SESSION_EPOCH_KEY] = getattr(user, "session_epoch", 0)
    request.session[SESSION_BEGAN_KEY] = now().isoformat()


class ActiveAccountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _ended(request, user):
            logout(request)  # flushes the session: its row is deleted
        return self.get_response(request)


def _ended(request: HttpRequest, user: User) -> bool:
    # Cheapest first: the grant check is the one query this middleware makes.
    return (
        not user.is_active
        or request.session.get(SESSION_EPOCH_KEY) != user.session_epoch
        or grant_ended_during(user.pk, session_began(request.session), now())
    )
