"""Standing and unit history can be rebuilt from the member ledgers and compared."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from docket.ledger.projections import rebuild_all
from docket.org.models import Person, StandingChange, UnitTransfer
from docket.org.selectors import standing_at, unit_at

from .conftest import League
from .test_org_members import _r_history

pytestmark = pytest.mark.django_db
ORG = ["org.member_standing", "org.member_units"]


def test_history_matches_the_ledger(league: League, admit: Callable[..., Person]) -> None:
    _r_history(league, admit)
    admit("Mira Holt", "2001")
    assert rebuild_all(write=False, only=ORG) == []


def test_tampered_history_is_found_and_restored(
    league: League, admit: Callable[..., Person]
) -> None:
    r = _r_history(league, admit)
    # Someone with database access erases the suspension and the move.
    StandingChange.objects.filter(membership__person=r, status="suspended").update(status="active")
    UnitTransfer.objects.filter(membership__person=r, from_unit__isnull=False).delete()
    assert standing_at(r, date(2013, 6, 1)).status == "active"  # type: ignore[union-attr]
    diffs = rebuild_all(write=False, only=ORG)
    assert sorted(d.projection for d in diffs) == ORG
    assert all(d.stream == r.ledger_stream for d in diffs)
    rebuild_all(write=True, only=ORG)
    assert rebuild_all(write=False, only=ORG) == []
    assert standing_at(r, date(2013, 6, 1)).status == "suspended"  # type: ignore[union-attr]
    assert unit_at(r, date(2015, 1, 1)) == league.bay_city
