"""Admitting a new person: the person and the membership are recorded together or not
at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from docket.core.errors import InvalidInput
from docket.ledger.selectors import stream_events, stream_head
from docket.org import codes, services
from docket.org.models import Person
from docket.org.selectors import standing_at, unit_at

from .conftest import ADMIN, CAP, League, snapshot

pytestmark = pytest.mark.django_db


def _admit_new(league: League, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "actor": ADMIN,
        "capacity": CAP,
        "display_name": "Wren Calloway",
        "member_number": "2001",
        "joined_on": date(2020, 3, 2),
        "unit": league.harbor,
        "reason": "Application approved",
    }
    fields.update(changes)
    return services.member_admit_new(**fields)


def test_a_new_person_is_recorded_and_admitted(league: League) -> None:
    membership = _admit_new(league)
    person = membership.person
    assert person.display_name == "Wren Calloway"
    assert not person.pseudonymous
    assert membership.member_number == "2001"
    assert unit_at(person) == league.harbor
    standing = standing_at(person)
    assert standing is not None
    assert standing.status == "active"
    assert [e.type for e in stream_events("org")][-1] == "person.created"
    assert [e.type for e in stream_events(person.ledger_stream)] == ["member.admitted"]


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"member_number": "1042"}, codes.MEMBER_NUMBER_TAKEN, "member_number"),
        ({"member_number": "  "}, codes.FIELD_REQUIRED, "member_number"),
        ({"display_name": " "}, codes.FIELD_REQUIRED, "display_name"),
        ({"reason": ""}, codes.REASON_REQUIRED, "reason"),
        ({"joined_on": "2020-03-02"}, codes.FIELD_INVALID, "joined_on"),
    ],
)
def test_a_refusal_leaves_no_half_made_person(
    league: League,
    admit: Callable[..., Person],
    changes: dict[str, Any],
    code: str,
    field: str,
) -> None:
    admit("Rowan Ash", "1042")
    before = snapshot()
    head = stream_head("org")
    with pytest.raises(InvalidInput) as refused:
        _admit_new(league, **changes)
    assert refused.value.code == code
    assert refused.value.data["field"] == field
    assert snapshot() == before
    assert stream_head("org") == head
    assert not Person.objects.filter(display_name="Wren Calloway").exists()


def test_after_a_refusal_the_same_person_is_admitted_with_a_free_number(
    league: League, admit: Callable[..., Person]
) -> None:
    admit("Rowan Ash", "1042")
    with pytest.raises(InvalidInput):
        _admit_new(league, member_number="1042")
    membership = _admit_new(league, member_number="2002")
    assert Person.objects.filter(display_name="Wren Calloway").count() == 1
    assert membership.person.display_name == "Wren Calloway"
