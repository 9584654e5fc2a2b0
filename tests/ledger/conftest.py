"""Fixtures of the ledger tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from docket.crypto.keyfiles import init_signing_key
from docket.ledger.models import LedgerEvent
from docket.ledger.services import ledger_append
from docket.ledger.testing import ledger_cleanup  # noqa: F401 - autouse fixture


@pytest.fixture
def signing_key_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DOCKET_KEY_DIR = tmp_path / "keys"
    init_signing_key(settings.DOCKET_KEY_DIR)
    return Path(settings.DOCKET_KEY_DIR)


@pytest.fixture
def note() -> Callable[..., LedgerEvent]:
    """``note(stream, label)``: append a ``ledger.note`` event in its own transaction."""

    def append(stream: str = "case:A1", label: str = "n", **kw: Any) -> LedgerEvent:
        kw.setdefault("actor", "user:1")
        kw.setdefault("capacity", "investigator")
        with transaction.atomic():
            return ledger_append(stream=stream, type="ledger.note", payload={"label": label}, **kw)

    return append
