"""The administration pages do their work through the org services, keep what was typed
when refused, and change nothing on a refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from docket.org.models import Membership, Organization, Person, Seat, SeatTerm, StandingChange, Unit
from docket.org.selectors import standing_at, unit_at
from docket.org.services import seat_create, seat_term_begin

from .conftest import ACTOR, CAP, enroll_totp


def _rows() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "members": Membership.objects.count(),
        "standing": StandingChange.objects.count(),
        "terms": SeatTerm.objects.count(),
    }


@pytest.mark.django_db
def test_setting_up_the_organization(make_user: Any) -> None:
    from docket.accounts.services import administrator_grant

    user = administrator_grant(actor="t", account=make_user(), reason="first administrator")
    enroll_totp(user)
    client = Client()
    client.force_login(user)
    url = reverse("manage:organization")
    assert "Set up the organization" in client.get(url).content.decode()
    response = client.post(url, {"name": "The League", "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert not Organization.objects.exists()
    assert 'value="The League"' in response.content.decode()
    response = client.post(url, {"name": "The League", "time_zone": "Europe/Amsterdam"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Europe/Amsterdam" in page
    assert "Set up the organization" not in page


def test_units_tree_and_creation(admin_client: Client, org: Any) -> None:
    url = reverse("manage:units")
    page = admin_client.get(url).content.decode()
    assert page.index("National") < page.index("Coast") < page.index("Harbor")
    # A region cannot sit under a branch: refused next to the field, typed values kept.
    before = _rows()
    response = admin_client.post(
        url,
        {"name": "Lakeside", "key": "lakeside", "kind": "region", "parent": org.harbor.public_id},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot sit under a branch" in body
    assert 'value="Lakeside"' in body
    assert _rows() == before
    response = admin_client.post(
        url,
        {"name": "Lakeside", "key": "lakeside", "kind": "branch", "parent": org.coast.public_id},
    )
    assert response.status_code == 302
    assert Unit.objects.get(key="lakeside").parent == org.coast


def test_member_list_search_and_filters(admin_client: Client, admit: Any, org: Any) -> None:
    admit("Avery Quinn", "L-0001")
    admit("Blake Morrow", "L-0002", unit=org.national)
    url = reverse("manage:members")
    page = admin_client.get(url).content.decode()
    assert "Avery Quinn" in page
    assert "Blake Morrow" in page
    assert "Active" in page
    page = admin_client.get(url, {"q": "avery"}).content.decode()
    assert "Avery Quinn" in page
    assert "Blake Morrow" not in page
    page = admin_client.get(url, {"q": "L-0002"}).content.decode()
    assert "Blake Morrow" in page
    assert "Avery Quinn" not in page
    page = admin_client.get(url, {"unit": "harbor"}).content.decode()
    assert "Avery Quinn" in page
    assert "Blake Morrow" not in page
    # A unit key that does not exist is a form error, not a crash or an unchecked filter.
    response = admin_client.get(url, {"unit": "nowhere"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_member_list_runs_a_bounded_number_of_queries(
    admin_client: Client, admit: Any, org: Any
) -> None:
    admit("Avery Quinn", "L-0001")
    url = reverse("manage:members")
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for i in range(2, 30):
        admit(f"Member {i}", f"L-{i:04d}")
    with CaptureQueriesContext(connection) as many:
        admin_client.get(url)
    assert len(many) == len(few)


def test_admitting_a_member(admin_client: Client, org: Any) -> None:
    url = reverse("manage:member_admit")
    data = {
        "name": "Casey Lind",
        "member_number": "L-0300",
        "joined_on": "2024-02-01",
        "unit": org.harbor.public_id,
        "reason": "",
    }
    before = _rows()
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert 'value="Casey Lind"' in response.content.decode()
    assert _rows() == before
    response = admin_client.post(url, {**data, "reason": "Application approved"})
    assert response.status_code == 302
    person = Person.objects.get(display_name="Casey Lind")
    assert response["Location"] == reverse("manage:member", kwargs={"person": person.public_id})
    assert unit_at(person) == org.harbor


def test_a_taken_member_number_changes_nothing(admin_client: Client, admit: Any, org: Any) -> None:
    admit("Avery Quinn", "L-0001")
    before = _rows()
    response = admin_client.post(
        reverse("manage:member_admit"),
        {
            "name": "Someone Else",
            "member_number": "L-0001",
            "joined_on": "2024-02-01",
            "unit": org.harbor.public_id,
            "reason": "Application approved",
        },
    )
    assert response.status_code == 200
    assert "L-0001 is taken" in response.content.decode()
    # The person created before the admission was refused is rolled back with it.
    assert _rows() == before
    assert not Person.objects.filter(display_name="Someone Else").exists()


def test_an_accepted_form_says_what_was_recorded_on_the_next_page(
    admin_client: Client, admit: Any, org: Any
) -> None:
    response = admin_client.post(
        reverse("manage:member_admit"),
        {
            "name": "Casey Lind",
            "member_number": "L-0300",
            "joined_on": "2024-02-01",
            "unit": org.harbor.public_id,
            "reason": "Application approved",
        },
        follow=True,
    )
    assert "Casey Lind is admitted." in response.content.decode()
    person = Person.objects.get(display_name="Casey Lind")
    response = admin_client.post(
        reverse("manage:member_transfer", kwargs={"person": person.public_id}),
        {
            "transfer-to_unit": org.national.public_id,
            "transfer-effective": "2024-03-01",
            "transfer-reason": "Moved",
        },
        follow=True,
    )
    assert "The transfer is recorded." in response.content.decode()
    # Refused: no message of success, the form again with the refusal.
    response = admin_client.post(
        reverse("manage:member_transfer", kwargs={"person": person.public_id}),
        {
            "transfer-to_unit": org.national.public_id,
            "transfer-effective": "2024-04-01",
            "transfer-reason": "Moved again",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The transfer is recorded." not in page
    assert "is already in" in page
    assert "Moved again" in page


def test_transfer_standing_and_offices(admin_client: Client, admit: Any, org: Any) -> None:
    person = admit("Avery Quinn", "L-0001")
    kw = {"person": person.public_id}
    page = admin_client.get(reverse("manage:member", kwargs=kw)).content.decode()
    assert "Avery Quinn" in page
    assert "Harbor" in page

    response = admin_client.post(
        reverse("manage:member_transfer", kwargs=kw),
        {
            "transfer-to_unit": org.national.public_id,
            "transfer-effective": "2020-01-01",
            "transfer-reason": "Moved",
        },
    )
    assert response.status_code == 302
    assert unit_at(person) == org.national

    # A suspension needs an end: refused, with what was typed kept.
    response = admin_client.post(
        reverse("manage:member_standing", kwargs=kw),
        {
            "standing-status": "suspended",
            "standing-effective": "2021-01-01",
            "standing-reason": "Interim measure",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "needs an end date" in body
    assert "Interim measure" in body
    assert standing_at(person).status == "active"

    response = admin_client.post(
        reverse("manage:member_standing", kwargs=kw),
        {
            "standing-status": "suspended",
            "standing-effective": "2021-01-01",
            "standing-until": "2021-06-01",
            "standing-reason": "Interim measure",
        },
    )
    assert response.status_code == 302
    assert standing_at(person, date(2021, 3, 1)).status == "suspended"

    response = admin_client.post(
        reverse("manage:office_begin", kwargs=kw),
        {
            "office-title": "Treasurer",
            "office-unit": org.national.public_id,
            "office-starts": "2022-01-01",
            "office-reason": "Elected",
        },
    )
    assert response.status_code == 302
    office = person.membership.offices.get()
    response = admin_client.post(
        reverse("manage:office_end", kwargs={**kw, "office": office.public_id}),
        {f"end-{office.public_id}-ends": "2021-01-01", f"end-{office.public_id}-reason": "Oops"},
    )
    assert response.status_code == 200
    assert "ends after it starts" in response.content.decode()
    response = admin_client.post(
        reverse("manage:office_end", kwargs={**kw, "office": office.public_id}),
        {f"end-{office.public_id}-ends": "2023-01-01", f"end-{office.public_id}-reason": "Term"},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.ends_at is not None


ROSTER_BAD = (
    "member_number,name,joined_on,unit\n"
    "L-0500,Jamie Fox,2011-02-03,harbor\n"
    "L-0501,Kit Moreau,not-a-date,harbor\n"
    "L-0502,Lee Park,2011-02-03,atlantis\n"
)
ROSTER_GOOD = (
    "member_number,name,joined_on,unit\n"
    "L-0500,Jamie Fox,2011-02-03,harbor\n"
    "L-0501,Kit Moreau,2012-05-06,coast\n"
)


def test_roster_import_preview_with_line_numbers_then_apply(admin_client: Client, org: Any) -> None:
    url = reverse("manage:member_import")
    before = _rows()
    response = admin_client.post(
        url, {"file": SimpleUploadedFile("roster.csv", ROSTER_BAD.encode(), "text/csv")}
    )
    body = response.content.decode()
    assert "Line 3, joined_on: is not a date" in body
    assert "Line 4, unit: no unit has the key" in body
    assert "Import these rows" not in body
    assert _rows() == before

    response = admin_client.post(
        url, {"file": SimpleUploadedFile("roster.csv", ROSTER_GOOD.encode(), "text/csv")}
    )
    body = response.content.decode()
    assert "Import these rows" in body
    assert "Jamie Fox" in body
    assert _rows() == before  # a preview changes nothing

    response = admin_client.post(url, {"content": ROSTER_GOOD, "source": "roster.csv"})
    assert response.status_code == 302
    assert set(Membership.objects.values_list("member_number", flat=True)) == {"L-0500", "L-0501"}


def test_import_confirmation_is_checked_again(admin_client: Client, org: Any) -> None:
    before = _rows()
    response = admin_client.post(
        reverse("manage:member_import"), {"content": ROSTER_BAD, "source": "roster.csv"}
    )
    assert response.status_code == 200
    assert "nothing was imported" in response.content.decode()
    assert _rows() == before


def test_people_who_are_not_members(admin_client: Client, admit: Any) -> None:
    admit("Avery Quinn", "L-0001")
    url = reverse("manage:people")
    response = admin_client.post(url, {"display_name": "Complainant C", "pseudonymous": "on"})
    assert response.status_code == 302
    page = admin_client.get(url).content.decode()
    assert "Complainant C" in page
    assert "Avery Quinn" not in page  # members are listed under Members
    assert Person.objects.get(display_name="Complainant C").pseudonymous


def test_bodies_seats_and_terms(admin_client: Client, admit: Any, org: Any) -> None:
    holder = admit("Avery Quinn", "L-0001")
    response = admin_client.post(
        reverse("manage:bodies"),
        {"name": "Appeals Committee", "key": "ac", "unit": org.national.public_id},
    )
    assert response.status_code == 302
    body_url = response["Location"]
    body = org.ndc.__class__.objects.get(key="ac")
    kw = {"body": body.public_id}
    assert (
        admin_client.post(reverse("manage:seat_create", kwargs=kw), {"label": ""}).status_code
        == 302
    )
    seat = Seat.objects.get(body=body)
    data = {
        "seat": seat.public_id,
        "member_number": "L-9999",
        "starts": "2024-01-01",
        "reason": "Elected at congress",
    }
    response = admin_client.post(reverse("manage:term_begin", kwargs=kw), data)
    assert response.status_code == 200
    assert "No member has this number" in response.content.decode()
    response = admin_client.post(
        reverse("manage:term_begin", kwargs=kw), {**data, "member_number": "L-0001"}
    )
    assert response.status_code == 302
    page = admin_client.get(body_url).content.decode()
    assert "Held by Avery Quinn" in page
    term = SeatTerm.objects.get(seat=seat, person=holder)

    end_url = reverse("manage:term_end", kwargs={**kw, "term": term.public_id})
    assert "cannot be undone" in admin_client.get(end_url).content.decode()
    # Without the confirmation nothing happens.
    response = admin_client.post(end_url, {"reason": "Resigned"})
    assert response.status_code == 200
    term.refresh_from_db()
    assert term.ends_at is None
    response = admin_client.post(end_url, {"reason": "Resigned", "confirm": "on"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.ends_at is not None
    assert term.ended_early_reason == "Resigned"


def test_ending_a_term_ends_the_holders_sessions(
    admin_client: Client, admit: Any, org: Any, make_user: Any
) -> None:
    user = make_user("avery@example.org")
    holder = admit("Avery Quinn", "L-0001", user=user)
    seat = seat_create(actor=ACTOR, capacity=CAP, body=org.ndc)
    term = seat_term_begin(
        actor=ACTOR, capacity=CAP, seat=seat, person=holder, starts=date(2020, 1, 1), reason="x"
    )
    holder_client = Client()
    holder_client.force_login(user)
    assert holder_client.get(reverse("account_email")).status_code == 200
    end_url = reverse("manage:term_end", kwargs={"body": org.ndc.public_id, "term": term.public_id})
    assert admin_client.post(end_url, {"reason": "Recalled", "confirm": "on"}).status_code == 302
    response = holder_client.get(reverse("account_email"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_service_refusals_show_next_to_the_form(admin_client: Client, org: Any) -> None:
    # The unit key is checked by the service (the form's slug check passes it).
    response = admin_client.post(
        reverse("manage:units"),
        {"name": "Harbor 2", "key": "harbor", "kind": "branch", "parent": org.coast.public_id},
    )
    assert "The unit key &#x27;harbor&#x27; is taken." in response.content.decode()


# --- changing the organization ------------------------------------------------------------


def _org_events() -> list[Any]:
    from docket.ledger.models import LedgerEvent

    return list(LedgerEvent.objects.filter(stream="org", type="org.updated").order_by("seq"))


def test_changing_the_name_and_time_zone(admin_client: Client, admin_user: Any, org: Any) -> None:
    url = reverse("manage:organization")
    page = admin_client.get(url).content.decode()
    assert 'data-testid="org-edit"' in page
    assert 'value="The League"' in page
    response = admin_client.post(
        url,
        {"name": "The League of Coasts", "time_zone": "America/New_York", "reason": "Renamed"},
    )
    assert response.status_code == 302
    found = Organization.objects.get()
    assert (found.name, found.time_zone) == ("The League of Coasts", "America/New_York")
    (event,) = _org_events()
    assert event.payload["previous_name"] == "The League"
    assert event.payload["previous_time_zone"] == "Europe/Amsterdam"
    assert event.payload["reason"] == "Renamed"
    assert event.actor == f"account:{admin_user.pk}"
    assert "America/New_York" in admin_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "New name", "time_zone": "Mars/Olympus", "reason": "r"}, "Select a valid"),
        ({"name": "", "time_zone": "UTC", "reason": "r"}, "This field is required"),
        ({"name": "New name", "time_zone": "UTC", "reason": ""}, "This field is required"),
        (
            {"name": "The League", "time_zone": "Europe/Amsterdam", "reason": "r"},
            "Nothing to change",
        ),
    ],
)
def test_a_bad_change_changes_nothing(
    admin_client: Client, org: Any, data: dict[str, str], message: str
) -> None:
    response = admin_client.post(reverse("manage:organization"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    if data["name"]:
        assert f'value="{data["name"]}"' in html  # what was typed is kept
    found = Organization.objects.get()
    assert (found.name, found.time_zone) == ("The League", "Europe/Amsterdam")
    assert _org_events() == []


def test_the_service_validates_on_its_own(org: Any) -> None:
    from docket.core.errors import InvalidInput
    from docket.org.services.organization import ORG_UNCHANGED, organization_update

    cases = [
        ({"name": " ", "time_zone": "UTC", "reason": "r"}, "org.field_required"),
        ({"name": "X", "time_zone": "Nowhere/City", "reason": "r"}, "org.time_zone_unknown"),
        ({"name": "X", "time_zone": "UTC", "reason": " "}, "org.reason_required"),
        ({"name": "The League", "time_zone": "Europe/Amsterdam", "reason": "r"}, ORG_UNCHANGED),
    ]
    for kwargs, code in cases:
        with pytest.raises(InvalidInput) as refused:
            organization_update(actor=ACTOR, capacity=CAP, **kwargs)
        assert refused.value.code == code
    assert _org_events() == []
    changed = organization_update(
        actor=ACTOR, capacity=CAP, name=" The League ", time_zone="UTC", reason="Moved"
    )
    assert (changed.name, changed.time_zone) == ("The League", "UTC")
    assert len(_org_events()) == 1


def test_the_service_needs_an_organization(db: None) -> None:
    from docket.core.errors import InvalidInput
    from docket.org.services.organization import organization_update

    with pytest.raises(InvalidInput) as refused:
        organization_update(actor=ACTOR, capacity=CAP, name="X", time_zone="UTC", reason="r")
    assert refused.value.code == "org.missing"
