"""Members: admission, transfers, standing and offices, read back at different moments.

The reference case's member R: active, suspended 2013-03-12 for the duration of
proceeding 2013-004, reinstated 2013-09-15, moved Harbor -> Bay City in 2014, national
office in 2016, on indefinite leave 2019-03-19 with every office resigned.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from docket.core.errors import InvalidInput
from docket.ledger.selectors import stream_events
from docket.org import codes, services
from docket.org.models import OfficeHeld, Person, Standing
from docket.org.selectors import (
    members_at,
    offices_held,
    standing_at,
    standing_history,
    unit_at,
    unit_history,
)

from .conftest import ADMIN, CAP, League, snapshot

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


def _r_history(league: League, admit: Callable[..., Person]) -> Person:
    r = admit("Rowan Ash", "1042", joined="2009-05-01")
    services.member_standing_change(
        actor="body:ndc",
        capacity="ndc",
        person=r,
        status="suspended",
        effective=date(2013, 3, 12),
        proceeding="2013-004",
        reason="Interim measure for the duration of the proceeding",
        cause="case:2013-004#3",
    )
    services.member_standing_change(
        actor="body:ac",
        capacity="ac",
        person=r,
        status="active",
        effective=date(2013, 9, 15),
        reason="Case closed without sanction",
        cause="case:2013-004#41",
    )
    services.member_transfer(
        actor=ADMIN,
        capacity=CAP,
        person=r,
        to_unit=league.bay_city,
        effective=date(2014, 2, 1),
        reason="Moved to Bay City",
    )
    services.member_office_begin(
        actor=ADMIN,
        capacity=CAP,
        person=r,
        title="National treasurer",
        unit=league.national,
        starts=date(2016, 6, 1),
        reason="Elected at the 2016 congress",
    )
    services.member_office_begin(
        actor=ADMIN,
        capacity=CAP,
        person=r,
        title="SC member",
        body=league.sc,
        starts=date(2017, 6, 1),
        reason="Elected at the 2017 congress",
    )
    services.member_standing_change(
        actor=ADMIN,
        capacity=CAP,
        person=r,
        status="on_leave",
        effective=date(2019, 3, 19),
        reason="Indefinite leave",
    )
    for office in OfficeHeld.objects.filter(membership__person=r):
        services.member_office_end(
            actor=ADMIN,
            capacity=CAP,
            office=office,
            ends=date(2019, 3, 19),
            reason="Resigned all positions",
        )
    return r


def test_reference_member_r_history(league: League, admit: Callable[..., Person]) -> None:
    r = _r_history(league, admit)

    def status(on: date) -> str | None:
        s = standing_at(r, on)
        return s.status.value if s else None

    assert status(date(2009, 4, 30)) is None  # not yet a member
    assert status(date(2013, 3, 11)) == "active"
    assert status(date(2013, 3, 12)) == "suspended"
    mid = standing_at(r, date(2013, 6, 2))
    assert mid is not None
    assert mid.proceeding == "2013-004"
    assert mid.until is None
    assert mid.change is not None
    assert mid.change.cause == "case:2013-004#3"
    assert status(date(2013, 9, 14)) == "suspended"
    assert status(date(2013, 9, 15)) == "active"
    assert status(date(2019, 3, 18)) == "active"
    assert status(date(2019, 3, 19)) == "on_leave"
    assert status(None) == "on_leave"

    assert unit_at(r, date(2013, 6, 1)) == league.harbor
    assert unit_at(r, date(2014, 1, 31)) == league.harbor
    assert unit_at(r, date(2014, 2, 1)) == league.bay_city
    assert [(t.from_unit, t.to_unit) for t in unit_history(r)] == [
        (None, league.harbor),
        (league.harbor, league.bay_city),
    ]

    assert list(offices_held(r, date(2016, 5, 31))) == []
    assert [o.title for o in offices_held(r, date(2018, 1, 1))] == [
        "National treasurer",
        "SC member",
    ]
    assert list(offices_held(r, date(2019, 3, 19))) == []
    assert [o.title for o in offices_held(r, datetime(2019, 3, 18, 23, 59, tzinfo=AMS))] == [
        "National treasurer",
        "SC member",
    ]

    # Every step is on R's own ledger, with who, in which capacity and why.
    events = stream_events(r.ledger_stream)
    assert [e.type for e in events] == [
        "member.admitted",
        "member.standing_changed",
        "member.standing_changed",
        "member.transferred",
        "member.office_began",
        "member.office_began",
        "member.standing_changed",
        "member.office_ended",
        "member.office_ended",
    ]
    suspension = events[1]
    assert suspension.actor == "body:ndc"
    assert suspension.capacity == "ndc"
    assert suspension.payload["proceeding"] == "2013-004"
    assert suspension.payload["previous"] == "active"
    assert [c.event_seq for c in standing_history(r)] == [1, 2, 3, 7]


def test_dates_are_days_in_the_organizations_zone(
    league: League, admit: Callable[..., Person]
) -> None:
    r = admit("Rowan Ash", "1042", joined="2009-05-01")
    services.member_standing_change(
        actor=ADMIN,
        capacity=CAP,
        person=r,
        status="suspended",
        effective=date(2013, 3, 12),
        until=date(2013, 4, 12),
        reason="Suspended for a month",
    )
    change = standing_history(r)[-1]
    assert change.effective_at == datetime(2013, 3, 11, 23, 0, tzinfo=UTC)  # CET is UTC+1
    assert standing_at(r, datetime(2013, 3, 11, 22, 59, tzinfo=UTC)).status == "active"  # type: ignore[union-attr]
    assert standing_at(r, datetime(2013, 3, 11, 23, 0, tzinfo=UTC)).status == "suspended"  # type: ignore[union-attr]


def test_dated_suspension_lapses_on_its_own(league: League, admit: Callable[..., Person]) -> None:
    m = admit("Mira Holt", "2001")
    services.member_standing_change(
        actor=ADMIN,
        capacity=CAP,
        person=m,
        status="suspended",
        effective=date(2020, 1, 10),
        until=date(2020, 2, 10),
        reason="Missed dues",
    )
    during = standing_at(m, date(2020, 2, 9))
    after = standing_at(m, date(2020, 2, 10))
    assert during is not None
    assert during.status == Standing.SUSPENDED
    assert during.until is not None
    assert after is not None
    assert after.status == Standing.ACTIVE
    assert after.lapsed
    # Reinstating someone whose suspension has already run out is a mistake, and said so.
    with pytest.raises(InvalidInput) as exc:
        services.member_standing_change(
            actor=ADMIN,
            capacity=CAP,
            person=m,
            status="active",
            effective=date(2020, 3, 1),
            reason="Back",
        )
    assert exc.value.code == codes.STANDING_UNCHANGED


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"status": "suspended", "reason": ""}, codes.REASON_REQUIRED),
        ({"status": "suspended", "reason": "   "}, codes.REASON_REQUIRED),
        ({"status": "suspended"}, codes.STANDING_SUSPENSION_END),
        ({"status": "banned", "until": date(2021, 1, 1)}, codes.STANDING_UNKNOWN),
        ({"status": "expelled", "until": date(2021, 1, 1)}, codes.STANDING_UNTIL_NOT_ALLOWED),
        ({"status": "on_leave", "proceeding": "2020-1"}, codes.STANDING_PROCEEDING_NOT_ALLOWED),
        (
            {"status": "suspended", "until": date(2021, 1, 1), "proceeding": "2020-1"},
            codes.STANDING_UNTIL_AND_PROCEEDING,
        ),
        ({"status": "suspended", "until": date(2020, 6, 1)}, codes.STANDING_UNTIL_BEFORE_START),
        ({"status": "active"}, codes.STANDING_UNCHANGED),
        ({"status": "resigned", "effective": date(2009, 1, 1)}, codes.MEMBER_HISTORY_ORDER),
        ({"status": "resigned", "effective": datetime(2020, 7, 1, 12)}, codes.NAIVE_DATETIME),
    ],
)
def test_bad_standing_changes_change_nothing(
    league: League, admit: Callable[..., Person], kwargs: dict[str, object], code: str
) -> None:
    m = admit("Mira Holt", "2001")
    before = snapshot()
    args: dict[str, object] = {"effective": date(2020, 6, 1), "reason": "Because", **kwargs}
    with pytest.raises(InvalidInput) as exc:
        services.member_standing_change(actor=ADMIN, capacity=CAP, person=m, **args)  # type: ignore[arg-type]
    assert exc.value.code == code
    assert snapshot() == before
    assert [c.status for c in standing_history(m)] == ["active"]


def test_history_is_appended_in_time_order(league: League, admit: Callable[..., Person]) -> None:
    m = admit("Mira Holt", "2001")
    services.member_standing_change(
        actor=ADMIN,
        capacity=CAP,
        person=m,
        status="on_leave",
        effective=date(2020, 6, 1),
        reason="Sabbatical",
    )
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.member_standing_change(
            actor=ADMIN,
            capacity=CAP,
            person=m,
            status="expelled",
            effective=date(2020, 5, 1),
            reason="Backdated",
        )
    assert exc.value.code == codes.MEMBER_HISTORY_ORDER
    assert snapshot() == before


def test_standing_change_for_a_non_member_is_refused(league: League) -> None:
    guest = services.person_create(
        actor=ADMIN, capacity=CAP, display_name="Guest G", pseudonymous=True
    )
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.member_standing_change(
            actor=ADMIN,
            capacity=CAP,
            person=guest,
            status="expelled",
            effective=date(2020, 1, 1),
            reason="Not a member",
        )
    assert exc.value.code == codes.MEMBER_NOT_A_MEMBER
    assert snapshot() == before


def test_admission_refusals(league: League, admit: Callable[..., Person]) -> None:
    m = admit("Mira Holt", "2001")
    other = services.person_create(actor=ADMIN, capacity=CAP, display_name="Tam Reed")
    before = snapshot()
    cases = [
        ({"person": m, "member_number": "2002"}, codes.MEMBER_ALREADY),
        ({"person": other, "member_number": "2001"}, codes.MEMBER_NUMBER_TAKEN),
        ({"person": other, "member_number": " "}, codes.FIELD_REQUIRED),
        ({"person": other, "member_number": "2003", "reason": ""}, codes.REASON_REQUIRED),
        (
            {
                "person": other,
                "member_number": "2003",
                "joined_on": datetime(2020, 1, 1, tzinfo=UTC),
            },
            codes.FIELD_INVALID,
        ),
    ]
    for kwargs, code in cases:
        args: dict[str, object] = {
            "joined_on": date(2020, 1, 1),
            "unit": league.harbor,
            "reason": "Joined",
            **kwargs,
        }
        with pytest.raises(InvalidInput) as exc:
            services.member_admit(actor=ADMIN, capacity=CAP, **args)  # type: ignore[arg-type]
        assert exc.value.code == code, kwargs
    assert snapshot() == before


def test_transfer_refusals(league: League, admit: Callable[..., Person]) -> None:
    m = admit("Mira Holt", "2001")
    before = snapshot()
    for kwargs, code in [
        ({"to_unit": league.harbor}, codes.MEMBER_SAME_UNIT),
        ({"reason": ""}, codes.REASON_REQUIRED),
        ({"effective": date(2001, 1, 1)}, codes.MEMBER_HISTORY_ORDER),
    ]:
        args: dict[str, object] = {
            "to_unit": league.bay_city,
            "effective": date(2020, 1, 1),
            "reason": "Moved",
            **kwargs,
        }
        with pytest.raises(InvalidInput) as exc:
            services.member_transfer(actor=ADMIN, capacity=CAP, person=m, **args)  # type: ignore[arg-type]
        assert exc.value.code == code
    assert snapshot() == before
    services.member_standing_change(
        actor=ADMIN,
        capacity=CAP,
        person=m,
        status="resigned",
        effective=date(2020, 2, 1),
        reason="Resigned",
    )
    with pytest.raises(InvalidInput) as exc:
        services.member_transfer(
            actor=ADMIN,
            capacity=CAP,
            person=m,
            to_unit=league.bay_city,
            effective=date(2020, 3, 1),
            reason="Moved",
        )
    assert exc.value.code == codes.MEMBER_NOT_CURRENT


def test_office_refusals(league: League, admit: Callable[..., Person]) -> None:
    m = admit("Mira Holt", "2001")
    services.member_standing_change(
        actor=ADMIN,
        capacity=CAP,
        person=m,
        status="suspended",
        effective=date(2020, 1, 1),
        until=date(2020, 7, 1),
        reason="Suspended",
    )
    before = snapshot()
    for kwargs, code in [
        ({"unit": league.harbor, "body": league.sc}, codes.OFFICE_PLACE),
        ({}, codes.OFFICE_PLACE),
        ({"unit": league.harbor, "starts": date(2020, 2, 1)}, codes.MEMBER_NOT_IN_GOOD_STANDING),
        ({"unit": league.harbor, "ends": date(2020, 8, 1)}, codes.OFFICE_END_BEFORE_START),
        ({"unit": league.harbor, "title": ""}, codes.FIELD_REQUIRED),
    ]:
        args: dict[str, object] = {
            "title": "Branch chair",
            "starts": date(2020, 8, 1),
            "reason": "Elected",
            **kwargs,
        }
        with pytest.raises(InvalidInput) as exc:
            services.member_office_begin(actor=ADMIN, capacity=CAP, person=m, **args)  # type: ignore[arg-type]
        assert exc.value.code == code, kwargs
    assert snapshot() == before
    office = services.member_office_begin(
        actor=ADMIN,
        capacity=CAP,
        person=m,
        unit=league.harbor,
        title="Branch chair",
        starts=date(2020, 8, 1),
        reason="Elected",
    )
    services.member_office_end(
        actor=ADMIN, capacity=CAP, office=office, ends=date(2021, 8, 1), reason="Term over"
    )
    with pytest.raises(InvalidInput) as exc:
        services.member_office_end(
            actor=ADMIN, capacity=CAP, office=office, ends=date(2021, 9, 1), reason="Again"
        )
    assert exc.value.code == codes.OFFICE_ALREADY_ENDED


def test_members_list_at_a_moment(league: League, admit: Callable[..., Person]) -> None:
    r = _r_history(league, admit)
    admit("Mira Holt", "2001", unit=league.bay_city, joined="2015-01-01")
    rows = members_at(date(2013, 6, 1))
    assert [(row.membership.member_number, row.unit, row.standing.status) for row in rows] == [  # type: ignore[union-attr]
        ("1042", league.harbor, "suspended")
    ]
    now_rows = members_at(unit=league.bay_city)
    assert [(row.membership.person, row.standing.status) for row in now_rows] == [  # type: ignore[union-attr]
        (r, "on_leave"),
        (Person.objects.get(display_name="Mira Holt"), "active"),
    ]
    assert members_at(unit=league.harbor) == []
    assert len(members_at(unit=league.coast)) == 2


def test_members_list_query_count_does_not_grow(
    league: League,
    admit: Callable[..., Person],
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for i in range(12):
        admit(f"Member {i}", f"M{i:03}")
    with django_assert_max_num_queries(4):
        assert len(members_at(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=1))) == 12
