"""The content store: sealed blobs addressed by the SHA-256 of their ciphertext.

Only ciphertext ever reaches it. The default keeps one file per blob under
``DOCKET_CONTENT_DIR`` (``ab/cd/abcd…``), written atomically: a temporary file in the
same directory, fsync, rename, fsync of the directory. An object store can implement
:class:`ContentStore` and be named in ``DOCKET_CONTENT_STORE`` (dotted path to a
zero-argument factory).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

from docket.core.errors import ConfigurationError, IntegrityFault, InvalidInput

_ADDRESS = re.compile(r"^[0-9a-f]{64}$")


class BlobMissing(IntegrityFault):
    code = "content.blob_missing"


def blob_address(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check(address: str) -> str:
    if not _ADDRESS.match(address):
        raise InvalidInput("Not a content address.", code="content.bad_address")
    return address


@runtime_checkable
class ContentStore(Protocol):
    def put(self, data: bytes) -> str:
        """Store ciphertext; return its address (idempotent)."""
        ...

    def open(self, address: str) -> BinaryIO:
        """A readable binary stream of the blob (caller closes it)."""
        ...

    def delete(self, address: str) -> bool:
        """Remove the blob; True if it existed."""
        ...

    def exists(self, address: str) -> bool: ...

    def addresses(self) -> Iterator[str]: ...


class DirectoryContentStore:
    def __init__(self, root: Path | None = None) -> None:
        if root is None:
            from django.conf import settings

            root = Path(settings.DOCKET_CONTENT_DIR)
        self.root = root

    def __repr__(self) -> str:
        return f"DirectoryContentStore({str(self.root)!r})"

    def path(self, address: str) -> Path:
        _check(address)
        return self.root / address[:2] / address[2:4] / address

    def put(self, data: bytes) -> str:
        address = blob_address(data)
        target = self.path(address)
        if target.exists():
            return address
        folder = target.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return address

    def open(self, address: str) -> BinaryIO:
        try:
            return self.path(address).open("rb")
        except FileNotFoundError:
            raise BlobMissing(
                "The encrypted content is missing from the content store.",
                data={"blob": address},
            ) from None

    def read(self, address: str) -> bytes:
        with self.open(address) as fh:
            return fh.read()

    def delete(self, address: str) -> bool:
        try:
            self.path(address).unlink()
        except FileNotFoundError:
            return False
        return True

    def exists(self, address: str) -> bool:
        return self.path(address).exists()

    def addresses(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if _ADDRESS.match(path.name):
                yield path.name


_stores: dict[str, ContentStore] = {}
_stores_lock = threading.Lock()


def content_store() -> ContentStore:
    """The configured store (settings read at call time, cached per configuration)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    dotted = getattr(settings, "DOCKET_CONTENT_STORE", "")
    cache_key = f"{dotted}|{settings.DOCKET_CONTENT_DIR}"
    with _stores_lock:
        store = _stores.get(cache_key)
        if store is None:
            store = import_string(dotted)() if dotted else DirectoryContentStore()
            if not isinstance(store, ContentStore):
                raise ConfigurationError(
                    f"DOCKET_CONTENT_STORE {dotted!r} does not implement ContentStore.",
                    code="content.store_invalid",
                )
            _stores[cache_key] = store
        return store
