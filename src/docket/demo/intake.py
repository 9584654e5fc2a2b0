"""Demo step: one anonymous report filed through the public reporting page's service, so
a newcomer can follow it up as the reporter (with its receipt code) and see it in the
intake queue as an officer of the Bay City branch.

The receipt code is shown once and never stored (``docket.intake.receipts``): it is in
the notes of the run that filed the report. A later run finds the report already there,
files nothing and says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docket.crypto.keyfiles import kek_ids
from docket.intake.models import IntakeReport
from docket.intake.services import report_submit
from docket.org.models import Unit

if TYPE_CHECKING:
    from docket.demo import Demo

# Rate limits count per client; the demo is one client of its own.
DEMO_CLIENT = "docket-demo"


def load(demo: Demo) -> None:
    unit = Unit.objects.filter(key="bay-city").first()
    if unit is None or not kek_ids():  # a report is sealed: it needs the keys
        return
    if IntakeReport.objects.filter(unit=unit).exists():
        demo.note(
            "Intake: the demo's anonymous report was filed on an earlier run; its receipt "
            "code was shown then, and only then."
        )
        return
    submitted = report_submit(
        client=DEMO_CLIENT,
        reporter_role="witness",
        what=(
            "At the Bay City branch social last Friday a member kept making remarks about "
            "another member's accent after being asked to stop."
        ),
        wants="contact",
        contact="this_page",
        subject_description="A member who helped run the bar at the branch social",
        when="Last Friday evening",
        where="Bay City branch social",
        unit=unit,
    )
    demo.note(
        "Intake: an anonymous report was filed for the Bay City branch. Follow it up as the "
        f"reporter at /report/follow/ with the receipt code {submitted.code} "
        "(shown only now). The Bay City branch officer sees it at /intake/."
    )
