"""Fixtures of the crypto tests: key and content directories per test, real KEK files."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from docket.crypto import keyfiles
from docket.ledger.testing import ledger_cleanup  # noqa: F401 - autouse fixture

MARKER = "ZEBRA-MARKER-7f3a9c-confidential"


@dataclass
class Dirs:
    keys: Path
    content: Path


@pytest.fixture
def dirs(settings: Any, tmp_path: Path) -> Dirs:
    """A fresh key directory (with kek-1) and content store for the test.

    Everything goes to the content store (no inline items) unless a test sets
    ``DOCKET_CONTENT_INLINE_MAX`` (see test_inline.py), so file tampering tests bite.
    """
    settings.DOCKET_CONTENT_INLINE_MAX = 0
    settings.DOCKET_KEY_DIR = tmp_path / "keys"
    settings.DOCKET_CONTENT_DIR = tmp_path / "content"
    keyfiles.init_kek(settings.DOCKET_KEY_DIR)
    return Dirs(keys=Path(settings.DOCKET_KEY_DIR), content=Path(settings.DOCKET_CONTENT_DIR))


HAS_JOURNAL = importlib.util.find_spec("docket.ledger.journal") is not None
needs_journal = pytest.mark.skipif(not HAS_JOURNAL, reason="docket.ledger.journal not landed")


@pytest.fixture
def put(dirs: Dirs, db: None) -> Callable[..., Any]:
    """``put(text, stream=..., kind=..., **kw)``: content_put with sensible defaults."""
    from docket.crypto.services import content_put

    def _put(data: bytes | str = MARKER, **kw: Any) -> Any:
        kw.setdefault("stream", "case:C2013004")
        kw.setdefault("kind", "statement")
        kw.setdefault("author", "person:C")
        kw.setdefault("capacity", "complainant")
        raw = data.encode() if isinstance(data, str) else data
        return content_put(data=raw, **kw)

    return _put
