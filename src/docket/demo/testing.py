"""Pytest fixtures shared by every test area (registered in tests/conftest.py):
key files in a temporary folder, the shipped protocols adopted, and the League."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def keys(settings: Any, tmp_path: Path) -> Path:
    """Fresh signing key and key-encryption key, and a content store, in tmp_path."""
    from django.core.management import call_command

    settings.DOCKET_KEY_DIR = tmp_path / "keys"
    settings.DOCKET_CONTENT_DIR = tmp_path / "content"
    call_command("keys", "init", verbosity=0)
    return Path(settings.DOCKET_KEY_DIR)


@pytest.fixture
def protocols(db: None) -> dict[str, Any]:
    """Every shipped protocol, adopted (by file stem)."""
    from docket.cases.protocols import protocol_adopt_file, shipped_protocols

    return {p.stem: protocol_adopt_file(p, actor="test") for p in shipped_protocols()}


@pytest.fixture
def league(db: None, keys: Path, protocols: dict[str, Any]) -> Any:
    """The League of the reference case: units, people, bodies, seats and terms."""
    from docket.demo.league import build_league

    return build_league()
