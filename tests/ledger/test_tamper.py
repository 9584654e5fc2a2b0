"""An attacker with database access (triggers dropped) changes the ledger; verify catches it.

Every column of every event position, deletions, insertions, swaps, truncations and whole
chain rewrites are enumerated, not sampled.
"""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction

from docket.ledger import chain
from docket.ledger.checkpoints import checkpoint_export, checkpoint_make, receipt_for
from docket.ledger.journal import journal_append
from docket.ledger.models import (
    Checkpoint,
    JournalEntry,
    LedgerEvent,
    LedgerHead,
    LogCheckpoint,
    LogLeaf,
    StreamSummary,
)
from docket.ledger.services import ledger_append
from docket.ledger.testing import triggers_disabled
from docket.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db

A = "case:A"
N = 5  # events in case:A
J = 3  # journal entries


@pytest.fixture
def ledger(signing_key_dir):
    for stream, count in ((A, N), ("case:B", 3), ("org", 2)):
        for i in range(count):
            with transaction.atomic():
                ledger_append(
                    stream=stream,
                    type="ledger.note",
                    actor=f"user:{i}",
                    capacity="investigator",
                    payload={"label": f"{stream} {i}"},
                )
    for i in range(J):
        journal_append(reader=f"user:{i}", capacity="panel", stream=A, item=f"blob:{i}")
    assert verify_ledger().ok


def faults(**kwargs: Any) -> list[tuple[str, int | None, str]]:
    return [(f.where, f.seq, f.problem) for f in verify_ledger(**kwargs).faults]


def places(found):
    return {(where, seq) for where, seq, _ in found}


def update_event(at: tuple[str, int], values: dict[str, Any]) -> None:
    with triggers_disabled():
        assert LedgerEvent.objects.filter(stream=at[0], seq=at[1]).update(**values) == 1


def other_value(event: LedgerEvent, name: str) -> Any:
    """A different value of the right type for each column (what a forger would write)."""
    value = getattr(event, name)
    if name in ("occurred_at", "recorded_at"):
        return value + timedelta(microseconds=1)  # the smallest change there is
    if name in ("prev_hash", "hash"):
        return ("f" if value[0] != "f" else "e") + value[1:]
    if name == "body":
        body = bytes(value)
        return body.replace(b'"label":"case:A', b'"label":"case:a', 1)
    if name == "payload":
        return {"label": "forged"}
    if name == "deviation":
        return {"justification": "forged", "body": "SC", "rules": ["r"]}
    if name == "seq":
        return 99
    if name == "stream":
        return "case:Z"
    return value + "x"


EVENT_FIELDS = [f.name for f in LedgerEvent._meta.concrete_fields]


def test_the_enumeration_covers_every_column():
    assert set(EVENT_FIELDS) == {
        "stream",
        "seq",
        "type",
        "actor",
        "capacity",
        "occurred_at",
        "recorded_at",
        "recorded_by",
        "provenance",
        "payload",
        "deviation",
        "prev_hash",
        "hash",
        "body",
    }


@pytest.mark.parametrize("position", range(1, N + 1))
@pytest.mark.parametrize("name", EVENT_FIELDS)
def test_changing_any_field_of_any_event_is_detected(ledger, name, position):
    event = LedgerEvent.objects.get(stream=A, seq=position)
    update_event((A, position), {name: other_value(event, name)})
    found = faults()
    assert found, f"changing {name} of event {position} went unnoticed"
    if name == "stream":
        assert ("case:Z", position) in places(found)
    elif name == "seq":
        assert (A, 99) in places(found)
    else:
        assert (A, position) in places(found), found


@pytest.mark.parametrize("position", range(1, N + 1))
@pytest.mark.parametrize(
    "payload", [{"label": True}, {"label": "case:A 0", "extra": None}, {}, {"label": 1}]
)
def test_subtle_payload_column_changes_are_detected(ledger, position, payload):
    if position == 1 and payload == {"label": 1}:
        payload = {"label": 1.0}
    update_event((A, position), {"payload": payload})
    assert (A, position) in places(faults())


@pytest.mark.parametrize("position", range(1, N + 1))
def test_deleting_one_event_is_detected(ledger, position):
    with triggers_disabled():
        LedgerEvent.objects.filter(stream=A, seq=position).delete()
    found = faults()
    assert found
    if position < N:
        assert (A, position + 1) in places(found)
    else:
        assert any(problem == "head" for where, _, problem in found if where == A)


def forged_event(stream: str, seq: int, prev_hash: str, label: str) -> dict[str, Any]:
    """A well-formed event with a correct own hash, as a careful forger would make it."""
    at = "2024-01-01T00:00:00.000000Z"
    fields = {
        "stream": stream,
        "seq": seq,
        "type": "ledger.note",
        "actor": "forger",
        "capacity": "investigator",
        "occurred_at": at,
        "recorded_at": at,
        "recorded_by": "",
        "provenance": "live",
        "payload": {"label": label},
        "deviation": None,
    }
    body = chain.canonical(chain.EVENT_KEY, fields, prev_hash)
    return {
        "stream": stream,
        "seq": seq,
        "type": "ledger.note",
        "actor": "forger",
        "capacity": "investigator",
        "occurred_at": chain.parse_rfc3339(at),
        "recorded_at": chain.parse_rfc3339(at),
        "recorded_by": "",
        "provenance": "live",
        "payload": {"label": label},
        "deviation": None,
        "prev_hash": prev_hash,
        "hash": chain.record_hash(chain.EVENT_DOMAIN, body),
        "body": body,
    }


@pytest.mark.parametrize("position", range(1, N + 2))
def test_inserting_one_event_is_detected(ledger, position):
    prev = (
        chain.genesis(A)
        if position == 1
        else LedgerEvent.objects.get(stream=A, seq=position - 1).hash
    )
    with triggers_disabled():
        # Make room: shift the later events up by one (two steps keep (stream, seq) unique).
        later = LedgerEvent.objects.filter(stream=A, seq__gte=position)
        later.update(seq=models_f("seq") + 1000)
        LedgerEvent.objects.filter(stream=A, seq__gte=1000).update(seq=models_f("seq") - 999)
        LedgerEvent.objects.create(**forged_event(A, position, prev, "inserted"))
    found = faults()
    assert found
    if position <= N:
        assert (A, position + 1) in places(found)
    else:  # appended at the end without moving the head row
        assert (A, N + 1, "head") in found


def models_f(name: str) -> Any:
    from django.db.models import F

    return F(name)


@pytest.mark.parametrize(("i", "j"), list(itertools.combinations(range(1, N + 1), 2)))
def test_swapping_two_events_is_detected(ledger, i, j):
    with triggers_disabled():
        LedgerEvent.objects.filter(stream=A, seq=i).update(seq=1000)
        LedgerEvent.objects.filter(stream=A, seq=j).update(seq=i)
        LedgerEvent.objects.filter(stream=A, seq=1000).update(seq=j)
    found = places(faults())
    assert (A, i) in found
    assert (A, j) in found


@pytest.mark.parametrize("cut", range(1, N + 1))
def test_truncating_the_tail_is_detected_by_the_head(ledger, cut):
    with triggers_disabled():
        LedgerEvent.objects.filter(stream=A, seq__gt=N - cut).delete()
    found = faults()
    assert any(where == A and problem in ("head", "missing") for where, _, problem in found)


@pytest.mark.parametrize("cut", range(1, N + 1))
def test_truncating_the_tail_and_its_head_is_detected_by_the_checkpoint(ledger, cut):
    checkpoint_make()
    keep = N - cut
    with triggers_disabled():
        LedgerEvent.objects.filter(stream=A, seq__gt=keep).delete()
        if keep:
            last = LedgerEvent.objects.get(stream=A, seq=keep)
            LedgerHead.objects.filter(stream=A).update(seq=keep, hash=last.hash)
        else:
            LedgerHead.objects.filter(stream=A).delete()
    found = faults()
    expected = (A, N, "truncated") if keep else (A, None, "vanished")
    assert expected in found


def rewrite_chain(stream: str, change_at: int) -> None:
    """Rewrite a whole chain consistently: new content at ``change_at``, every later hash
    recomputed, head and summary moved along. No verification of the chain alone sees it."""
    with triggers_disabled():
        events = list(LedgerEvent.objects.filter(stream=stream).order_by("seq"))
        LedgerEvent.objects.filter(stream=stream).delete()
        prev = chain.genesis(stream)
        for event in events:
            payload = {"label": "rewritten"} if event.seq == change_at else event.payload
            fields = {
                "stream": stream,
                "seq": event.seq,
                "type": event.type,
                "actor": event.actor,
                "capacity": event.capacity,
                "occurred_at": chain.rfc3339(event.occurred_at),
                "recorded_at": chain.rfc3339(event.recorded_at),
                "recorded_by": event.recorded_by,
                "provenance": event.provenance,
                "payload": payload,
                "deviation": event.deviation,
            }
            body = chain.canonical(chain.EVENT_KEY, fields, prev)
            digest = chain.record_hash(chain.EVENT_DOMAIN, body)
            event.payload, event.prev_hash, event.hash, event.body = payload, prev, digest, body
            event.save(force_insert=True)
            prev = digest
        LedgerHead.objects.filter(stream=stream).update(hash=prev)
        StreamSummary.objects.filter(stream=stream).update(head_hash=prev)


def test_a_consistent_rewrite_passes_the_chain_check_alone(ledger):
    # The limit every hash chain has: this is why checkpoints and receipts exist.
    rewrite_chain(A, 2)
    assert faults() == []


@pytest.mark.parametrize("change_at", range(1, N + 1))
def test_a_rewrite_is_caught_against_the_stored_checkpoint(ledger, change_at):
    checkpoint_make()
    rewrite_chain(A, change_at)
    assert (A, N, "rewritten") in faults()


@pytest.mark.parametrize("change_at", range(1, N + 1))
@pytest.mark.parametrize("proof", ["receipt", "export"])
def test_a_rewrite_is_caught_against_a_receipt_or_export_even_without_checkpoints(
    ledger, change_at, proof
):
    if proof == "export":
        checkpoint_make()
    doc = receipt_for(stream=A) if proof == "receipt" else checkpoint_export()
    doc = json.loads(json.dumps(doc))  # as read back from the file
    rewrite_chain(A, change_at)
    with triggers_disabled():
        # The attacker removes the signed record too, the log of heads included.
        for model in (Checkpoint, LogCheckpoint, LogLeaf):
            model.objects.all().delete()
    found = faults(**({"receipts": [doc]} if proof == "receipt" else {"exports": [doc]}))
    assert (A, N, "rewritten") in found
    assert [f for f in found if f[0] == proof and f[2] == "checkpoint missing"]


def test_a_receipt_is_also_checked_after_the_chain_grew(ledger):
    doc = receipt_for(stream=A)
    with transaction.atomic():
        ledger_append(stream=A, type="ledger.note", actor="u", capacity="c", payload={})
    assert faults(receipts=[doc]) == []


JOURNAL_FIELDS = [f.name for f in JournalEntry._meta.concrete_fields]


@pytest.mark.parametrize("position", range(1, J + 1))
@pytest.mark.parametrize("name", JOURNAL_FIELDS)
def test_changing_any_field_of_any_journal_entry_is_detected(ledger, name, position):
    entry = JournalEntry.objects.get(seq=position)
    value = getattr(entry, name)
    if name == "at":
        new: Any = value + timedelta(microseconds=1)
    elif name in ("prev_hash", "hash"):
        new = ("f" if value[0] != "f" else "e") + value[1:]
    elif name == "body":
        new = bytes(value).replace(b'"reader":"user:', b'"reader":"usex:')
    elif name == "seq":
        new = 99
    elif name == "stream":
        new = "case:Z"
    else:
        new = value + "x"
    with triggers_disabled():
        assert JournalEntry.objects.filter(seq=position).update(**{name: new}) == 1
    found = places(faults())
    assert ("journal", 99 if name == "seq" else position) in found


@pytest.mark.parametrize("position", range(1, J + 1))
def test_deleting_a_journal_entry_is_detected(ledger, position):
    with triggers_disabled():
        JournalEntry.objects.filter(seq=position).delete()
    assert any(where == "journal" for where, _, _ in faults())


CHECKPOINT_FIELDS = [f.name for f in Checkpoint._meta.concrete_fields]


@pytest.mark.parametrize("name", CHECKPOINT_FIELDS)
@pytest.mark.parametrize("which", [1, 2])
def test_changing_any_field_of_a_checkpoint_is_detected(ledger, name, which):
    checkpoint_make()
    with transaction.atomic():
        ledger_append(stream=A, type="ledger.note", actor="u", capacity="c", payload={})
    checkpoint_make()
    cp = Checkpoint.objects.get(seq=which)
    value = getattr(cp, name)
    if name == "made_at":
        new: Any = value + timedelta(seconds=1)
    elif name in ("seq", "size"):
        new = value + 10
    elif name in ("statement", "leaves"):
        new = bytes(value).replace(b'"', b'"', 1)[:-1] + b" "
    else:
        new = ("f" if value[0] != "f" else "e") + value[1:]
    with triggers_disabled():
        Checkpoint.objects.filter(seq=which).update(**{name: new})
    found = faults()
    assert any(where == "checkpoint" for where, _, _ in found), found


def test_deleting_a_checkpoint_between_others_is_detected(ledger):
    for _ in range(3):
        with transaction.atomic():
            ledger_append(stream=A, type="ledger.note", actor="u", capacity="c", payload={})
        checkpoint_make()
    with triggers_disabled():
        Checkpoint.objects.filter(seq=2).delete()
    assert ("checkpoint", 3, "link") in faults()


def test_a_stream_vanishing_between_checkpoints_is_detected(ledger):
    checkpoint_make()
    with triggers_disabled():
        LedgerEvent.objects.filter(stream="case:B").delete()
        LedgerHead.objects.filter(stream="case:B").delete()
    assert ("case:B", None, "vanished") in faults()
