"""Ending the sessions of an account.

Bumping ``session_epoch`` makes the middleware log a session out at its next request;
deleting the session rows as well means nothing of the session survives even if it
never comes back. Both happen in the caller's transaction.

Every session also remembers when it began (``SESSION_BEGAN_KEY``, set at sign-in), so
an end that is known only by its moment — an explicit grant running out — can end just
the sessions that began before it (``end_sessions_begun_before``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db.models import F

from docket.core import clock

SESSION_EPOCH_KEY = "docket_session_epoch"
SESSION_BEGAN_KEY = "docket_session_began"


def session_began(data: Mapping[str, Any]) -> datetime | None:
    """When the session began, or None when it does not say (a session from before the
    moment was kept, or a tampered value): callers treat that as "long ago"."""
    value = data.get(SESSION_BEGAN_KEY)
    if not isinstance(value, str):
        return None
    try:
        began = datetime.fromisoformat(value)
    except ValueError:
        return None
    return began if began.tzinfo is not None else None


def _sessions_of(user_id: int) -> Iterator[tuple[str, dict[str, Any]]]:
    # Sessions are stored signed and encoded; the owner is only known once decoded.
    for session in Session.objects.filter(expire_date__gt=clock.now()).iterator():
        data = session.get_decoded()
        if str(data.get(SESSION_KEY)) == str(user_id):
            yield session.pk, data


def end_all_sessions(user_id: int) -> int:
    """End every session of the account; returns how many session rows were removed."""
    get_user_model().objects.filter(pk=user_id).update(session_epoch=F("session_epoch") + 1)
    owned = [key for key, _ in _sessions_of(user_id)]
    Session.objects.filter(pk__in=owned).delete()
    return len(owned)


def end_sessions_begun_before(user_id: int, moment: datetime) -> int:
    """Remove the account's sessions that began before ``moment`` (or do not say when
    they began); returns how many. The epoch does not move: a session begun after
    ``moment`` stays, and the middleware refuses the older ones on its own."""
    owned = [
        key
        for key, data in _sessions_of(user_id)
        if (began := session_began(data)) is None or began < moment
    ]
    Session.objects.filter(pk__in=owned).delete()
    return len(owned)
