from __future__ import annotations

import pytest

# keys, protocols and league come from docket.demo.testing (tests/conftest.py).


@pytest.fixture
def live(league):
    from docket.demo.reference_live import run_reference_case

    return run_reference_case(league)
