"""The database refuses UPDATE and DELETE on the append-only tables (both vendors)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from docket.ledger.checkpoints import checkpoint_make
from docket.ledger.journal import journal_append
from docket.ledger.models import LedgerHead

pytestmark = pytest.mark.django_db

STATEMENTS = [
    ("ledger_event", "UPDATE ledger_event SET actor = 'forger'"),
    ("ledger_event", "DELETE FROM ledger_event"),
    ("ledger_journal", "UPDATE ledger_journal SET reader = 'forger'"),
    ("ledger_journal", "DELETE FROM ledger_journal"),
    ("ledger_checkpoint", "UPDATE ledger_checkpoint SET root = 'x'"),
    ("ledger_checkpoint", "DELETE FROM ledger_checkpoint"),
]


@pytest.fixture
def rows(note, signing_key_dir):
    note()
    journal_append(reader="user:1", capacity="panel", stream="case:A1", item="blob:1")
    checkpoint_make()


@pytest.mark.parametrize(("table", "sql"), STATEMENTS)
def test_update_and_delete_are_refused_by_the_database(rows, table, sql):
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert "append-only" in str(exc.value)
    assert table in str(exc.value)
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        assert cur.fetchone()[0] == 1


def test_the_orm_is_refused_too(rows):
    from docket.ledger.models import LedgerEvent

    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEvent.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEvent.objects.update(type="x")


def test_the_head_cache_stays_writable(rows):
    assert LedgerHead.objects.filter(stream="case:A1").update(seq=1) == 1
