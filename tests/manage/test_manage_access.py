"""Who may use the administration pages: every URL of the area, from the resolver."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from docket.accounts.permissions import is_administrator
from docket.accounts.services import ADMIN_ALREADY, administrator_grant, administrator_revoke
from docket.core.errors import InvalidInput
from docket.web.manage import urls as manage_urls

from .conftest import enroll_totp

# The invitee's side of an invitation is open to visitors without an account.
PUBLIC = {"invitation_accept", "invitation_open"}
SAMPLE_KWARGS = {
    "person": "NOSUCHPERSON0000",
    "office": "NOSUCHOFFICE0000",
    "invitation": "NOSUCHINVITE0000",
    "body": "NOSUCHBODY000000",
    "term": "NOSUCHTERM000000",
    "protocol_id": "league",
    "version": 1,
    "token": "not-a-token",
}


def _admin_urls() -> list[str]:
    found = []
    for pattern in manage_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in PUBLIC:
            continue
        kwargs = {k: SAMPLE_KWARGS[k] for k in pattern.pattern.converters}
        found.append(reverse(f"manage:{pattern.name}", kwargs=kwargs))
    return found


ADMIN_URLS = _admin_urls()


def test_every_manage_url_is_listed_here() -> None:
    names = {p.name for p in manage_urls.urlpatterns if isinstance(p, URLPattern)}
    assert len(ADMIN_URLS) + len(PUBLIC) == len(names)
    # and the area is mounted where the brief says
    assert get_resolver().resolve("/manage/").url_name == "index"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(url: str, method: str) -> None:
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", ADMIN_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_members_who_are_not_administrators_are_refused(
    member_client: Client, url: str, method: str
) -> None:
    response = getattr(member_client, method)(url)
    assert response.status_code == 403


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_administrators_get_past_the_check(admin_client: Client, url: str) -> None:
    response = admin_client.get(url)
    # 200 for pages, 404 for the sample ids that do not exist, 405 for POST-only URLs.
    assert response.status_code in {200, 404, 405}


def test_staff_flag_alone_is_not_administration(make_user: Any, org: Any) -> None:
    user = make_user(is_staff=True)
    assert not is_administrator(user)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("manage:index")).status_code == 403


def test_superusers_administer(make_user: Any, org: Any) -> None:
    user = make_user(is_superuser=True)
    enroll_totp(user)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("manage:index")).status_code == 200


# --- a second factor ---------------------------------------------------------------------


@pytest.fixture
def admin_without_mfa(make_user: Any, org: Any) -> Client:
    from docket.accounts.services import administrator_grant

    user = administrator_grant(actor="t", account=make_user(), reason="Runs Docket")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ADMIN_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_administrators_without_a_second_factor_are_sent_to_enroll_one(
    admin_without_mfa: Client, url: str, method: str
) -> None:
    response = getattr(admin_without_mfa, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:mfa_needed"))
    assert "next=" in response["Location"]


def test_a_post_without_a_second_factor_changes_nothing(admin_without_mfa: Client) -> None:
    from docket.org.models import Organization, Unit

    before = (Unit.objects.count(), Organization.objects.get().name)
    admin_without_mfa.post(reverse("manage:units"), {"kind": "branch", "key": "x", "name": "X"})
    admin_without_mfa.post(
        reverse("manage:organization"), {"name": "Renamed", "time_zone": "UTC", "reason": "r"}
    )
    assert (Unit.objects.count(), Organization.objects.get().name) == before


def test_the_page_says_why_and_enrolling_opens_the_pages(
    admin_without_mfa: Client, make_user: Any
) -> None:
    response = admin_without_mfa.get(reverse("manage:members"), follow=True)
    html = response.content.decode()
    assert "A second factor is needed" in html
    assert 'data-testid="mfa-administration"' in html
    assert reverse("mfa_activate_totp") in html
    user = response.wsgi_request.user
    enroll_totp(user)
    assert admin_without_mfa.get(reverse("manage:members")).status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(
    admin_without_mfa: Client, make_user: Any
) -> None:
    from allauth.mfa.models import Authenticator

    response = admin_without_mfa.get(reverse("manage:index"), follow=True)
    user = response.wsgi_request.user
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00", "used_mask": 0}
    )
    assert admin_without_mfa.get(reverse("manage:index")).status_code == 302


def test_revoking_the_right_ends_the_session(admin_client: Client, admin_user: Any) -> None:
    assert admin_client.get(reverse("manage:index")).status_code == 200
    administrator_revoke(actor="test", account=admin_user, reason="Stepped down")
    response = admin_client.get(reverse("manage:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_django_admin_is_not_installed() -> None:
    from django.apps import apps

    assert not apps.is_installed("django.contrib.admin")
    assert Client().get("/admin/").status_code == 404


@pytest.mark.django_db
def test_the_right_held_through_a_group_is_not_granted_twice(make_user: Any, org: Any) -> None:
    from django.contrib.auth.models import Group, Permission

    from docket.accounts.models import AccountChange

    group = Group.objects.create(name="Officers")
    group.permissions.add(Permission.objects.get(codename="administer_organization"))
    user = make_user("officer@example.org")
    user.groups.add(group)
    assert is_administrator(user)
    with pytest.raises(InvalidInput) as refused:
        administrator_grant(actor="test", account=user, reason="Runs Docket")
    assert refused.value.code == ADMIN_ALREADY
    assert not user.user_permissions.exists()
    assert not AccountChange.objects.filter(account=user).exists()
