"""The standalone verifier is not part of the docket package: load it from verifier/."""

from __future__ import annotations

import sys
from pathlib import Path

VERIFIER = Path(__file__).resolve().parents[2] / "verifier"
if str(VERIFIER) not in sys.path:
    sys.path.insert(0, str(VERIFIER))


import pytest  # noqa: E402


@pytest.fixture
def live(league):  # type: ignore[no-untyped-def]
    from docket.demo.reference_live import run_reference_case

    return run_reference_case(league)
