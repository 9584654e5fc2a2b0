"""End a session at once when its account is disabled or its access revoked."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SESSION_EPOCH_KEY = "docket_session_epoch"


def remember_epoch(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """Connected to ``user_logged_in`` in AccountsConfig.ready(): a session starts in the
    account's current epoch."""
    request.session[SESSION_EPOCH_KEY] = getattr(user, "session_epoch", 0)


class ActiveAccountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            epoch = request.session.get(SESSION_EPOCH_KEY)
            if not user.is_active or epoch != user.session_epoch:
                logout(request)
        return self.get_response(request)
