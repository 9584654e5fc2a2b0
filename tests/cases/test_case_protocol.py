"""A case follows its bound version plus the rules later adopted versions apply to open
cases (docket.cases.protocols.case_protocol)."""

from __future__ import annotations

import pytest

from docket.cases.acting import load
from docket.cases.protocols import protocol_adopt, shipped_protocols
from docket.demo.reference_live import run_reference_case

V1_TEXT = next(p for p in shipped_protocols() if p.stem == "league-v1").read_text()
AMEND = "  version: 2\n  applies_to_open_cases: [hearing_before_vote]\n"

pytestmark = pytest.mark.django_db


def test_later_versions_reach_open_cases_only_where_they_say(league):
    case = run_reference_case(league).case
    assert "hearing_before_vote@v2" not in load(case, lock=False).protocol.rules
    protocol_adopt(
        text=V1_TEXT.replace("  version: 1\n", AMEND).replace(
            "adopted: 2013-01-19", "adopted: 2026-06-01"
        ),
        source="v2",
        actor="test",
    )
    ctx = load(case, lock=False)
    assert ctx.protocol.protocol.version == 1
    assert "hearing_before_vote@v2" in ctx.protocol.rules
    assert ctx.evaluation.violations == []  # history before 2026 is judged by v1
