"""The League: the fictional organization of the reference case, built through services.

``build_league`` creates its units, people, members, bodies, seats and terms as they
stood from 2012 on, with the clock pinned to each date (so the record reads as if kept
live since then). The people are those of the reference history file; every name is
invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from docket.core.clock import frozen_at
from docket.org.models import Body, Person, Seat, Unit
from docket.org.services import (
    body_create,
    member_admit,
    organization_create,
    person_create,
    seat_create,
    seat_term_begin,
    unit_create,
)

ACTOR, CAPACITY = "docket-setup", "administrator"
SETUP_DAY = datetime(2012, 1, 9, 12, tzinfo=UTC)


def reference_file() -> Path:
    return Path(settings.PROJECT_DIR) / "tests" / "fixtures" / "reference-case.yaml"


def reference_document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(reference_file().read_text(encoding="utf-8"))
    return loaded


# Who sat where, and when. Terms are [start, end); None means still serving.
TERMS: list[tuple[str, str, date, date | None]] = [
    ("B1", "branch_executive@harbor", date(2012, 1, 9), date(2016, 1, 9)),
    ("BC1", "branch_executive@bay-city", date(2012, 1, 9), None),
    ("N1", "ndc", date(2013, 3, 1), date(2015, 3, 1)),
    ("N2", "ndc", date(2013, 3, 1), date(2015, 3, 1)),
    ("N3", "ndc", date(2013, 3, 1), date(2015, 3, 1)),
    ("N4", "ndc", date(2013, 3, 1), date(2015, 3, 1)),
    ("S1", "sc", date(2012, 1, 9), date(2015, 1, 9)),
    ("S5", "sc", date(2019, 1, 12), None),
    ("X1", "ac", date(2012, 1, 9), date(2016, 1, 9)),
    ("X2", "ac", date(2012, 1, 9), date(2016, 1, 9)),
    ("X3", "ac", date(2012, 1, 9), date(2016, 1, 9)),
    # Today's committees, for the demo's current cases.
    ("N6", "ndc", date(2025, 3, 1), None),
    ("N7", "ndc", date(2025, 3, 1), None),
    ("N8", "ndc", date(2025, 3, 1), None),
    ("X6", "ac", date(2025, 3, 1), None),
]
EXTRA_PEOPLE = {
    "BC1": {"label": "Bay City branch officer", "member": True, "name": "Iris Calloway",
            "member_number": "L-0250", "unit": "bay-city"},
    "N6": {"label": "NDC chair (2025)", "member": True, "name": "Tomas Virta",
           "member_number": "L-0610"},
    "N7": {"label": "NDC member (2025)", "member": True, "name": "Aisha Bello",
           "member_number": "L-0611"},
    "N8": {"label": "NDC member (2025)", "member": True, "name": "Kai Lindqvist",
           "member_number": "L-0612"},
    "X6": {"label": "AC member (2025)", "member": True, "name": "Rosa Delgado",
           "member_number": "L-0613"},
    "M1": {"label": "Member (respondent in a 2026 case)", "member": True,
           "name": "Cyril Ames", "member_number": "L-0720", "unit": "bay-city"},
    "M2": {"label": "Member (complainant in a 2026 case)", "member": True,
           "name": "Bea Okoro", "member_number": "L-0721", "unit": "bay-city"},
    "M3": {"label": "Member (witness in a 2026 case)", "member": True,
           "name": "Uma Patel", "member_number": "L-0722", "unit": "harbor"},
    "M4": {"label": "Member (respondent in a 2026 case)", "member": True,
           "name": "Noel Fairbanks", "member_number": "L-0723", "unit": "harbor"},
}  # fmt: skip


@dataclass
class League:
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)

    def person(self, key: str) -> Person:
        return self.people[key]


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def build_league() -> League:
    """Create the League from scratch (one transaction per service, clock pinned)."""
    league = League()
    with frozen_at(SETUP_DAY):
        organization_create(
            actor=ACTOR,
            capacity=CAPACITY,
            name="The League",
            slug="the-league",
            time_zone="America/New_York",
        )
        national = unit_create(
            actor=ACTOR,
            capacity=CAPACITY,
            kind="national",
            key="national",
            name="The League (national)",
        )
        league.units["national"] = national
        for key, name in (("harbor", "Harbor branch"), ("bay-city", "Bay City branch")):
            league.units[key] = unit_create(
                actor=ACTOR, capacity=CAPACITY, kind="branch", key=key, name=name, parent=national
            )
        for key, name, unit in (
            ("ndc", "National Disciplinary Committee", national),
            ("sc", "Steering Committee", national),
            ("ac", "Appeals Committee", national),
        ):
            league.bodies[key] = body_create(
                actor=ACTOR, capacity=CAPACITY, key=key, name=name, unit=unit
            )
        for unit_key in ("harbor", "bay-city"):
            league.bodies[f"branch_executive@{unit_key}"] = body_create(
                actor=ACTOR,
                capacity=CAPACITY,
                key="branch_executive",
                name=f"{league.units[unit_key].name} executive",
                unit=league.units[unit_key],
            )
        people = {**reference_document()["people"], **EXTRA_PEOPLE}
        for key, spec in people.items():
            member = bool(spec.get("member"))
            # Non-members are known to the system by a label only; their names are kept
            # encrypted by the cases they take part in.
            person = person_create(
                actor=ACTOR,
                capacity=CAPACITY,
                display_name=spec["name"] if member else spec["label"],
                pseudonymous=not member,
            )
            if member:
                member_admit(
                    actor=ACTOR,
                    capacity=CAPACITY,
                    person=person,
                    member_number=spec["member_number"],
                    joined_on=date(2011, 5, 1),
                    unit=league.units[spec.get("unit", "harbor")],
                    reason="Founding roll",
                )
            league.people[key] = person
    for person_key, body_key, starts, ends in TERMS:
        body = league.bodies[body_key]
        with frozen_at(max(SETUP_DAY, _moment(starts))):
            seat = seat_create(actor=ACTOR, capacity=CAPACITY, body=body)
            seat_term_begin(
                actor=ACTOR,
                capacity=CAPACITY,
                seat=seat,
                person=league.people[person_key],
                starts=starts,
                ends=ends,
                may_finish_open_cases=body.key in ("ndc", "ac"),
                reason="Elected",
            )
    return league


def league_from_db() -> League:
    """The League as already built (for an idempotent demo)."""
    league = League()
    league.units = {u.key: u for u in Unit.objects.all()}
    for body in Body.objects.select_related("unit"):
        key = body.key if body.key != "branch_executive" else f"branch_executive@{body.unit.key}"
        league.bodies[key] = body
    people = {**reference_document()["people"], **EXTRA_PEOPLE}
    by_label = {p.display_name: p for p in Person.objects.all()}
    for key, spec in people.items():
        name = spec["name"] if spec.get("member") else spec["label"]
        if name in by_label:
            league.people[key] = by_label[name]
    return league


def seats_of(body: Body) -> list[Seat]:
    return list(body.seats.all())
