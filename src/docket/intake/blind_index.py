"""Keyed hashes for intake: the repeat-subject blind index, receipt lookups, rate buckets.

One secret, ``intake-index.key`` in the key directory (next to the KEKs and the signing
key, never in the database), from which HKDF derives a separate key per purpose:

- ``subject``: HMAC-SHA256 over a normalized subject identifier (``member:<public id>``
  or ``name:<normalized name>``). Two matters that name the same person share a token;
  the table of tokens says nothing about who they are to anyone without the key, and a
  stolen database cannot be searched for a name by guessing (the name space is small,
  which is why the hash must be keyed).
- ``receipt``: HMAC-SHA256 over the first characters of a receipt code, the lookup key
  that finds the one row whose slow hash is then checked (no table scan).
- ``rate``: HMAC-SHA256 over the client address or receipt prefix of a rate bucket, so
  the rate table never holds an address.

The file is created on first use (``O_EXCL``: concurrent first uses agree on one file) or
by ``docket intake init-key``. Losing it breaks repeat-subject matching of earlier
matters and every outstanding receipt code: back it up with the other key files.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from docket.core.errors import ConfigurationError
from docket.crypto.keyfiles import key_dir, write_secret_file

KEY_FILE = "intake-index.key"
KEY_LABEL = b"docket intake index key v1 (HMAC-SHA256); back up apart from the database\n"
PURPOSES = ("subject", "receipt", "rate")


def key_path(directory: Path | None = None) -> Path:
    return (directory or key_dir()) / KEY_FILE


def init_key(directory: Path | None = None) -> bool:
    """Create the key file if missing. True when a new key was made."""
    import secrets

    path = key_path(directory)
    if path.exists():
        return False
    try:
        write_secret_file(path, KEY_LABEL + base64.b64encode(secrets.token_bytes(32)) + b"\n")
    except FileExistsError:
        return False
    return True


def _master(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        init_key(path.parent)
        raw = path.read_bytes()
    lines = raw.splitlines()
    try:
        material = base64.b64decode(lines[-1], validate=True) if lines else b""
    except binascii.Error:
        material = b""
    if len(material) != 32:
        raise ConfigurationError(
            f"{path} is not a valid intake index key file.", code="intake.key_invalid"
        )
    return material


@lru_cache(maxsize=16)
def _derived(path: str, mtime_ns: int, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"docket intake {purpose}".encode()
    ).derive(_master(Path(path)))


def purpose_key(purpose: str) -> bytes:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    path = key_path()
    if not path.exists():
        init_key()
    return _derived(str(path), path.stat().st_mtime_ns, purpose)


def keyed_hash(purpose: str, text: str) -> str:
    """Hex HMAC-SHA256 of ``text`` under the key for ``purpose``."""
    return hmac.new(purpose_key(purpose), text.encode("utf-8"), hashlib.sha256).hexdigest()


# --- subjects ----------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")


def normalize_name(name: str) -> str:
    """A name as compared: case, accents, punctuation and word order do not matter
    ("Riley  Moss", "moss, riley" and "Rîley Moss" are the same)."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _PUNCT.sub(" ", text)
    words = sorted(w for w in _SPACE.split(text) if w)
    return " ".join(words)


def subject_tokens(*, member: str | None = None, names: tuple[str, ...] = ()) -> set[str]:
    """The blind-index tokens of one subject: their member id and every name given."""
    tokens: set[str] = set()
    if member:
        tokens.add(keyed_hash("subject", f"member:{member}"))
    for name in names:
        normal = normalize_name(name)
        # A single word ("Sam") would match too widely to mean anything.
        if len(normal.split()) >= 2:
            tokens.add(keyed_hash("subject", f"name:{normal}"))
    return tokens
