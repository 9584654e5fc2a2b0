"""Key files kept outside the database.

``DOCKET_KEY_DIR`` holds the organization's Ed25519 signing key (checkpoints, receipts)
and the key-encryption keys (KEKs) that wrap each case's data key. The database and its
backups never contain them: a stolen database reveals no content and cannot forge a
checkpoint. ``docket keys init`` creates them; operators back the directory up apart.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from docket.core.errors import ConfigurationError

SIGNING_KEY_FILE = "org-signing-ed25519.pem"


def key_dir() -> Path:
    from django.conf import settings

    return Path(settings.DOCKET_KEY_DIR)


def write_secret_file(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600; refuse to overwrite an existing key."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def init_signing_key(directory: Path | None = None) -> bool:
    """Create the signing key if missing. Returns True when a new key was made."""
    path = (directory or key_dir()) / SIGNING_KEY_FILE
    if path.exists():
        return False
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_secret_file(path, pem)
    return True


def signing_key(directory: Path | None = None) -> Ed25519PrivateKey:
    path = (directory or key_dir()) / SIGNING_KEY_FILE
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as exc:
        raise ConfigurationError(
            f"The organization's signing key is missing at {path}. Run `docket keys init`.",
            code="keys.signing_missing",
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigurationError(f"{path} is not an Ed25519 key.", code="keys.signing_invalid")
    return key


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --- Key-encryption keys (KEKs) -------------------------------------------------------
#
# One file per KEK, ``kek-<n>.key``, mode 0600, holding 32 random bytes in base64 after a
# one-line label. The highest ``n`` is the current KEK: new data keys are wrapped under
# it, and ``docket keys rotate`` creates ``n+1`` then rewraps every data key under it.
# Older KEK files stay until ``docket keys retire`` removes them (see docs/security.md).

KEK_PREFIX = "kek-"
KEK_SUFFIX = ".key"
KEK_LABEL = b"docket key-encryption key v1 (AES-256); back up apart from the database\n"


def kek_path(kek_id: str, directory: Path | None = None) -> Path:
    return (directory or key_dir()) / f"{kek_id}{KEK_SUFFIX}"


def kek_ids(directory: Path | None = None) -> list[str]:
    """KEK ids present in the key directory, oldest first (``kek-1``, ``kek-2`` …)."""
    folder = directory or key_dir()
    found: list[tuple[int, str]] = []
    if folder.is_dir():
        for path in folder.iterdir():
            name = path.name
            if name.startswith(KEK_PREFIX) and name.endswith(KEK_SUFFIX):
                number = name[len(KEK_PREFIX) : -len(KEK_SUFFIX)]
                if number.isdigit():
                    found.append((int(number), name[: -len(KEK_SUFFIX)]))
    return [kek_id for _, kek_id in sorted(found)]


def create_kek(directory: Path | None = None) -> str:
    """Create the next KEK file (``kek-1`` when none exists); return its id."""
    folder = directory or key_dir()
    existing = kek_ids(folder)
    number = int(existing[-1][len(KEK_PREFIX) :]) + 1 if existing else 1
    kek_id = f"{KEK_PREFIX}{number}"
    material = base64.b64encode(secrets.token_bytes(32)) + b"\n"
    write_secret_file(kek_path(kek_id, folder), KEK_LABEL + material)
    return kek_id


def init_kek(directory: Path | None = None) -> str | None:
    """Create ``kek-1`` if no KEK exists. Returns the new id, or None when one existed."""
    if kek_ids(directory):
        return None
    return create_kek(directory)


def read_kek(kek_id: str, directory: Path | None = None) -> bytes:
    path = kek_path(kek_id, directory)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigurationError(
            f"Key-encryption key {kek_id} is missing from {path.parent}. Restore it from the "
            "key backup; without it the content it protects cannot be read.",
            code="crypto.kek_missing",
            data={"kek": kek_id},
        ) from exc
    lines = raw.splitlines()
    try:
        material = base64.b64decode(lines[-1], validate=True) if lines else b""
    except binascii.Error:
        material = b""
    if len(material) != 32:
        raise ConfigurationError(
            f"{path} is not a valid key-encryption key file.",
            code="crypto.kek_invalid",
            data={"kek": kek_id},
        )
    return material
