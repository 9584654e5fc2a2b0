"""The demo's intake step: one anonymous report filed through the intake service, its
receipt code in the notes once (it works on the follow-up page), nothing new on a
second run; and the three more cases at other stages."""

from __future__ import annotations

import re

import pytest

from docket.cases.models import Case
from docket.demo import STEPS, load_demo
from docket.intake.models import IntakeReport
from docket.intake.services import receipt_check

pytestmark = pytest.mark.django_db


def test_the_steps_run_in_order() -> None:
    assert STEPS.index("docket.demo.cases.load") < STEPS.index("docket.demo.other_cases.load")
    assert STEPS.index("docket.demo.intake.load") < STEPS.index("docket.demo.people.load")
    assert STEPS[-1] == "docket.demo.people.load"  # it prints every account, once all exist


def test_the_demo_files_one_anonymous_report_and_notes_its_code(keys) -> None:  # type: ignore[no-untyped-def]
    demo = load_demo()
    (report,) = IntakeReport.objects.all()
    assert report.unit is not None
    assert report.unit.key == "bay-city"
    note = next(line for line in demo.notes if line.startswith("Intake:"))
    found = re.search(r"receipt code ([0-9A-Z-]+)", note)
    assert found is not None
    assert receipt_check(code=found.group(1), client="test") == report.public_id
    assert any(line.startswith("Three more cases") for line in demo.notes)
    assert Case.objects.count() == 4  # the reference case and three at other stages

    again = load_demo()
    assert IntakeReport.objects.count() == 1
    assert Case.objects.count() == 4
    second = next(line for line in again.notes if line.startswith("Intake:"))
    assert found.group(1) not in second
    assert "earlier run" in second
