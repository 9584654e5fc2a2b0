"""The demo's other cases exist at the stages they claim (issue 7: make demo)."""

from __future__ import annotations

import pytest

from docket.cases.acting import load
from docket.cases.models import Case
from docket.demo import Demo
from docket.demo.other_cases import load as load_other_cases

pytestmark = pytest.mark.django_db


def test_other_cases_at_different_stages(league):
    demo = Demo()
    load_other_cases(demo)
    load_other_cases(demo)  # idempotent
    stages = dict(
        Case.objects.filter(reference__startswith="2026-").values_list("reference", "stage")
    )
    assert stages == {
        "2026-001": "investigation",
        "2026-002": "investigation",
        "2026-003": "decided",
    }
    investigating = load(Case.objects.get(reference="2026-002"), lock=False).evaluation
    assert any(
        o.deadline == "respondent_answer" and o.status == "open" for o in investigating.obligations
    )
    decided = load(Case.objects.get(reference="2026-003"), lock=False).evaluation
    assert any(o.deadline == "appeal_window" for o in decided.obligations)
    for case in Case.objects.all():
        assert load(case, lock=False).evaluation.violations == []
