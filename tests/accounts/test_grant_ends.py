"""docket.accounts.grant_ends and the session stamps it relies on (the end-to-end
behaviour, with signed-in clients and the reference case, is in
tests/access/test_revocation.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from docket.accounts.grant_ends import grant_ended_during
from docket.accounts.sessions import SESSION_BEGAN_KEY, session_began

MOMENT = datetime(2019, 4, 8, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (MOMENT.isoformat(), MOMENT),
        (None, None),  # a session from before sessions said when they began
        ("2019-04-08T16:00:00", None),  # naive: not trusted
        ("yesterday", None),
        (1554739200, None),
    ],
)
def test_session_began(stored: object, expected: datetime | None) -> None:
    data = {} if stored is None else {SESSION_BEGAN_KEY: stored}
    assert session_began(data) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("began", [MOMENT, None])
def test_the_request_check_is_one_query(began: datetime | None) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert grant_ended_during(1, began, MOMENT) is False
    assert len(queries) == 1
