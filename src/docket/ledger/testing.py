"""Test helpers: play an attacker with database access, and clean up after transactional tests.

Transactional tests end with a flush (DELETE FROM on SQLite) that the append-only
triggers refuse once ledger rows exist. Any conftest can use the ``ledger_cleanup``
fixture below (``pytest_plugins = ["docket.ledger.testing"]``) to empty the ledger
tables with the triggers briefly lifted before that flush.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

from docket.ledger.triggers import TABLES, create_sql, drop_sql

WRITABLE_CACHES = ("ledger_head", "ledger_stream_summary")


@contextlib.contextmanager
def triggers_disabled() -> Iterator[None]:
    """Drop the append-only triggers for the block (what an attacker with DB access does)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in drop_sql(connection.vendor):
            cursor.execute(sql)
    try:
        yield
    finally:
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in create_sql(connection.vendor):
                cursor.execute(sql)


def wipe_ledger() -> None:
    """Empty every ledger table (tests only)."""
    with triggers_disabled(), transaction.atomic(), connection.cursor() as cursor:
        for table in (*TABLES, *WRITABLE_CACHES):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is a dev dependency
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture(autouse=True)
    def ledger_cleanup(request: Any) -> Iterator[None]:
        """Before a transactional test's flush, empty the append-only tables."""
        transactional = any(
            name in request.fixturenames
            for name in ("transactional_db", "live_server", "django_db_reset_sequences")
        ) or any(m.kwargs.get("transaction") for m in request.node.iter_markers("django_db"))
        if transactional:
            # Requesting the database fixture first makes its flush run after our cleanup.
            request.getfixturevalue("_django_db_helper")
        yield
        if transactional:
            wipe_ledger()
