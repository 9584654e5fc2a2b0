"""Many writers appending to one stream at once: a gap-free chain, no lost event."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from docket.core.errors import Conflict
from docket.ledger.models import LedgerEvent
from docket.ledger.services import ledger_append
from docket.ledger.verify import verify_ledger

WRITERS = 8
EACH = 10


def _run(target) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)

    def work(n: int) -> None:
        try:
            barrier.wait()
            target(n)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    return errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("stream", ["case:RACE", "org"])
def test_concurrent_appends_make_one_gap_free_chain(stream):
    def writer(n: int) -> None:
        for i in range(EACH):
            with transaction.atomic():
                ledger_append(
                    stream=stream,
                    type="ledger.note",
                    actor=f"writer:{n}",
                    capacity="test",
                    payload={"label": f"{n}-{i}"},
                )

    assert _run(writer) == []
    events = list(LedgerEvent.objects.filter(stream=stream).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, WRITERS * EACH + 1))
    labels = sorted(e.payload["label"] for e in events)
    assert labels == sorted(f"{n}-{i}" for n in range(WRITERS) for i in range(EACH))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert verify_ledger().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_with_the_same_expect_seq_one_wins():
    with transaction.atomic():
        ledger_append(stream="case:X", type="ledger.note", actor="u", capacity="c", payload={})
    wins: list[int] = []

    def writer(n: int) -> None:
        try:
            with transaction.atomic():
                ledger_append(
                    stream="case:X",
                    type="ledger.note",
                    actor=f"writer:{n}",
                    capacity="c",
                    payload={},
                    expect_seq=1,
                )
            wins.append(n)
        except Conflict:
            pass

    assert _run(writer) == []
    assert len(wins) == 1
    assert LedgerEvent.objects.filter(stream="case:X").count() == 2
