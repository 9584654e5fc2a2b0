"""ledger_append: validation, chaining, expect_seq, head and summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from docket.core import clock
from docket.core.errors import Conflict
from docket.events.registry import InvalidPayload, UnknownEventType
from docket.ledger import chain
from docket.ledger.errors import InvalidEvent, InvalidStream, NotInTransaction, WrongStream
from docket.ledger.models import LedgerEvent, LedgerHead, StreamSummary
from docket.ledger.selectors import stream_events, stream_head
from docket.ledger.services import ledger_append

pytestmark = pytest.mark.django_db


def test_append_chains_events_and_moves_the_head(note):
    first = note(label="one")
    second = note(label="two")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == chain.genesis("case:A1")
    assert second.prev_hash == first.hash
    assert second.hash == chain.record_hash(chain.EVENT_DOMAIN, bytes(second.body))
    assert stream_head("case:A1") == (2, second.hash)
    assert [e.payload["label"] for e in stream_events("case:A1")] == ["one", "two"]
    head = LedgerHead.objects.get(stream="case:A1")
    assert (head.seq, head.hash) == (2, second.hash)
    summary = StreamSummary.objects.get(stream="case:A1")
    assert (summary.kind, summary.events, summary.head_hash) == ("case", 2, second.hash)


def test_saved_row_matches_its_canonical_bytes(note):
    with clock.frozen_at(datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)):
        event = note(
            label="x",
            recorded_by="clerk",
            provenance="import",
            occurred_at=datetime(2013, 3, 4, 12, 0, tzinfo=UTC),
        )
    stored = LedgerEvent.objects.get(stream="case:A1", seq=1)
    body = bytes(stored.body)
    assert body.startswith(b'{"event":{"actor":"user:1"')
    assert b'"occurred_at":"2013-03-04T12:00:00.000000Z"' in body
    assert b'"recorded_at":"2024-05-06T07:08:09.123456Z"' in body
    assert stored.occurred_at == datetime(2013, 3, 4, 12, 0, tzinfo=UTC)
    assert (stored.provenance, stored.recorded_by) == ("import", "clerk")
    assert chain.prev_hash_of(body) == event.prev_hash


def test_streams_are_separate_chains(note):
    note("case:A1")
    note("case:B2")
    assert stream_head("case:A1")[0] == 1
    assert stream_head("case:B2")[0] == 1
    assert stream_head("case:NONE") is None


def test_expect_seq_refuses_a_moved_head(note):
    note()
    with pytest.raises(Conflict) as exc, transaction.atomic():
        ledger_append(
            stream="case:A1", type="ledger.note", actor="u", capacity="c", payload={}, expect_seq=0
        )
    assert exc.value.code == "case.changed"
    assert exc.value.message.startswith("The case changed while you were working on it.")
    assert LedgerEvent.objects.count() == 1
    note(expect_seq=1)
    assert stream_head("case:A1")[0] == 2


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(NotInTransaction) as exc:
        ledger_append(stream="case:A1", type="ledger.note", actor="u", capacity="c", payload={})
    assert exc.value.code == "ledger.not_in_transaction"


@pytest.mark.parametrize(
    ("kwargs", "error", "code"),
    [
        ({"type": "no.such.type"}, UnknownEventType, "ledger.unknown_event_type"),
        ({"payload": {"nope": 1}}, InvalidPayload, "ledger.invalid_payload"),
        ({"stream": "case"}, InvalidStream, "ledger.invalid_stream"),
        ({"stream": "journal"}, InvalidStream, "ledger.invalid_stream"),
        ({"stream": "case:a b"}, InvalidStream, "ledger.invalid_stream"),
        ({"actor": ""}, InvalidEvent, "ledger.invalid_event"),
        ({"capacity": " "}, InvalidEvent, "ledger.invalid_event"),
        ({"provenance": "guess"}, InvalidEvent, "ledger.invalid_event"),
        ({"occurred_at": datetime(2030, 1, 1)}, InvalidEvent, "ledger.invalid_event"),
        ({"deviation": {"justification": "x"}}, InvalidEvent, "ledger.invalid_event"),
        (
            {"deviation": {"justification": "", "body": "SC", "rules": ["r1"]}},
            InvalidEvent,
            "ledger.invalid_event",
        ),
        (
            {"deviation": {"justification": "j", "body": "SC", "rules": []}},
            InvalidEvent,
            "ledger.invalid_event",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(kwargs, error, code):
    args = {
        "stream": "case:A1",
        "type": "ledger.note",
        "actor": "u",
        "capacity": "c",
        "payload": {"label": "x"},
    } | kwargs
    with pytest.raises(error) as exc, transaction.atomic():
        ledger_append(**args)
    assert exc.value.code == code
    assert LedgerEvent.objects.count() == 0


def test_future_occurrence_is_refused():
    with pytest.raises(InvalidEvent), transaction.atomic():
        ledger_append(
            stream="case:A1",
            type="ledger.note",
            actor="u",
            capacity="c",
            payload={},
            occurred_at=clock.now() + timedelta(minutes=1),
        )


def test_type_must_fit_the_stream_kind(monkeypatch):
    from docket.events import registry

    kind = registry.event_type("ledger.note")
    monkeypatch.setitem(
        registry._REGISTRY,
        "ledger.note",
        registry.EventType(kind.name, kind.payload, kind.summary, "case"),
    )
    with pytest.raises(WrongStream) as exc, transaction.atomic():
        ledger_append(stream="org", type="ledger.note", actor="u", capacity="c", payload={})
    assert exc.value.code == "ledger.wrong_stream"
    with transaction.atomic():
        ledger_append(stream="case:X", type="ledger.note", actor="u", capacity="c", payload={})


def test_deviation_is_in_the_hashed_bytes(note):
    event = note(deviation={"justification": "urgent", "body": "SC", "rules": ["hearing"]})
    assert event.deviation == {"justification": "urgent", "body": "SC", "rules": ["hearing"]}
    assert b'"deviation":{"body":"SC","justification":"urgent","rules":["hearing"]}' in bytes(
        event.body
    )


def test_payload_without_canonical_form_is_refused(monkeypatch):
    from docket.events import registry

    monkeypatch.setattr(registry, "validate", lambda name, payload: {"n": 2**60})
    monkeypatch.setattr("docket.ledger.services.validate", registry.validate)
    with pytest.raises(InvalidPayload), transaction.atomic():
        ledger_append(stream="case:A1", type="ledger.note", actor="u", capacity="c", payload={})
