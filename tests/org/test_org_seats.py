"""Seats and terms: who sits on which body when; ending a term ends access at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from docket.core.clock import frozen_at, now
from docket.core.errors import InvalidInput
from docket.ledger.selectors import stream_events
from docket.org import codes, services
from docket.org.models import Person, SeatTerm
from docket.org.selectors import (
    bodies_of,
    body_members,
    body_terms,
    finishing_terms,
    seats_held,
)

from .conftest import ADMIN, CAP, League, snapshot

pytestmark = pytest.mark.django_db


def _seat(league: League, body_attr: str = "ndc"):  # type: ignore[no-untyped-def]
    return services.seat_create(actor=ADMIN, capacity=CAP, body=getattr(league, body_attr))


def test_terms_are_time_aware(league: League, admit: Callable[..., Person]) -> None:
    p = admit("Pia Lund", "3001")
    seat = _seat(league)
    term = services.seat_term_begin(
        actor=ADMIN,
        capacity=CAP,
        seat=seat,
        person=p,
        starts=date(2013, 2, 1),
        ends=date(2015, 2, 1),
        reason="Elected by congress",
        may_finish_open_cases=True,
    )
    assert list(seats_held(p, date(2013, 1, 31))) == []
    assert list(seats_held(p, date(2014, 1, 1))) == [term]
    assert list(bodies_of(p, date(2014, 1, 1))) == [league.ndc]
    assert list(body_members(league.ndc, date(2014, 1, 1))) == [p]
    # The end is exclusive: the term is over on its last date.
    assert list(seats_held(p, date(2015, 2, 1))) == []
    assert list(bodies_of(p, date(2015, 2, 1))) == []
    assert list(body_members(league.ndc, date(2015, 2, 1))) == []
    assert list(finishing_terms(p, date(2015, 2, 1))) == [term]
    assert list(finishing_terms(p, date(2014, 1, 1))) == []
    # Recorded after the fact: closed at once, nothing left for the sweeper.
    assert term.closed_at is not None
    assert services.seat_terms_expire() == 0


def test_seat_term_end_removes_seat_and_ends_sessions(
    league: League,
    admit: Callable[..., Person],
    make_user,
    test_password: str,  # type: ignore[no-untyped-def]
) -> None:
    user = make_user("pia@example.org")
    p = admit("Pia Lund", "3001", user=user)
    term = services.seat_term_begin(
        actor=ADMIN,
        capacity=CAP,
        seat=_seat(league),
        person=p,
        starts=date(2024, 1, 1),
        reason="Elected",
    )
    client = Client()
    # Visit first, as a browser would: the epoch is remembered at login by a receiver that
    # the accounts middleware registers when the handler first loads.
    client.get("/")
    assert client.login(email="pia@example.org", password=test_password)
    epoch = get_user_model().objects.get(pk=user.pk).session_epoch
    assert list(seats_held(p)) == [term]
    client.get("/")
    assert "_auth_user_id" in client.session

    services.seat_term_end(actor=ADMIN, capacity=CAP, term=term, reason="Resigned from the NDC")

    term.refresh_from_db()
    assert term.ends_at == now()
    assert term.closed_at == now()
    assert term.ended_early_reason == "Resigned from the NDC"
    assert list(seats_held(p)) == []
    assert list(body_members(league.ndc)) == []
    assert list(seats_held(p, now() - timedelta(seconds=1))) == [term]
    assert get_user_model().objects.get(pk=user.pk).session_epoch == epoch + 1
    ended = stream_events("org")[-1]
    assert ended.type == "seat.term_ended"
    assert ended.payload["early"] is True
    assert ended.payload["person"] == p.public_id
    # The session that was open is gone at the next request.
    client.get("/")
    assert "_auth_user_id" not in client.session


def test_failed_term_end_changes_nothing(
    league: League, admit: Callable[..., Person], make_user
) -> None:  # type: ignore[no-untyped-def]
    user = make_user("pia@example.org")
    p = admit("Pia Lund", "3001", user=user)
    term = services.seat_term_begin(
        actor=ADMIN,
        capacity=CAP,
        seat=_seat(league),
        person=p,
        starts=date(2024, 1, 1),
        reason="Elected",
    )
    before = snapshot()
    for kwargs, code in [
        ({"reason": ""}, codes.REASON_REQUIRED),
        ({"ends": now() + timedelta(days=1)}, codes.TERM_END_IN_FUTURE),
        ({"ends": date(2023, 12, 1)}, codes.TERM_ENDS_BEFORE_START),
    ]:
        args: dict[str, object] = {"reason": "Removed", **kwargs}
        with pytest.raises(InvalidInput) as exc:
            services.seat_term_end(actor=ADMIN, capacity=CAP, term=term, **args)  # type: ignore[arg-type]
        assert exc.value.code == code
    assert snapshot() == before
    term.refresh_from_db()
    assert term.ends_at is None
    assert term.closed_at is None
    assert get_user_model().objects.get(pk=user.pk).session_epoch == 0
    services.seat_term_end(actor=ADMIN, capacity=CAP, term=term, reason="Removed")
    with pytest.raises(InvalidInput) as exc:
        services.seat_term_end(actor=ADMIN, capacity=CAP, term=term, reason="Again")
    assert exc.value.code == codes.TERM_ALREADY_ENDED


def test_term_begin_refusals(league: League, admit: Callable[..., Person]) -> None:
    a = admit("Ada Brook", "3001")
    b = admit("Ben Cole", "3002")
    s1, s2 = _seat(league), _seat(league)
    services.seat_term_begin(
        actor=ADMIN,
        capacity=CAP,
        seat=s1,
        person=a,
        starts=date(2020, 1, 1),
        ends=date(2022, 1, 1),
        reason="Elected",
    )
    services.member_standing_change(
        actor=ADMIN,
        capacity=CAP,
        person=b,
        status="suspended",
        effective=date(2019, 1, 1),
        until=date(2020, 6, 1),
        reason="Suspended",
    )
    guest = services.person_create(
        actor=ADMIN, capacity=CAP, display_name="Witness W2", pseudonymous=True
    )
    before = snapshot()
    for kwargs, code in [
        ({"seat": s1, "person": b, "starts": date(2021, 12, 31)}, codes.TERM_SEAT_OCCUPIED),
        ({"seat": s2, "person": a, "starts": date(2021, 1, 1)}, codes.TERM_PERSON_ON_BODY),
        ({"seat": s2, "person": b, "starts": date(2020, 3, 1)}, codes.MEMBER_NOT_IN_GOOD_STANDING),
        ({"seat": s2, "person": guest}, codes.MEMBER_NOT_IN_GOOD_STANDING),
        ({"seat": s2, "person": b, "ends": date(2020, 6, 1)}, codes.TERM_ENDS_BEFORE_START),
        ({"seat": s2, "person": b, "reason": ""}, codes.REASON_REQUIRED),
    ]:
        args: dict[str, object] = {"starts": date(2020, 7, 1), "reason": "Elected", **kwargs}
        with pytest.raises(InvalidInput) as exc:
            services.seat_term_begin(actor=ADMIN, capacity=CAP, **args)  # type: ignore[arg-type]
        assert exc.value.code == code, kwargs
    assert snapshot() == before
    # Back to back is fine: the first term's end is the next one's start.
    services.seat_term_begin(
        actor=ADMIN, capacity=CAP, seat=s1, person=b, starts=date(2022, 1, 1), reason="Elected"
    )
    assert [t.person for t in body_terms(league.ndc, date(2022, 1, 1))] == [b]


def test_scheduled_ends_are_swept_once(
    league: League, admit: Callable[..., Person], make_user
) -> None:  # type: ignore[no-untyped-def]
    user = make_user("ada@example.org")
    a = admit("Ada Brook", "3001", user=user)
    term = services.seat_term_begin(
        actor=ADMIN,
        capacity=CAP,
        seat=_seat(league),
        person=a,
        starts=date(2024, 1, 1),
        ends=date(2024, 7, 1),
        reason="Elected",
    )
    assert services.seat_terms_expire() == 0
    later = datetime(2024, 7, 2, tzinfo=UTC)
    assert list(seats_held(a, later)) == []  # access stops at the end, sweep or not
    with frozen_at(later):
        assert services.seat_terms_expire() == 1
        assert services.seat_terms_expire() == 0
    term.refresh_from_db()
    assert term.closed_at == later
    assert term.ended_early_reason == ""
    assert get_user_model().objects.get(pk=user.pk).session_epoch == 1
    assert stream_events("org")[-1].payload["early"] is False


def test_branch_executive_is_per_unit(league: League, admit: Callable[..., Person]) -> None:
    h = admit("Hal Dunn", "4001", unit=league.harbor)
    services.seat_term_begin(
        actor=ADMIN,
        capacity=CAP,
        seat=_seat(league, "harbor_exec"),
        person=h,
        starts=date(2012, 1, 1),
        reason="Branch election",
    )
    assert [b.unit for b in bodies_of(h, date(2013, 3, 4))] == [league.harbor]
    assert SeatTerm.objects.count() == 1
