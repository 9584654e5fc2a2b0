"""Pytest fixtures of the intake area: intake officers of the League who hold seats today.

``tests/intake/conftest.py`` and the intake browser tests import them (they build on
``keys``, ``protocols`` and ``league`` from ``docket.demo.testing``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from docket.org.models import Person

FAST_ARGON2 = {"time_cost": 1, "memory_cost": 8 * 1024, "parallelism": 1}


@pytest.fixture
def intake_fast_hash(settings: Any) -> Iterator[None]:
    """Lighter argon2 in tests (production uses argon2-cffi's defaults); same code."""
    from docket.intake import receipts

    settings.DOCKET_INTAKE_ARGON2 = FAST_ARGON2
    receipts._hasher.cache_clear()
    receipts._dummy_hash.cache_clear()
    yield
    receipts._hasher.cache_clear()
    receipts._dummy_hash.cache_clear()


@dataclass
class Officers:
    league: Any
    ndc: Person  # a current NDC member: sees every report
    harbor: Person  # a current Harbor branch executive member: Harbor reports only
    bay_city: Person  # BC1, Bay City branch executive
    sc: Person  # S5, Steering Committee (not a receiving body)


def _member(league: Any, name: str, number: str, unit: str) -> Person:
    from docket.org.services import member_admit, person_create

    person = person_create(actor="test", capacity="administrator", display_name=name)
    member_admit(
        actor="test",
        capacity="administrator",
        person=person,
        member_number=number,
        joined_on=date(2018, 1, 1),
        unit=league.units[unit],
        reason="Joined",
    )
    return person


def _seat(league: Any, person: Person, body_key: str) -> None:
    from docket.org.services import seat_create, seat_term_begin

    seat = seat_create(actor="test", capacity="administrator", body=league.bodies[body_key])
    seat_term_begin(
        actor="test",
        capacity="administrator",
        seat=seat,
        person=person,
        starts=date(2020, 1, 1),
        reason="Elected",
    )


@pytest.fixture
def officers(league: Any, intake_fast_hash: None) -> Officers:
    ndc = _member(league, "Quinn Avery", "L-2001", "bay-city")
    harbor = _member(league, "Tess Marlow", "L-2002", "harbor")
    _seat(league, ndc, "ndc")
    _seat(league, harbor, "branch_executive@harbor")
    return Officers(league, ndc, harbor, league.person("BC1"), league.person("S5"))


def _account(make_user: Callable[..., Any], person: Person, email: str) -> Any:
    from docket.org.services import person_link_account

    user = make_user(email, name=person.display_name)
    person_link_account(
        actor="test", capacity="administrator", person=person, user=user, reason="Officer"
    )
    return user


@pytest.fixture
def officer_user(officers: Officers, make_user: Callable[..., Any], settings: Any) -> Any:
    """The NDC intake officer's account (the MFA rule is waived for these tests)."""
    settings.DOCKET_DEMO_MFA_WAIVED = True
    return _account(make_user, officers.ndc, "quinn.avery@example.org")


@pytest.fixture
def bay_city_user(officers: Officers, make_user: Callable[..., Any], settings: Any) -> Any:
    settings.DOCKET_DEMO_MFA_WAIVED = True
    return _account(make_user, officers.bay_city, "iris.calloway@example.org")
