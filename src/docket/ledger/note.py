"""C2SP signed notes, tlog checkpoints and tlog proofs (pure: no Django import).

Formats, exactly as c2sp.org specifies them, so that any tool that reads a transparency
log's checkpoints can read Docket's:

- signed-note: the text (ending in a newline), a blank line, then one line per
  signature, ``— <key name> base64(key ID || signature)``; for Ed25519 the key ID is
  ``SHA-256(name || 0x0A || 0x01 || public key)[:4]`` and the signature is over the text.
  A verifier key (vkey) is ``<name>+<hex key ID>+base64(0x01 || public key)``.
- tlog-checkpoint: a note whose text is the origin, the tree size and the base64 RFC 6962
  root, one per line.
- tlog-proof: ``c2sp.org/tlog-proof@v1``, ``index N``, the audit path one base64 hash a
  line, a blank line, then the checkpoint verbatim.

``verifier/docket_verify.py`` reimplements the reading side without importing Docket;
tests check that the two agree.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
COSIGNATURE_ED25519 = 0x04  # tlog-cosignature: a witness's timestamped signature
DASH = "\u2014"  # em dash, the start of every signature line
PROOF_HEADER = "c2sp.org/tlog-proof@v1"
MAX_SIGNATURES = 16


class NoteError(ValueError):
    """A note, vkey, checkpoint or proof is malformed or does not verify; the message
    says which."""


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, public_key: bytes, kind: int = ED25519) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + public_key).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"key name {name!r} is empty or has a space or plus")


def vkey(name: str, public_key: bytes, kind: int = ED25519) -> str:
    _check_name(name)
    material = base64.b64encode(bytes([kind]) + public_key).decode()
    return f"{name}+{key_id(name, public_key, kind).hex()}+{material}"


@dataclass(frozen=True)
class Verifier:
    """A trusted key: its name, its key ID and the raw Ed25519 public key."""

    name: str
    id: bytes
    public_key: bytes
    kind: int = ED25519

    @property
    def text(self) -> str:
        return vkey(self.name, self.public_key, self.kind)


def parse_vkey(text: str) -> Verifier:
    parts = text.strip().split("+", 2)  # base64 may itself hold "+"
    if len(parts) != 3:
        raise NoteError("a verifier key has three parts: name+keyid+key")
    name, hex_id, material = parts
    _check_name(name)
    try:
        ident = bytes.fromhex(hex_id)
        raw = base64.b64decode(material, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise NoteError("the verifier key is not hex and base64") from exc
    if len(ident) != 4 or len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_ED25519):
        raise NoteError("the verifier key is not an Ed25519 key")
    if key_id(name, raw[1:], raw[0]) != ident:
        raise NoteError("the verifier key's ID does not match its name and key")
    return Verifier(name, ident, raw[1:], raw[0])


def signature_line(name: str, key: Ed25519PrivateKey, text: str) -> str:
    ident = key_id(name, _raw(key.public_key()))
    sig = key.sign(text.encode("utf-8"))
    return f"{DASH} {name} {base64.b64encode(ident + sig).decode()}\n"


def sign(text: str, name: str, key: Ed25519PrivateKey) -> str:
    """A signed note of ``text`` (which must end in a newline) by ``key`` under ``name``."""
    _check_text(text)
    _check_name(name)
    return text + "\n" + signature_line(name, key, text)


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("note text has control characters")


@dataclass(frozen=True)
class Signature:
    name: str
    id: bytes
    signature: bytes


def split(note: str) -> tuple[str, list[Signature]]:
    """The text and signature lines of a note (nothing verified yet)."""
    if not note.endswith("\n"):
        raise NoteError("the note does not end with a newline (truncated?)")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise NoteError("the note has no signature block")
    text, block = note[: cut + 1], note[cut + 2 :]
    _check_text(text)
    signatures: list[Signature] = []
    for line in block.splitlines():
        prefix, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            raw = b""
        if prefix != DASH or not name or len(raw) < 5:
            raise NoteError(f"malformed signature line {line[:60]!r}")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    if not signatures:
        raise NoteError("the note has no signatures")
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError("the note has too many signatures")
    return text, signatures


def open_note(note: str, verifier: Verifier) -> str:
    """The text of ``note`` once ``verifier``'s signature on it holds (signed-note rules:
    signatures by other keys are ignored; a failing one by this key rejects the note)."""
    text, signatures = split(note)
    mine = [s for s in signatures if s.name == verifier.name and s.id == verifier.id]
    if not mine:
        raise NoteError(f"the note is not signed by {verifier.name} (key {verifier.id.hex()})")
    public = Ed25519PublicKey.from_public_bytes(verifier.public_key)
    for s in mine:
        try:
            public.verify(s.signature, text.encode("utf-8"))
        except InvalidSignature:
            raise NoteError(f"the signature by {verifier.name} does not verify") from None
    return text


# --- tlog-checkpoint --------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise NoteError("a checkpoint has an origin, a size and a root, one a line")
    origin, size, root = lines[0], lines[1], lines[2]
    if not size.isascii() or not size.isdigit() or (size != "0" and size.startswith("0")):
        raise NoteError("the checkpoint's tree size is not a decimal number")
    try:
        digest = base64.b64decode(root, validate=True)
    except (ValueError, binascii.Error):
        digest = b""
    if len(digest) != 32:
        raise NoteError("the checkpoint's root is not a base64 SHA-256 hash")
    return Checkpoint(origin, int(size), digest)


def open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    """A checkpoint signed by ``verifier``, whose origin must be the key's name."""
    checkpoint = parse_checkpoint(open_note(note, verifier))
    if checkpoint.origin != verifier.name:
        raise NoteError(f"the checkpoint is for log {checkpoint.origin!r}, not {verifier.name!r}")
    return checkpoint


# --- tlog-proof ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    index: int
    path: list[bytes]
    checkpoint: str  # the signed note, verbatim


def proof_text(index: int, path: Sequence[bytes], checkpoint_note: str) -> str:
    hashes = "".join(base64.b64encode(h).decode() + "\n" for h in path)
    return f"{PROOF_HEADER}\nindex {index}\n{hashes}\n{checkpoint_note}"


def parse_proof(text: str) -> Proof:
    head, sep, checkpoint = text.partition("\n\n")
    lines = head.split("\n")
    if not sep or lines[0] != PROOF_HEADER:
        raise NoteError("not a c2sp.org/tlog-proof@v1 proof")
    rest = lines[1:]
    if rest and rest[0].startswith("extra "):
        rest = rest[1:]  # opaque and unauthenticated: not used
    if not rest or not rest[0].startswith("index ") or not rest[0][6:].isdigit():
        raise NoteError("the proof has no index line")
    path: list[bytes] = []
    for line in rest[1:]:
        try:
            digest = base64.b64decode(line, validate=True)
        except (ValueError, binascii.Error):
            digest = b""
        if len(digest) != 32:
            raise NoteError("the proof's inclusion path has a line that is not a hash")
        path.append(digest)
    return Proof(int(rest[0][6:]), path, checkpoint)
