"""A case follows its bound version plus the rules later adopted versions apply to open
cases (docket.cases.protocols.case_protocol)."""

from __future__ import annotations

import pytest

from docket.cases.acting import load
from docket.cases.protocols import protocol_adopt, shipped_protocols
from docket.demo.reference_live import run_reference_case
from docket.demo.testing import harbor_case_with_panel

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


def test_an_amendment_reaches_the_obligations_of_open_cases_when_adopted(league):
    """A later version that adds a deadline for open cases: the deadline is running on the
    case (its obligation rows) from the moment the version is adopted, and a rebuild from
    the ledger agrees."""
    from docket.cases.models import CaseObligation
    from docket.ledger import projections

    case = harbor_case_with_panel(league, reference="2013-050")
    assert not CaseObligation.objects.filter(case=case, deadline="panel_report").exists()
    deadline = (
        "deadlines:\n  panel_report:\n    clause: s.9.9\n"
        "    text: The panel reports on its progress within 30 days of being formed.\n"
        "    starts: panel.named\n    days: 30\n    owed_by: panel_chair\n"
        "    kind: duty\n    met_by: decision.issued\n"
    )
    protocol_adopt(
        text=V1_TEXT.replace("  version: 1\n", AMEND)
        .replace("adopted: 2013-01-19", "adopted: 2026-06-01")
        .replace("deadlines:\n", deadline, 1),
        source="v2",
        actor="test",
    )
    found = CaseObligation.objects.get(case=case, deadline="panel_report")
    assert (found.owed_by, found.kind, found.clause) == ("panel_chair", "duty", "s.9.9")
    assert projections.rebuild_all(write=False) == []  # the tables equal the ledger's
