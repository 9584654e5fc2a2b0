"""The pure envelope: AES-256-GCM chunks bound to their place (no database)."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docket.crypto import envelope
from docket.crypto.envelope import (
    CHUNK_SIZE,
    HEADER_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    DataKey,
    DecryptionFailed,
    KeyUnwrapFailed,
    MalformedCiphertext,
    content_aad,
    open_chunks,
    open_sealed,
    seal,
    sealed_size,
    unwrap_key,
    wrap_context,
    wrap_key,
)

PLACE = {
    "stream": "case:C2013004",
    "kind": "statement",
    "item": "ITEM0000000000A1",
    "version": 1,
    "key_version": 1,
}
SMALL = 64  # small chunks so multi-chunk cases stay cheap


def aad(**changes: object) -> bytes:
    return content_aad(**{**PLACE, **changes})  # type: ignore[arg-type]


@pytest.fixture
def key() -> DataKey:
    return DataKey.generate()


def test_round_trip_single_and_multi_chunk(key):
    for size in (0, 1, SMALL - 1, SMALL, SMALL + 1, 5 * SMALL, 5 * SMALL + 7):
        data = bytes(range(256)) * (size // 256 + 1)
        data = data[:size]
        sealed = seal(key, data, aad(), chunk_size=SMALL)
        assert len(sealed) == sealed_size(size, chunk_size=SMALL)
        assert open_sealed(key, sealed, aad()) == data


def test_fresh_nonces_each_seal(key):
    one = seal(key, b"same words", aad())
    two = seal(key, b"same words", aad())
    assert one != two
    nonce = slice(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES)
    assert one[nonce] != two[nonce]
    assert b"same words" not in one


def test_wrong_key_fails_with_code(key):
    sealed = seal(key, b"statement text", aad())
    with pytest.raises(DecryptionFailed) as err:
        open_sealed(DataKey.generate(), sealed, aad())
    assert err.value.code == "crypto.authentication_failed"


@pytest.mark.parametrize(
    "change",
    [
        {"stream": "case:C2013005"},
        {"kind": "evidence"},
        {"item": "ITEM0000000000A2"},
        {"version": 2},
        {"key_version": 2},
        {"part": "filename"},
    ],
    ids=lambda c: next(iter(c)),
)
def test_each_aad_component_is_bound(key, change):
    sealed = seal(key, b"W1's statement", aad())
    with pytest.raises(DecryptionFailed):
        open_sealed(key, sealed, aad(**change))


def test_aad_fields_cannot_be_shifted():
    # Length prefixes: moving a character from one field to the next changes the bytes.
    a = content_aad(stream="case:A", kind="bstatement", item="X", version=1, key_version=1)
    b = content_aad(stream="case:Ab", kind="statement", item="X", version=1, key_version=1)
    assert a != b


def test_every_altered_byte_fails_without_output(key):
    data = b"x" * (2 * SMALL + 10)
    sealed = seal(key, data, aad(), chunk_size=SMALL)
    released: list[bytes] = []
    for position in range(len(sealed)):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises((DecryptionFailed, MalformedCiphertext)):
            released.append(open_sealed(key, bytes(tampered), aad()))
    assert released == []


@pytest.mark.parametrize("cut", [1, TAG_BYTES, NONCE_BYTES + TAG_BYTES + 10])
def test_truncated_tail_fails(key, cut):
    sealed = seal(key, b"y" * (3 * SMALL), aad(), chunk_size=SMALL)
    with pytest.raises((DecryptionFailed, MalformedCiphertext)):
        open_sealed(key, sealed[:-cut], aad())


def test_dropping_whole_final_chunk_fails(key):
    # Exactly two full chunks; drop the second: the first was sealed as not-final.
    sealed = seal(key, b"z" * (2 * SMALL), aad(), chunk_size=SMALL)
    record = NONCE_BYTES + SMALL + TAG_BYTES
    assert len(sealed) == HEADER_BYTES + 2 * record
    with pytest.raises(DecryptionFailed):
        open_sealed(key, sealed[: HEADER_BYTES + record], aad())


def test_reordered_or_appended_chunks_fail(key):
    sealed = seal(key, bytes(range(3 * SMALL)), aad(), chunk_size=SMALL)
    record = NONCE_BYTES + SMALL + TAG_BYTES
    header, body = sealed[:HEADER_BYTES], sealed[HEADER_BYTES:]
    chunks = [body[i : i + record] for i in range(0, len(body), record)]
    swapped = header + chunks[1] + chunks[0] + chunks[2]
    with pytest.raises(DecryptionFailed):
        open_sealed(key, swapped, aad())
    with pytest.raises(DecryptionFailed):
        open_sealed(key, sealed + chunks[2], aad())


def test_truncated_header_and_bad_magic_are_malformed(key):
    sealed = seal(key, b"abc", aad())
    with pytest.raises(MalformedCiphertext) as err:
        open_sealed(key, sealed[:5], aad())
    assert err.value.code == "crypto.malformed"
    with pytest.raises(MalformedCiphertext):
        open_sealed(key, b"XXXX" + sealed[4:], aad())
    with pytest.raises(MalformedCiphertext):
        open_sealed(key, b"", aad())


def test_forged_chunk_size_header_fails(key):
    sealed = seal(key, b"q" * 100, aad(), chunk_size=SMALL)
    forged = struct.pack(">4sI", envelope.MAGIC, 32) + sealed[HEADER_BYTES:]
    with pytest.raises((DecryptionFailed, MalformedCiphertext)):
        open_sealed(key, forged, aad())


def test_streaming_releases_only_authentic_chunks(key):
    data = bytes(range(250)) * 2
    sealed = bytearray(seal(key, data, aad(), chunk_size=SMALL))
    sealed[-1] ^= 0xFF  # damage the last chunk's tag
    got: list[bytes] = []

    def drain() -> None:
        for chunk in open_chunks(key, io.BytesIO(bytes(sealed)), aad()):
            got.append(chunk)

    with pytest.raises(DecryptionFailed):
        drain()
    assert b"".join(got) == data[: len(b"".join(got))]  # what came out is genuine
    assert len(b"".join(got)) < len(data)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600), chunk=st.integers(min_value=1, max_value=200))
def test_round_trip_property(data, chunk):
    key = DataKey(b"k" * 32)
    assert open_sealed(key, seal(key, data, aad(), chunk_size=chunk), aad()) == data


def test_default_chunk_size_large_payload(key):
    data = b"\x00\x01" * (CHUNK_SIZE + 3)
    assert open_sealed(key, seal(key, data, aad()), aad()) == data


def test_wrap_unwrap_bound_to_kek_and_context(key):
    kek, other = b"K" * 32, b"L" * 32
    ctx = wrap_context(stream="case:A", key_version=1, kek_id="kek-1")
    wrapped = wrap_key(kek, key, ctx)
    assert key.material not in wrapped
    assert unwrap_key(kek, wrapped, ctx).material == key.material
    with pytest.raises(KeyUnwrapFailed) as err:
        unwrap_key(other, wrapped, ctx)
    assert err.value.code == "crypto.unwrap_failed"
    for moved in (
        wrap_context(stream="case:B", key_version=1, kek_id="kek-1"),
        wrap_context(stream="case:A", key_version=2, kek_id="kek-1"),
        wrap_context(stream="case:A", key_version=1, kek_id="kek-2"),
    ):
        with pytest.raises(KeyUnwrapFailed):
            unwrap_key(kek, wrapped, moved)
    with pytest.raises(KeyUnwrapFailed):
        unwrap_key(kek, wrapped[:-1], ctx)


def test_data_key_never_shows_its_material(key):
    import pickle

    assert key.material.hex() not in repr(key)
    assert "redacted" in repr(key)
    assert "redacted" in f"{key}"
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(Exception, match="32 bytes"):
        DataKey(b"short")


def test_envelope_module_has_no_django_import():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(envelope.__file__).read_text())
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(n.startswith("django") for n in names)
