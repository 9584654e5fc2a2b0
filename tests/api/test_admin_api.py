"""Members and bodies for administrators: read, and write through the org services."""

from __future__ import annotations

import pytest

from docket.org.models import Membership, SeatTerm, StandingChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(league, api_as):
    return api_as(league.person("S5"), admin=True)


def test_administrators_read_the_roster_and_a_member_s_history(admin, league):
    listing = admin.get("/members", per_page=200).json()
    numbers = {m["member_number"] for m in listing["items"]}
    assert "L-0250" in numbers
    r = league.person("R")
    detail = admin.get(f"/members/{r.public_id}")
    assert detail.status_code == 200
    assert detail.json()["person"] == r.public_id
    assert detail.json()["standing"]["status"] == "active"
    assert admin.get("/members", unit="bay-city").json()["meta"]["count"] >= 1
    assert admin.get("/members", unit="atlantis").status_code == 400
    assert admin.get("/members/ZZZZZZZZZZZZZZZZ").status_code == 404


def test_a_standing_change_goes_through_the_service_and_bad_input_changes_nothing(admin, league):
    r = league.person("R")
    before = StandingChange.objects.count()
    refused = admin.post(
        f"/members/{r.public_id}/standing",
        {"status": "on_leave", "effective": "2030-01-01T00:00:00", "reason": "Leave."},
    )
    assert refused.status_code == 422  # no time zone
    missing_reason = admin.post(
        f"/members/{r.public_id}/standing",
        {"status": "on_leave", "effective": "2030-01-01T00:00:00Z", "reason": ""},
    )
    assert missing_reason.status_code == 422
    assert StandingChange.objects.count() == before
    done = admin.post(
        f"/members/{r.public_id}/standing",
        {"status": "on_leave", "effective": "2030-01-01T00:00:00Z", "reason": "Asked for leave."},
    )
    assert done.status_code == 200, done.json()
    assert done.json()["standing_history"][-1]["status"] == "on_leave"
    assert StandingChange.objects.count() == before + 1


def test_bodies_and_their_terms(admin, league):
    bodies = admin.get("/bodies").json()
    sc = next(b for b in bodies if b["key"] == "sc")
    detail = admin.get(f"/bodies/{sc['id']}").json()
    assert {t["name"] for t in detail["terms"]} >= {league.person("S5").display_name}
    term = next(t for t in detail["terms"] if t["person"] == league.person("S5").public_id)
    before = SeatTerm.objects.filter(ends_at__isnull=True).count()
    ended = admin.post(f"/bodies/{sc['id']}/terms/{term['id']}/end", {"reason": "Resigned."})
    assert ended.status_code == 200, ended.json()
    assert SeatTerm.objects.filter(ends_at__isnull=True).count() == before - 1


def test_non_administrators_are_refused(league, api_as):
    api = api_as(league.person("R"))
    for path in ("/members", "/bodies"):
        answer = api.get(path)
        assert answer.status_code == 403
        assert answer.json()["code"] == "access.administrators_only"
    assert api.post("/members", {}).status_code == 403


def test_the_staff_flag_alone_does_not_make_an_administrator(league, api_as):
    staff = api_as(league.person("R"), staff=True)
    assert staff.get("/me").json()["administrator"] is False
    for path in ("/members", "/bodies"):
        answer = staff.get(path)
        assert answer.status_code == 403
        assert answer.json()["code"] == "access.administrators_only"
    before = Membership.objects.count()
    refused = staff.post(
        "/members",
        {
            "person": league.person("R").public_id,
            "member_number": "L-9001",
            "joined_on": "2024-01-01",
            "unit": "harbor",
            "reason": "Joined.",
        },
    )
    assert refused.status_code == 403
    assert Membership.objects.count() == before


def test_the_permission_makes_an_administrator_without_the_staff_flag(league, api_as):
    admin = api_as(league.person("R"), admin=True)
    me = admin.get("/me").json()
    assert me["administrator"] is True
    assert admin.get("/members").status_code == 200
    assert admin.get("/bodies").status_code == 200


def test_the_permission_through_a_group_makes_an_administrator(league, account_for, token_for):
    from django.contrib.auth.models import Group, Permission

    from .conftest import Api

    group = Group.objects.create(name="Secretaries")
    right = Permission.objects.get(
        content_type__app_label="accounts", codename="administer_organization"
    )
    group.permissions.add(right)
    user = account_for(league.person("R"))
    user.groups.add(group)
    assert Api(token_for(user)).get("/members").status_code == 200


def test_administrators_need_a_second_factor_as_on_the_pages(league, api_as):
    admin = api_as(league.person("R"), admin=True, mfa=False)
    assert admin.get("/me").json()["administrator"] is True
    for path in ("/members", "/bodies"):
        answer = admin.get(path)
        assert answer.status_code == 403
        assert answer.json()["code"] == "mfa.required"
    r = league.person("R")
    before = StandingChange.objects.count()
    refused = admin.post(
        f"/members/{r.public_id}/standing",
        {"status": "on_leave", "effective": "2030-01-01T00:00:00Z", "reason": "Leave."},
    )
    assert refused.status_code == 403
    assert StandingChange.objects.count() == before
