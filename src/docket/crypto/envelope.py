"""Envelope encryption: the pure AEAD code (no Django, no I/O beyond a readable stream).

Every confidential item is sealed with AES-256-GCM under its case's *data key*; each
data key is itself sealed ("wrapped") under a *key-encryption key* (KEK) that lives
outside the database. See docs/security.md for the whole design.

Sealed format (version 1), chosen so that large evidence files can be streamed with
bounded memory and still be authenticated as a whole::

    header  = b"DKC1" || chunk_size (u32, big-endian)
    chunk_i = nonce_i (12 random bytes) || AES-256-GCM(data_i, aad_i)   (ciphertext || 16-byte tag)
    aad_i   = len-prefixed(context) || header || i (u64, big-endian) || final_flag (1 byte)

Every chunk holds exactly ``chunk_size`` plaintext bytes except the last, which holds
at most that many (an empty plaintext is one empty final chunk). The chunk index and
the final flag are authenticated, so reordering, dropping or appending chunks, and
truncating the blob, all fail authentication. The *context* (``content_aad``) binds
the blob to its place: case stream, kind, item id, version, data-key version and part;
a ciphertext moved to another record does not open.
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable, Iterator
from typing import BinaryIO, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from docket.core.errors import IntegrityFault, InvalidInput

KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12
TAG_BYTES: Final = 16
CHUNK_SIZE: Final = 64 * 1024
MAX_CHUNK_SIZE: Final = 16 * 1024 * 1024
MAGIC: Final = b"DKC1"
HEADER_BYTES: Final = len(MAGIC) + 4
WRAP_MAGIC: Final = b"DKW1"

_HEADER = struct.Struct(">4sI")
_INDEX = struct.Struct(">QB")
_LEN = struct.Struct(">I")
_AAD_PREFIX = b"docket/content/v1"


class DecryptionFailed(IntegrityFault):
    """Authentication failed: altered ciphertext, wrong place (AAD) or wrong key."""

    code = "crypto.authentication_failed"


class MalformedCiphertext(IntegrityFault):
    """The bytes are not a sealed blob at all (truncated header, bad magic, bad sizes)."""

    code = "crypto.malformed"


class KeyUnwrapFailed(IntegrityFault):
    """A wrapped data key did not open under the KEK it names (wrong KEK or altered)."""

    code = "crypto.unwrap_failed"


class DataKey:
    """A 256-bit AES key. Its repr never shows the material, so it cannot leak to logs."""

    __slots__ = ("_aead", "_material")

    def __init__(self, material: bytes) -> None:
        if len(material) != KEY_BYTES:
            raise InvalidInput("A data key must be 32 bytes.", code="crypto.bad_key")
        self._material = bytes(material)
        self._aead: AESGCM | None = None

    def aead(self) -> AESGCM:
        """The AES-GCM cipher for this key (built once per key object)."""
        if self._aead is None:
            self._aead = AESGCM(self._material)
        return self._aead

    @classmethod
    def generate(cls) -> DataKey:
        return cls(AESGCM.generate_key(bit_length=256))

    @property
    def material(self) -> bytes:
        return self._material

    def __repr__(self) -> str:
        return "DataKey(<redacted>)"

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("DataKey cannot be pickled (it would leave the process in clear).")


def _field(value: str | int) -> bytes:
    raw = (value if isinstance(value, str) else str(value)).encode("utf-8")
    return len(raw).to_bytes(4, "big") + raw


def content_aad(
    *, stream: str, kind: str, item: str, version: int, key_version: int, part: str = "body"
) -> bytes:
    """The associated data that binds a ciphertext to its place.

    Length-prefixed fields, so no two different tuples encode to the same bytes.
    """
    s, k, i, p = stream.encode(), kind.encode(), item.encode(), part.encode()
    v, kv = b"%d" % version, b"%d" % key_version
    return _AAD_PREFIX + b"".join(
        (
            _LEN.pack(len(s)), s, _LEN.pack(len(k)), k, _LEN.pack(len(i)), i,
            _LEN.pack(len(v)), v, _LEN.pack(len(kv)), kv, _LEN.pack(len(p)), p,
        )
    )  # fmt: skip


def wrap_context(*, stream: str, key_version: int, kek_id: str) -> bytes:
    """The associated data of a wrapped data key: which case, which version, which KEK."""
    return b"docket/data-key/v1" + b"".join(_field(v) for v in (stream, key_version, kek_id))


def _chunk_aad(context: bytes, header: bytes, index: int, final: bool) -> bytes:
    return _field(len(context)) + context + header + _INDEX.pack(index, 1 if final else 0)


def seal(key: DataKey, plaintext: bytes, context: bytes, *, chunk_size: int = CHUNK_SIZE) -> bytes:
    """Encrypt ``plaintext`` for ``context``; fresh random 96-bit nonce per chunk."""
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise InvalidInput("chunk_size out of range", code="crypto.bad_chunk_size")
    aead = key.aead()
    header = _HEADER.pack(MAGIC, chunk_size)
    parts = [header]
    view = memoryview(plaintext)
    count = max(1, -(-len(view) // chunk_size))
    for index in range(count):
        data = view[index * chunk_size : (index + 1) * chunk_size]
        nonce = os.urandom(NONCE_BYTES)
        aad = _chunk_aad(context, header, index, index == count - 1)
        parts.append(nonce)
        parts.append(aead.encrypt(nonce, bytes(data), aad))
    return b"".join(parts)


def sealed_size(plaintext_size: int, *, chunk_size: int = CHUNK_SIZE) -> int:
    count = max(1, -(-plaintext_size // chunk_size))
    return HEADER_BYTES + plaintext_size + count * (NONCE_BYTES + TAG_BYTES)


def _read_exact(read: Callable[[int], bytes], size: int) -> bytes:
    buf = bytearray()
    while len(buf) < size:
        piece = read(size - len(buf))
        if not piece:
            break
        buf += piece
    return bytes(buf)


def open_chunks(key: DataKey, source: BinaryIO, context: bytes) -> Iterator[bytes]:
    """Yield authenticated plaintext chunks of a sealed blob read from ``source``.

    Each yielded chunk is authentic; a failure (altered, truncated, wrong key, wrong
    context) raises before the offending chunk is yielded. Callers that must release
    nothing unless the whole blob is authentic use :func:`open_sealed` or
    :func:`verify`, or run this once to verify and once to release.
    """
    read = source.read
    header = _read_exact(read, HEADER_BYTES)
    if len(header) != HEADER_BYTES:
        raise MalformedCiphertext(
            "The sealed content is truncated (no complete header).", code="crypto.malformed"
        )
    magic, chunk_size = _HEADER.unpack(header)
    if magic != MAGIC:
        raise MalformedCiphertext("This is not sealed Docket content (unknown format).")
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise MalformedCiphertext("The sealed content declares an impossible chunk size.")
    aead = key.aead()
    record = NONCE_BYTES + chunk_size + TAG_BYTES
    current = _read_exact(read, record)
    index = 0
    while True:
        if len(current) < NONCE_BYTES + TAG_BYTES:
            raise MalformedCiphertext("The sealed content is truncated.", data={"chunk": index})
        following = _read_exact(read, record) if len(current) == record else b""
        final = not following
        aad = _chunk_aad(context, header, index, final)
        try:
            plain = aead.decrypt(current[:NONCE_BYTES], current[NONCE_BYTES:], aad)
        except InvalidTag:
            raise DecryptionFailed(
                "The content could not be authenticated: it was altered or truncated, "
                "belongs to another record, or the key is wrong.",
                data={"chunk": index},
            ) from None
        yield plain
        if final:
            return
        current = following
        index += 1


def open_sealed(key: DataKey, sealed: bytes, context: bytes) -> bytes:
    """Decrypt a whole blob: all or nothing (no partial output on any failure)."""
    if len(sealed) >= HEADER_BYTES + NONCE_BYTES + TAG_BYTES:
        # Fast path for the common single-chunk blob (statements, names, notes).
        magic, chunk_size = _HEADER.unpack_from(sealed)
        if magic == MAGIC and 0 < chunk_size <= MAX_CHUNK_SIZE:
            body = len(sealed) - HEADER_BYTES - NONCE_BYTES - TAG_BYTES
            if body <= chunk_size:
                aad = _chunk_aad(context, sealed[:HEADER_BYTES], 0, True)
                nonce = sealed[HEADER_BYTES : HEADER_BYTES + NONCE_BYTES]
                try:
                    return key.aead().decrypt(nonce, sealed[HEADER_BYTES + NONCE_BYTES :], aad)
                except InvalidTag:
                    raise DecryptionFailed(
                        "The content could not be authenticated: it was altered or "
                        "truncated, belongs to another record, or the key is wrong.",
                        data={"chunk": 0},
                    ) from None
    return b"".join(list(open_chunks(key, io.BytesIO(sealed), context)))


def verify(key: DataKey, source: BinaryIO, context: bytes) -> int:
    """Authenticate every chunk, release nothing; return the plaintext size."""
    return sum(len(chunk) for chunk in open_chunks(key, source, context))


def wrap_key(kek: bytes, key: DataKey, context: bytes) -> bytes:
    """Seal a data key under a KEK (AES-256-GCM, random nonce, bound to ``context``)."""
    nonce = os.urandom(NONCE_BYTES)
    return WRAP_MAGIC + nonce + AESGCM(kek).encrypt(nonce, key.material, context)


def unwrap_key(kek: bytes, wrapped: bytes, context: bytes) -> DataKey:
    expected = len(WRAP_MAGIC) + NONCE_BYTES + KEY_BYTES + TAG_BYTES
    if len(wrapped) != expected or not wrapped.startswith(WRAP_MAGIC):
        raise KeyUnwrapFailed("The wrapped data key is malformed.", code="crypto.unwrap_failed")
    body = wrapped[len(WRAP_MAGIC) :]
    try:
        material = AESGCM(kek).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], context)
    except InvalidTag:
        raise KeyUnwrapFailed(
            "The case's data key did not open under its key-encryption key "
            "(wrong key file, or the wrapped key was altered or moved)."
        ) from None
    return DataKey(material)
