"""Every public case service has its test module, and every one that takes a case is in
that module's refusal-by-access table (complaint_receive begins a case: nothing to hide)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from docket.cases import services

SERVICES = sorted(n for n in services.__all__ if n[0].islower())


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_is_tested_in_its_module(name):
    area = getattr(services, name).__module__.rsplit(".", 1)[-1]
    module = importlib.import_module(f"tests.cases.test_services_{area}")
    source = Path(inspect.getfile(module)).read_text(encoding="utf-8")
    # (complaint_receive is called through factories.receive)
    assert f"{name}(" in source or (name == "complaint_receive" and "receive(world" in source)
    if name != "complaint_receive":
        assert name in module.ACCESS
