"""Property tests: the time-aware selectors agree with a plain model of the history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docket.core.errors import InvalidInput
from docket.org import services
from docket.org.models import Person
from docket.org.selectors import bodies_of, body_members, seats_held, standing_at

from .conftest import ADMIN, CAP, League

pytestmark = pytest.mark.django_db
BASE = date(2012, 1, 1)
FIXTURES_OK = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (gap before the term in days, planned length or None, ended early after k days or None)
terms_strategy = st.lists(
    st.tuples(
        st.integers(0, 40),
        st.one_of(st.none(), st.integers(1, 60)),
        st.one_of(st.none(), st.integers(1, 30)),
        st.integers(0, 2),
    ),
    min_size=1,
    max_size=5,
)


@FIXTURES_OK
@given(terms=terms_strategy, probes=st.lists(st.integers(-5, 400), min_size=1, max_size=12))
def test_seat_holders_match_intervals(
    league: League,
    admit: Callable[..., Person],
    terms: list[tuple[int, int | None, int | None, int]],
    probes: list[int],
) -> None:
    with transaction.atomic():
        people = [admit(f"Holder {i}", f"H{i}", joined="2011-01-01") for i in range(3)]
        seat = services.seat_create(actor=ADMIN, capacity=CAP, body=league.ndc)
        spans: list[tuple[Person, date, date | None]] = []
        cursor = BASE
        for gap, length, early, who in terms:
            starts = cursor + timedelta(days=gap)
            ends = starts + timedelta(days=length) if length is not None else None
            term = services.seat_term_begin(
                actor=ADMIN,
                capacity=CAP,
                seat=seat,
                person=people[who],
                starts=starts,
                ends=ends,
                reason="Elected",
            )
            if early is not None and (length is None or early < length):
                ends = starts + timedelta(days=early)
                services.seat_term_end(
                    actor=ADMIN, capacity=CAP, term=term, ends=ends, reason="Stepped down"
                )
            spans.append((people[who], starts, ends))
            if ends is None:
                break  # an open-ended term keeps the seat
            cursor = ends
        for offset in probes:
            day = BASE + timedelta(days=offset)
            expected = {p for p, s, e in spans if s <= day and (e is None or day < e)}
            assert set(body_members(league.ndc, day)) == expected
            for person in people:
                held = person in expected
                assert seats_held(person, day).exists() == held
                assert list(bodies_of(person, day)) == ([league.ndc] if held else [])
        transaction.set_rollback(True)


STATUSES = ["active", "suspended", "expelled", "resigned", "on_leave"]
changes_strategy = st.lists(
    st.tuples(
        st.integers(0, 30),
        st.sampled_from(STATUSES),
        st.one_of(st.none(), st.integers(1, 40)),
        st.booleans(),
    ),
    min_size=1,
    max_size=6,
)


@FIXTURES_OK
@given(changes=changes_strategy, probes=st.lists(st.integers(-3, 250), min_size=1, max_size=12))
def test_standing_matches_a_plain_fold(
    league: League,
    admit: Callable[..., Person],
    changes: list[tuple[int, str, int | None, bool]],
    probes: list[int],
) -> None:
    with transaction.atomic():
        m = admit("Mira Holt", "M1", joined=BASE.isoformat())
        accepted: list[tuple[date, str, date | None]] = [(BASE, "active", None)]
        cursor = BASE
        for gap, status, until_days, for_proceeding in changes:
            effective = cursor + timedelta(days=gap)
            until = effective + timedelta(days=until_days) if until_days else None
            try:
                services.member_standing_change(
                    actor=ADMIN,
                    capacity=CAP,
                    person=m,
                    status=status,
                    effective=effective,
                    until=until,
                    proceeding="2013-004" if for_proceeding else "",
                    reason="Property test",
                )
            except InvalidInput:
                continue  # refused changes leave the history as it was
            accepted.append((effective, status, until))
            cursor = effective
        for offset in probes:
            day = BASE + timedelta(days=offset)
            current = [c for c in accepted if c[0] <= day]
            got = standing_at(m, day)
            if not current:
                assert got is None
                continue
            _eff, status, until = current[-1]
            expected = "active" if until is not None and day >= until else status
            assert got is not None
            assert got.status == expected
        transaction.set_rollback(True)
