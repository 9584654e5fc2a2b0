"""Small items sealed inline in their row (the default up to 64 KiB): same guarantees."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from docket.crypto.errors import ContentShredded, DecryptionFailed, MalformedCiphertext
from docket.crypto.models import ContentItem
from docket.crypto.services import (
    case_key_shred,
    content_open_stream,
    content_read,
    content_read_many,
)
from docket.crypto.store import blob_address

from .conftest import MARKER, needs_journal

pytestmark = [pytest.mark.django_db(transaction=True), needs_journal]


@pytest.fixture(autouse=True)
def inline(settings, dirs):
    settings.DOCKET_CONTENT_INLINE_MAX = 64 * 1024


def test_small_items_live_in_the_row_sealed(put, dirs):
    item = put(MARKER)
    sealed = bytes(item.inline)
    assert MARKER.encode() not in sealed
    assert item.blob == blob_address(sealed)
    assert not any(p.is_file() for p in dirs.content.rglob("*"))
    assert content_read(item=item, reader="p:1", capacity="panel") == MARKER.encode()
    assert b"".join(content_open_stream(item=item, reader="p:1", capacity="panel").chunks) == (
        MARKER.encode()
    )
    big = put(b"b" * (70 * 1024), kind="evidence", media_type="application/pdf")
    assert big.inline is None
    assert any(p.is_file() for p in dirs.content.rglob("*"))
    got = content_read_many(items=[item, big], reader="p:1", capacity="panel")
    assert got == {item.public_id: MARKER.encode(), big.public_id: b"b" * (70 * 1024)}


def test_swapping_inline_ciphertexts_fails(put):
    a, b = put("A's words"), put("B's words")
    ContentItem.objects.filter(pk=a.pk).update(inline=b.inline)
    with pytest.raises(DecryptionFailed):
        content_read(item=a.public_id, reader="p:1", capacity="panel")
    with pytest.raises(DecryptionFailed):
        content_read_many(
            items=list(ContentItem.objects.filter(pk__in=[a.pk, b.pk]).order_by("pk")),
            reader="p:1",
            capacity="panel",
        )


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_tampered_inline_ciphertext_fails(put, damage):
    item = put(MARKER)
    raw = bytearray(item.inline)
    if damage == "flip":
        raw[30] ^= 4
    else:
        raw = raw[:20]
    ContentItem.objects.filter(pk=item.pk).update(inline=bytes(raw))
    with pytest.raises((DecryptionFailed, MalformedCiphertext)):
        content_read(item=item.public_id, reader="p:1", capacity="panel")


def test_shredding_wipes_inline_ciphertext(put):
    item = put(MARKER)
    sealed = bytes(item.inline)
    case_key_shred(stream=item.stream, reason="retention")
    row = ContentItem.objects.get(pk=item.pk)
    assert row.inline is None
    assert row.shredded
    with pytest.raises(ContentShredded):
        content_read(item=item.public_id, reader="p:1", capacity="panel")
    if connection.vendor == "sqlite":
        db_file = Path(connection.settings_dict["NAME"])
        for path in (db_file, Path(f"{db_file}-wal")):
            if path.exists():
                assert sealed not in path.read_bytes(), path


def test_no_plaintext_in_database_with_inline_items(put):
    for i in range(5):
        put(f"{MARKER} statement {i}", filename=f"{MARKER}-{i}.txt")
    marker = MARKER.encode()
    if connection.vendor == "sqlite":
        connection.close()
        db_file = Path(connection.settings_dict["NAME"])
        for path in (db_file, Path(f"{db_file}-wal")):
            if path.exists():
                assert marker not in path.read_bytes(), path
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM crypto_contentitem")
            rows = cursor.fetchall()
        assert len(rows) == 5
        assert marker not in repr(rows).encode()
