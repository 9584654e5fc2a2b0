"""Fixtures for the org tests: the League of the reference case (fictional names)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.apps import apps

from docket.core.clock import frozen_at
from docket.org import services
from docket.org.models import Body, Organization, Person, Unit

ADMIN = "person:ADMIN"
CAP = "administrator"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[datetime]:
    # Late enough that the whole reference history (2013-2019) lies in the past.
    moment = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    with frozen_at(moment):
        yield moment


@dataclass
class League:
    org: Organization
    national: Unit
    coast: Unit
    harbor: Unit
    bay_city: Unit
    ndc: Body
    sc: Body
    ac: Body
    harbor_exec: Body


@pytest.fixture
def league(db: None) -> League:
    org = services.organization_create(
        actor=ADMIN, capacity=CAP, name="The League", time_zone="Europe/Amsterdam"
    )
    mk = services.unit_create
    national = mk(actor=ADMIN, capacity=CAP, kind="national", key="national", name="National")
    coast = mk(actor=ADMIN, capacity=CAP, kind="region", key="coast", name="Coast", parent=national)
    harbor = mk(actor=ADMIN, capacity=CAP, kind="branch", key="harbor", name="Harbor", parent=coast)
    bay = mk(
        actor=ADMIN, capacity=CAP, kind="branch", key="bay-city", name="Bay City", parent=coast
    )
    body = services.body_create
    ndc = body(
        actor=ADMIN, capacity=CAP, key="ndc", name="National Disciplinary Committee", unit=national
    )
    sc = body(actor=ADMIN, capacity=CAP, key="sc", name="Steering Committee", unit=national)
    ac = body(actor=ADMIN, capacity=CAP, key="ac", name="Appeals Committee", unit=national)
    hx = body(
        actor=ADMIN, capacity=CAP, key="branch_executive", name="Harbor executive", unit=harbor
    )
    return League(org, national, coast, harbor, bay, ndc, sc, ac, hx)


@pytest.fixture
def admit(league: League) -> Callable[..., Person]:
    """``admit(name, number, unit=harbor, joined="2010-01-05")``: a named member."""

    def make(
        name: str,
        number: str,
        *,
        unit: Unit | None = None,
        joined: str = "2010-01-05",
        user: Any = None,
    ) -> Person:
        from datetime import date

        person = services.person_create(actor=ADMIN, capacity=CAP, display_name=name, user=user)
        services.member_admit(
            actor=ADMIN,
            capacity=CAP,
            person=person,
            member_number=number,
            joined_on=date.fromisoformat(joined),
            unit=unit or league.harbor,
            reason="Application approved",
        )
        return person

    return make


def snapshot() -> dict[str, int]:
    """Row counts of every org and ledger table: "nothing changed" means equal snapshots."""
    counts = {}
    for label in ("org", "ledger"):
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._default_manager.count()
    return counts
