"""Content services against a real database, real key files and a real content store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection, transaction
from tests.crypto.conftest import HAS_JOURNAL, MARKER, needs_journal

from docket.core.errors import ConfigurationError
from docket.crypto import keyfiles
from docket.crypto.errors import (
    BlobMissing,
    CaseShredded,
    ContentInvalid,
    ContentShredded,
    ContentTooLarge,
    DecryptionFailed,
    KeyUnwrapFailed,
    LegalHoldActive,
    MalformedCiphertext,
)
from docket.crypto.keys import data_key_cache
from docket.crypto.models import CaseKey, ContentItem
from docket.crypto.services import (
    case_key_shred,
    content_filename,
    content_open_stream,
    content_read,
    content_read_many,
    content_versions,
    legal_hold_lift,
    legal_hold_place,
)
from docket.crypto.store import DirectoryContentStore

pytestmark = pytest.mark.django_db(transaction=True)


def journal(stream: str) -> list[tuple[str, str, str, str]]:
    from docket.ledger.models import JournalEntry

    return [
        (e.reader, e.capacity, e.item, e.action)
        for e in JournalEntry.objects.filter(stream=stream).order_by("seq")
    ]


def blob_path(dirs, item: ContentItem) -> Path:
    return DirectoryContentStore(dirs.content).path(item.blob)


def test_put_stores_only_ciphertext(put, dirs):
    item = put(MARKER, filename="statement-C.txt")
    assert item.public_id
    assert item.version == 1
    assert item.size == len(MARKER)
    raw = blob_path(dirs, item).read_bytes()
    assert MARKER.encode() not in raw
    assert item.blob == __import__("hashlib").sha256(raw).hexdigest()
    assert b"statement-C" not in bytes(item.sealed_filename)
    row = CaseKey.objects.get(stream=item.stream)
    assert row.kek_id == "kek-1"
    assert len(bytes(row.wrapped_key)) == 64
    # No temporary files left next to the blob.
    assert [p.name for p in blob_path(dirs, item).parent.iterdir()] == [item.blob]


@needs_journal
def test_read_decrypts_and_journals_in_the_same_transaction(put):
    item = put(MARKER)
    assert content_read(item=item, reader="person:P1", capacity="panel") == MARKER.encode()
    assert journal(item.stream) == [("person:P1", "panel", item.public_id, "read")]
    # A caller whose transaction fails takes its journal entry with it... and the read.

    def read_then_fail() -> None:
        with transaction.atomic():
            content_read(item=item.public_id, reader="person:P2", capacity="panel")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        read_then_fail()
    assert [r[0] for r in journal(item.stream)] == ["person:P1"]


@needs_journal
def test_read_many_uses_one_unwrap_per_case_and_journals_each(put, monkeypatch):
    from docket.crypto import kek

    items = [put(f"{MARKER} #{i}") for i in range(5)]
    calls = []
    provider = kek.kek_provider()
    original = provider.unwrap

    def counting(**kw):
        calls.append(kw["kek_id"])
        return original(**kw)

    monkeypatch.setattr(provider, "unwrap", counting)
    out = content_read_many(items=items, reader="person:P1", capacity="panel")
    assert [out[i.public_id] for i in items] == [f"{MARKER} #{i}".encode() for i in range(5)]
    assert calls == ["kek-1"]
    assert len(journal(items[0].stream)) == 5


def test_swapping_ciphertexts_between_records_fails(put, dirs):
    a = put("A's statement")
    b = put("B's statement")
    other_case = put("Other case", stream="case:OTHER1")
    # An attacker with database access points A at B's blob, then at another case's blob.
    ContentItem.objects.filter(pk=a.pk).update(blob=b.blob)
    with pytest.raises(DecryptionFailed) as err:
        content_read(item=a.public_id, reader="person:P1", capacity="panel")
    assert err.value.code == "crypto.authentication_failed"
    ContentItem.objects.filter(pk=a.pk).update(blob=other_case.blob)
    with pytest.raises(DecryptionFailed):
        content_read(item=a.public_id, reader="person:P1", capacity="panel")


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "evidence"), ("version", 2), ("stream", "case:C2013005"), ("public_id", "X" * 16)],
)
def test_moving_an_item_record_fails(put, field, value):
    item = put(MARKER)
    if field == "stream":  # give the other case the same key so only the AAD differs
        row = CaseKey.objects.get(stream=item.stream)
        CaseKey.objects.create(
            stream=value,
            key_version=1,
            kek_id=row.kek_id,
            wrapped_key=row.wrapped_key,
            created_at=row.created_at,
        )
    ContentItem.objects.filter(pk=item.pk).update(**{field: value})
    fresh = ContentItem.objects.get(pk=item.pk)
    with pytest.raises((DecryptionFailed, KeyUnwrapFailed)):
        content_read(item=fresh, reader="person:P1", capacity="panel")


def test_swapping_wrapped_keys_between_cases_fails(put):
    a = put("case A", stream="case:AAAA")
    put("case B", stream="case:BBBB")
    b_key = CaseKey.objects.get(stream="case:BBBB")
    CaseKey.objects.filter(stream="case:AAAA").update(wrapped_key=b_key.wrapped_key)
    with pytest.raises(KeyUnwrapFailed) as err:
        content_read(item=a, reader="person:P1", capacity="panel")
    assert err.value.code == "crypto.unwrap_failed"


def test_wrong_kek_file_fails(put, dirs):
    item = put(MARKER)
    path = keyfiles.kek_path("kek-1", dirs.keys)
    path.unlink()
    keyfiles.create_kek(dirs.keys)  # a new kek-1... would be kek-1 again: same name
    assert keyfiles.kek_ids(dirs.keys) == ["kek-1"]
    from docket.crypto import kek

    kek._providers.clear()  # a restarted process
    with pytest.raises(KeyUnwrapFailed):
        content_read(item=item, reader="person:P1", capacity="panel")


def test_missing_kek_file_is_a_configuration_error(put, dirs):
    item = put(MARKER)
    keyfiles.kek_path("kek-1", dirs.keys).unlink()
    from docket.crypto import kek

    kek._providers.clear()
    with pytest.raises(ConfigurationError) as err:
        content_read(item=item, reader="person:P1", capacity="panel")
    assert err.value.code == "crypto.kek_missing"


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_tampered_blob_gives_coded_error_and_no_output(put, dirs, damage):
    item = put(MARKER * 50)
    path = blob_path(dirs, item)
    raw = bytearray(path.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0x80
    elif damage == "truncate":
        raw = raw[:-7]
    else:
        raw = bytearray()
    path.write_bytes(bytes(raw))
    expected = MalformedCiphertext if damage == "empty" else DecryptionFailed
    with pytest.raises(expected):
        content_read(item=item, reader="person:P1", capacity="panel")
    with pytest.raises(expected):
        content_open_stream(item=item, reader="person:P1", capacity="panel")
    if HAS_JOURNAL:
        assert journal(item.stream) == []  # nothing released, nothing journaled


def test_missing_blob(put, dirs):
    item = put(MARKER)
    blob_path(dirs, item).unlink()
    with pytest.raises(BlobMissing) as err:
        content_read(item=item, reader="person:P1", capacity="panel")
    assert err.value.code == "content.blob_missing"


@needs_journal
def test_stream_large_item_in_chunks(put):
    data = os.urandom(200_000)
    item = put(data, kind="evidence", media_type="application/pdf", filename="file.pdf")
    opened = content_open_stream(item=item, reader="person:P1", capacity="investigator")
    chunks = list(opened.chunks)
    assert len(chunks) == 4
    assert b"".join(chunks) == data
    assert opened.filename == "file.pdf"
    assert opened.size == len(data)
    assert journal(item.stream)[-1][3] == "download"


@needs_journal
def test_corrections_keep_earlier_versions_sealed(put):
    first = put("I saw him at 10pm.")
    second = put("I saw him at 11pm.", supersedes=first)
    assert second.version == 2
    assert second.supersedes_id == first.pk
    assert [i.version for i in content_versions(first)] == [1, 2]
    assert [i.version for i in content_versions(second)] == [1, 2]
    assert content_read(item=first, reader="p:1", capacity="panel") == b"I saw him at 10pm."
    assert content_read(item=second, reader="p:1", capacity="panel") == b"I saw him at 11pm."
    with pytest.raises(ContentInvalid) as err:
        put("fork", supersedes=first)
    assert err.value.code == "content.already_superseded"
    with pytest.raises(ContentInvalid) as err:
        put("elsewhere", supersedes=second, stream="case:ELSEWHERE")
    assert err.value.code == "content.wrong_place"


@needs_journal
def test_redaction_is_a_new_item_for_an_audience(put):
    original = put("W1 says: C told me on the night.")
    redacted = put("W1 says: [redacted] told me.", redaction_of=original, audience="respondent")
    assert redacted.redaction_of_id == original.pk
    assert redacted.audience == "respondent"
    assert content_read(item=original, reader="p:1", capacity="panel").startswith(b"W1 says: C")
    with pytest.raises(ContentInvalid) as err:
        put("x", redaction_of=original)
    assert err.value.code == "content.redaction_incomplete"
    with pytest.raises(ContentInvalid) as err:
        put("y", redaction_of=redacted, audience="public")
    assert err.value.code == "content.redaction_of_redaction"


def test_input_checks(put, settings):
    with pytest.raises(ContentInvalid) as err:
        put(kind="gossip")
    assert err.value.code == "content.bad_kind"
    with pytest.raises(ContentInvalid):
        put(stream="no colon")
    with pytest.raises(ContentInvalid):
        put(author="")
    with pytest.raises(ContentInvalid):
        put(media_type="text/html\r\nX: y")
    settings.DOCKET_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ContentTooLarge) as err:
        put("eleven char")
    assert err.value.code == "content.too_large"
    assert ContentItem.objects.count() == 0


@needs_journal
def test_filename_is_sealed_and_journaled(put):
    item = put(MARKER, kind="evidence", filename="bruise-photo.jpg")
    assert content_filename(item=item, reader="p:1", capacity="panel") == "bruise-photo.jpg"
    assert journal(item.stream)[-1][2:] == (f"{item.public_id}#filename", "read")
    assert content_filename(item=put("no name"), reader="p:1", capacity="panel") is None


def test_shredding_makes_content_unrecoverable(put, dirs):
    first = put(MARKER)
    second = put(MARKER + " again", supersedes=first)
    wrapped = bytes(CaseKey.objects.get(stream=first.stream).wrapped_key)
    blobs = [blob_path(dirs, first), blob_path(dirs, second)]
    report = case_key_shred(stream=first.stream, reason="retention period ended")
    assert (report.keys, report.items) == (1, 2)
    row = CaseKey.objects.get(stream=first.stream)
    assert row.wrapped_key is None
    assert row.shredded_at
    assert row.shred_reason
    assert not any(p.exists() for p in blobs)
    for item in (first, second):
        with pytest.raises(ContentShredded) as err:
            content_read(item=item.public_id, reader="p:1", capacity="panel")
        assert err.value.code == "content.shredded"
        assert err.value.data["reason"] == "retention period ended"
        assert err.value.data["shredded_at"]
    # Metadata of what existed stays.
    kept = ContentItem.objects.get(pk=first.pk)
    assert kept.shredded
    assert kept.author == "person:C"
    assert kept.size == len(MARKER)
    # The case takes no new content.
    with pytest.raises(CaseShredded):
        put("more")
    if connection.vendor == "sqlite":
        db_file = Path(connection.settings_dict["NAME"])
        for path in (db_file, Path(f"{db_file}-wal")):
            if path.exists():
                assert wrapped not in path.read_bytes(), path


def test_shredding_a_case_without_content_leaves_a_tombstone(dirs, db):
    case_key_shred(stream="case:EMPTY1", reason="closed, no content")
    assert CaseKey.objects.get(stream="case:EMPTY1").shredded_at is not None


def test_legal_hold_prevents_shredding(put):
    item = put(MARKER)
    hold = legal_hold_place(stream=item.stream, reason="litigation", placed_by="person:SC1")
    with pytest.raises(LegalHoldActive) as err:
        case_key_shred(stream=item.stream, reason="retention")
    assert err.value.code == "content.legal_hold"
    assert CaseKey.objects.get(stream=item.stream).wrapped_key is not None
    legal_hold_lift(hold=hold, lifted_by="person:SC1")
    case_key_shred(stream=item.stream, reason="retention")
    assert ContentItem.objects.get(pk=item.pk).shredded


def test_data_key_cache_is_scoped(put):
    from docket.crypto import keys

    item = put(MARKER)
    assert keys._cache.get() is None
    with data_key_cache():
        keys.case_data_key(item.stream, 1)
        assert len(keys._cache.get() or {}) == 1
    assert keys._cache.get() is None


def test_no_plaintext_in_database_or_store_after_puts(put, dirs, settings):
    """Scan the database file (SQLite) or its rows (PostgreSQL) and the content store."""
    for i in range(5):
        put(f"{MARKER} statement {i}", filename=f"{MARKER}-{i}.txt")
        put(f"{MARKER} identity", kind="identity")
    marker = MARKER.encode()
    for path in dirs.content.rglob("*"):
        if path.is_file():
            assert marker not in path.read_bytes(), path
    if connection.vendor == "sqlite":
        connection.close()  # flush everything to the file (and its WAL)
        db_file = Path(connection.settings_dict["NAME"])
        seen = 0
        for path in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-journal")):
            if path.exists():
                seen += 1
                assert marker not in path.read_bytes(), path
        assert seen
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM crypto_contentitem")
            rows = cursor.fetchall()
            cursor.execute("SELECT * FROM crypto_casekey")
            rows += cursor.fetchall()
        blob = repr(rows).encode()
        assert len(rows) == 11
        assert marker not in blob
        assert marker.hex().encode() not in blob
