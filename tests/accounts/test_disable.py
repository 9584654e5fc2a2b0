"""Disabling an account ends its sessions at once; enabling lets it sign in again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from docket.accounts import services
from docket.accounts.models import AccountChange, User
from docket.core.errors import InvalidInput

PAGE = "account_email"  # any page that needs a signed-in account


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse(PAGE)).status_code == 200
    return client


def _refused(client: Client) -> None:
    response = client.get(reverse(PAGE))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_disabling_ends_every_session_at_the_next_request(make_user: Any) -> None:
    user = make_user()
    phone, laptop = _signed_in(user), _signed_in(user)
    services.account_disable(actor="t", account=user, reason="Left the organization")
    _refused(phone)
    _refused(laptop)
    user.refresh_from_db()
    assert not user.is_active
    change = AccountChange.objects.get()
    assert (change.action, change.reason) == ("disabled", "Left the organization")


def test_a_disabled_account_cannot_sign_in(make_user: Any, test_password: str) -> None:
    user = make_user()
    services.account_disable(actor="t", account=user, reason="Left")
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": test_password})
    _refused(client)


def test_enabling_again(make_user: Any, test_password: str) -> None:
    user = make_user()
    services.account_disable(actor="t", account=user, reason="Left")
    services.account_enable(actor="t", account=user, reason="Came back")
    client = Client()
    assert client.login(email=user.email, password=test_password)
    assert client.get(reverse(PAGE)).status_code == 200
    assert list(AccountChange.objects.values_list("action", flat=True)) == [
        "disabled",
        "enabled",
    ]


def test_refusals(make_user: Any) -> None:
    user = make_user()
    with pytest.raises(InvalidInput) as refused:
        services.account_disable(actor="t", account=user, reason="  ")
    assert refused.value.code == services.REASON_REQUIRED
    with pytest.raises(InvalidInput) as refused:
        services.account_disable(actor="t", account=user, reason="x", by=user)
    assert refused.value.code == services.ACCOUNT_SELF
    with pytest.raises(InvalidInput) as refused:
        services.account_enable(actor="t", account=user, reason="x")
    assert refused.value.code == services.ACCOUNT_ALREADY_ENABLED
    services.account_disable(actor="t", account=user, reason="x")
    with pytest.raises(InvalidInput) as refused:
        services.account_disable(actor="t", account=user, reason="x")
    assert refused.value.code == services.ACCOUNT_ALREADY_DISABLED
    assert AccountChange.objects.count() == 1


def test_disabling_from_the_member_page(admin_client: Client, admit: Any, make_user: Any) -> None:
    user = make_user("avery@example.org")
    person = admit("Avery Quinn", "L-0001", user=user)
    theirs = _signed_in(user)
    member_page = reverse("manage:member", kwargs={"person": person.public_id})
    assert "Disable the account" in admin_client.get(member_page).content.decode()
    url = reverse("manage:account_disable", kwargs={"person": person.public_id})
    response = admin_client.post(url, {"reason": ""})
    assert response.status_code == 200
    _ = theirs.get(reverse(PAGE))  # still signed in
    assert theirs.get(reverse(PAGE)).status_code == 200
    response = admin_client.post(url, {"reason": "Asked us to"})
    assert response.status_code == 302
    _refused(theirs)
    url = reverse("manage:account_enable", kwargs={"person": person.public_id})
    assert admin_client.post(url, {"reason": "Back"}).status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_administrators_cannot_disable_themselves_from_the_page(
    admin_client: Client, admin_user: Any, admit: Any
) -> None:
    person = admit("Dana Admin", "L-0009", user=admin_user)
    url = reverse("manage:account_disable", kwargs={"person": person.public_id})
    response = admin_client.post(url, {"reason": "oops"})
    assert response.status_code == 200
    assert "your own account" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
