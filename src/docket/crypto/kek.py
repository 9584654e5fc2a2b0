"""Key-encryption key providers.

A provider wraps and unwraps case data keys under a KEK it names by id. The default
keeps KEKs in files under ``DOCKET_KEY_DIR`` (see :mod:`docket.crypto.keyfiles`); a KMS
or HSM provider can implement the same protocol and be named in the setting
``DOCKET_KEK_PROVIDER`` (a dotted path to a zero-argument factory).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

from docket.core.errors import ConfigurationError
from docket.crypto import keyfiles
from docket.crypto.envelope import DataKey, unwrap_key, wrap_key


@runtime_checkable
class KeyEncryptionKeyProvider(Protocol):
    def current(self) -> str:
        """The id of the KEK under which new data keys are wrapped."""
        ...

    def known(self) -> list[str]:
        """Every KEK id this provider can still unwrap with, oldest first."""
        ...

    def create(self) -> str:
        """Create a new KEK, which becomes current; return its id (used by rotation)."""
        ...

    def retire(self, kek_id: str) -> None:
        """Destroy a KEK that no data key uses any more."""
        ...

    def wrap(self, *, kek_id: str, key: DataKey, context: bytes) -> bytes: ...

    def unwrap(self, *, kek_id: str, wrapped: bytes, context: bytes) -> DataKey: ...


class FileKeyProvider:
    """KEKs in files ``kek-<n>.key`` (mode 0600) in a directory outside the database."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or keyfiles.key_dir()
        self._material: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"FileKeyProvider({str(self.directory)!r})"

    def known(self) -> list[str]:
        return keyfiles.kek_ids(self.directory)

    def current(self) -> str:
        ids = self.known()
        if not ids:
            raise ConfigurationError(
                f"No key-encryption key in {self.directory}. Run `docket keys init`.",
                code="crypto.kek_missing",
            )
        return ids[-1]

    def create(self) -> str:
        return keyfiles.create_kek(self.directory)

    def retire(self, kek_id: str) -> None:
        path = keyfiles.kek_path(kek_id, self.directory)
        size = path.stat().st_size
        # Overwrite before unlinking (best effort: journaling file systems and SSDs may
        # keep old blocks; the backup of the key directory is the operator's to destroy).
        with path.open("r+b") as fh:
            fh.write(b"\0" * size)
            fh.flush()
            os.fsync(fh.fileno())
        path.unlink()
        with self._lock:
            self._material.pop(kek_id, None)

    def _kek(self, kek_id: str) -> bytes:
        with self._lock:
            material = self._material.get(kek_id)
            if material is None:
                material = keyfiles.read_kek(kek_id, self.directory)
                self._material[kek_id] = material
            return material

    def wrap(self, *, kek_id: str, key: DataKey, context: bytes) -> bytes:
        return wrap_key(self._kek(kek_id), key, context)

    def unwrap(self, *, kek_id: str, wrapped: bytes, context: bytes) -> DataKey:
        return unwrap_key(self._kek(kek_id), wrapped, context)


_providers: dict[str, KeyEncryptionKeyProvider] = {}
_providers_lock = threading.Lock()


def kek_provider() -> KeyEncryptionKeyProvider:
    """The configured provider (read from settings at call time, cached per key dir)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    dotted = getattr(settings, "DOCKET_KEK_PROVIDER", "")
    cache_key = f"{dotted}|{settings.DOCKET_KEY_DIR}"
    with _providers_lock:
        provider = _providers.get(cache_key)
        if provider is None:
            provider = import_string(dotted)() if dotted else FileKeyProvider()
            if not isinstance(provider, KeyEncryptionKeyProvider):
                raise ConfigurationError(
                    f"DOCKET_KEK_PROVIDER {dotted!r} does not implement the provider protocol.",
                    code="crypto.kek_provider_invalid",
                )
            _providers[cache_key] = provider
        return provider
