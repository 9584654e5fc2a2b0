"""Ending every session of an account at once.

Bumping ``session_epoch`` makes the middleware log a session out at its next request;
deleting the session rows as well means nothing of the session survives even if it
never comes back. Both happen in the caller's transaction.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import F

from docket.core import clock


def end_all_sessions(user_id: int) -> int:
    """End every session of the account; returns how many session rows were removed."""
    get_user_model().objects.filter(pk=user_id).update(session_epoch=F("session_epoch") + 1)
    owned = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=clock.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id)
    ]
    Session.objects.filter(pk__in=owned).delete()
    return len(owned)
