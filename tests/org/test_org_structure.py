"""Organization, units and people."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from docket.core.errors import InvalidInput
from docket.ledger.selectors import stream_events
from docket.org import codes, services
from docket.org.models import Organization, Person, Unit
from docket.org.selectors import membership_of, person_for_user, unit_path, unit_subtree_ids

from .conftest import ADMIN, CAP, League, snapshot

pytestmark = pytest.mark.django_db


def test_league_units_form_a_tree_and_are_on_the_org_ledger(league: League) -> None:
    assert [u.key for u in unit_path(league.harbor)] == ["national", "coast", "harbor"]
    assert unit_subtree_ids(league.coast) == {league.coast.id, league.harbor.id, league.bay_city.id}
    events = stream_events("org")
    assert [e.type for e in events][:5] == ["org.created", *["unit.created"] * 4]
    harbor = next(e for e in events if e.payload.get("key") == "harbor")
    assert harbor.payload["parent"] == league.coast.public_id
    assert harbor.actor == ADMIN
    assert harbor.capacity == CAP


def test_second_organization_is_refused(league: League) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.organization_create(actor=ADMIN, capacity=CAP, name="Another League")
    assert exc.value.code == codes.ORG_EXISTS
    assert snapshot() == before
    # The database refuses it too, whatever bypasses the service.
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="X", slug="x", created_at=league.org.created_at)


def test_unknown_time_zone_is_refused(db: None) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.organization_create(actor=ADMIN, capacity=CAP, name="L", time_zone="Mars/Base")
    assert exc.value.code == codes.ORG_TIME_ZONE_UNKNOWN
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("kind", "key", "parent", "code"),
    [
        ("branch", "dock", None, codes.UNIT_ROOT_NOT_NATIONAL),
        ("national", "second", None, codes.UNIT_ROOT_EXISTS),
        ("region", "inner", "harbor", codes.UNIT_KIND_ORDER),
        ("branch", "harbor", "coast", codes.UNIT_KEY_TAKEN),
        ("branch", "Not A Key", "coast", codes.FIELD_INVALID),
        ("city", "town", "coast", codes.FIELD_INVALID),
    ],
)
def test_bad_units_change_nothing(
    league: League, kind: str, key: str, parent: str | None, code: str
) -> None:
    before = snapshot()
    parent_unit = Unit.objects.get(key=parent) if parent else None
    with pytest.raises(InvalidInput) as exc:
        services.unit_create(
            actor=ADMIN, capacity=CAP, kind=kind, key=key, name="Somewhere", parent=parent_unit
        )
    assert exc.value.code == code
    assert snapshot() == before


def test_branch_may_sit_directly_under_national(league: League) -> None:
    unit = services.unit_create(
        actor=ADMIN,
        capacity=CAP,
        kind="branch",
        key="islands",
        name="Islands",
        parent=league.national,
    )
    assert [u.key for u in unit_path(unit)] == ["national", "islands"]


def test_pseudonymous_person_keeps_only_a_label(league: League) -> None:
    c = services.person_create(
        actor=ADMIN, capacity=CAP, display_name="Complainant C", pseudonymous=True
    )
    assert c.pseudonymous
    assert c.display_name == "Complainant C"
    assert c.identity_ref == ""
    event = stream_events("org")[-1]
    assert event.type == "person.created"
    assert event.payload == {
        "person": c.public_id,
        "display_name": "Complainant C",
        "pseudonymous": True,
    }
    assert membership_of(c) is None


def test_a_pseudonymous_person_cannot_be_admitted(league: League) -> None:
    from datetime import date

    c = services.person_create(
        actor=ADMIN, capacity=CAP, display_name="Witness W1", pseudonymous=True
    )
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.member_admit(
            actor=ADMIN,
            capacity=CAP,
            person=c,
            member_number="900",
            joined_on=date(2012, 1, 1),
            unit=league.harbor,
            reason="Joined",
        )
    assert exc.value.code == codes.PERSON_PSEUDONYMOUS
    assert snapshot() == before


def test_person_needs_a_name_and_an_actor(league: League) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.person_create(actor=ADMIN, capacity=CAP, display_name="   ")
    assert exc.value.code == codes.FIELD_REQUIRED
    with pytest.raises(InvalidInput):
        services.person_create(actor="", capacity=CAP, display_name="Ona Vale")
    assert snapshot() == before


def test_account_link_is_one_to_one(league: League, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user("ona@example.org")
    ona = services.person_create(actor=ADMIN, capacity=CAP, display_name="Ona Vale")
    services.person_link_account(
        actor=ADMIN, capacity=CAP, person=ona, user=user, reason="Invitation accepted"
    )
    ona.refresh_from_db()
    assert ona.user_id == user.pk
    other = services.person_create(actor=ADMIN, capacity=CAP, display_name="Pim Rowe")
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.person_link_account(
            actor=ADMIN, capacity=CAP, person=other, user=user, reason="Mistake"
        )
    assert exc.value.code == codes.PERSON_ACCOUNT_TAKEN
    with pytest.raises(InvalidInput) as exc:
        services.person_link_account(
            actor=ADMIN,
            capacity=CAP,
            person=ona,
            user=make_user("second@example.org"),
            reason="Again",
        )
    assert exc.value.code == codes.PERSON_ALREADY_LINKED
    assert snapshot() == before
    with pytest.raises(InvalidInput) as exc:
        services.person_create(actor=ADMIN, capacity=CAP, display_name="Pim", user=user)
    assert exc.value.code == codes.PERSON_ACCOUNT_TAKEN
    assert Person.objects.filter(user=user).count() == 1


def test_rename_needs_a_reason_and_is_recorded(league: League) -> None:
    ona = services.person_create(actor=ADMIN, capacity=CAP, display_name="Ona Vale")
    with pytest.raises(InvalidInput) as exc:
        services.person_rename(
            actor=ADMIN, capacity=CAP, person=ona, display_name="Ona V.", reason=""
        )
    assert exc.value.code == codes.REASON_REQUIRED
    services.person_rename(
        actor=ADMIN, capacity=CAP, person=ona, display_name="Ona Vale-Ruiz", reason="Name change"
    )
    ona.refresh_from_db()
    assert ona.display_name == "Ona Vale-Ruiz"
    assert stream_events("org")[-1].payload["display_name"] == "Ona Vale-Ruiz"


def test_bodies_and_seats(league: League) -> None:
    seats = [services.seat_create(actor=ADMIN, capacity=CAP, body=league.ndc) for _ in range(5)]
    assert [s.number for s in seats] == [1, 2, 3, 4, 5]
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.seat_create(actor=ADMIN, capacity=CAP, body=league.ndc, number=3)
    assert exc.value.code == codes.SEAT_NUMBER_TAKEN
    with pytest.raises(InvalidInput) as exc:
        services.body_create(
            actor=ADMIN, capacity=CAP, key="ndc", name="Again", unit=league.national
        )
    assert exc.value.code == codes.BODY_KEY_TAKEN
    assert snapshot() == before
    # Branch executives share the key, one per branch.
    bay_exec = services.body_create(
        actor=ADMIN,
        capacity=CAP,
        key="branch_executive",
        name="Bay City executive",
        unit=league.bay_city,
    )
    assert bay_exec.key == league.harbor_exec.key


def test_identity_reference_only_for_pseudonymous_people(league: League, make_user) -> None:  # type: ignore[no-untyped-def]
    c = services.person_create(
        actor=ADMIN, capacity=CAP, display_name="Complainant C", pseudonymous=True
    )
    services.person_identity_recorded(
        actor="case:2013-004",
        capacity="intake",
        person=c,
        identity_ref="blob:7QX2",
        reason="Intake",
    )
    c.refresh_from_db()
    assert c.identity_ref == "blob:7QX2"
    assert stream_events("org")[-1].payload["identity_ref"] == "blob:7QX2"
    named = services.person_create(actor=ADMIN, capacity=CAP, display_name="Ona Vale")
    before = snapshot()
    with pytest.raises(InvalidInput) as exc:
        services.person_identity_recorded(
            actor=ADMIN, capacity=CAP, person=named, identity_ref="blob:1", reason="Oops"
        )
    assert exc.value.code == codes.PERSON_NOT_PSEUDONYMOUS
    assert snapshot() == before


def test_person_for_user(league: League, make_user) -> None:  # type: ignore[no-untyped-def]
    user, stranger = make_user("ona@example.org"), make_user("x@example.org")
    ona = services.person_create(actor=ADMIN, capacity=CAP, display_name="Ona Vale", user=user)
    assert person_for_user(user) == ona
    assert person_for_user(stranger) is None
