"""Invitations by link: single use, expiring, stored only as a hash, one answer for
every link that cannot be used; the account is linked to the person."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from docket.accounts import services
from docket.accounts.models import Invitation, User
from docket.core.clock import frozen_at, now
from docket.core.errors import InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.services import person_create

GOOD_PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def guest(org: Any) -> Any:
    return person_create(actor="t", capacity="administrator", display_name="Complainant C",
                         pseudonymous=True)  # fmt: skip


def _invite(person: Any, email: str = "c.guest@example.net", **kw: Any) -> Any:
    return services.invitation_create(
        actor="person:ADMIN", capacity="administrator", person=person, email=email, **kw
    )


def _link_path(message: Any) -> str:
    match = re.search(r"https?://[^/\s]+(/manage/invitation/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_token_is_stored_only_as_a_hash_and_mailed_after_commit(
    guest: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        issued = _invite(guest)
    invitation = Invitation.objects.get()
    assert len(issued.token) >= 43  # 32 random bytes, url-safe base64
    assert invitation.token_hash == services.token_hash(issued.token)
    for field in Invitation._meta.concrete_fields:
        assert issued.token not in str(getattr(invitation, field.attname))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["c.guest@example.net"]
    assert _link_path(message) == issued.path
    # Notices never carry case content, and the label says nothing to an outsider.
    assert "Complainant" not in message.body


def test_nothing_is_mailed_when_the_transaction_rolls_back(
    guest: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    def invite_then_fail() -> None:
        with transaction.atomic():
            _invite(guest)
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        invite_then_fail()
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_accepting_creates_a_linked_verified_account(guest: Any) -> None:
    issued = _invite(guest)
    user = services.invitation_accept(token=issued.token, password=GOOD_PASSWORD)
    guest.refresh_from_db()
    assert guest.user_id == user.pk
    assert user.check_password(GOOD_PASSWORD)
    assert user.display_name == ""  # a label is not a name
    assert EmailAddress.objects.get(user=user).verified
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None
    assert invitation.account == user
    linked = LedgerEvent.objects.filter(type="person.account_linked").get()
    assert linked.payload["person"] == guest.public_id


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012345"])
def test_weak_passwords_are_refused_and_change_nothing(guest: Any, password: str) -> None:
    issued = _invite(guest)
    with pytest.raises(InvalidInput) as refused:
        services.invitation_accept(token=issued.token, password=password)
    assert refused.value.code == services.PASSWORD_INVALID
    assert not User.objects.filter(email="c.guest@example.net").exists()
    assert services.invitation_for_token(issued.token) is not None


def _refusal(token: str) -> str:
    with pytest.raises(InvalidInput) as refused:
        services.invitation_accept(token=token, password=GOOD_PASSWORD)
    return refused.value.code


def test_used_expired_revoked_and_wrong_tokens_get_one_answer(guest: Any, admit: Any) -> None:
    used = _invite(guest)
    services.invitation_accept(token=used.token, password=GOOD_PASSWORD)

    other = admit("Avery Quinn", "L-0001")
    expired = _invite(other, "avery@example.org", valid_for=timedelta(hours=1))
    third = admit("Blake Morrow", "L-0002")
    revoked = _invite(third, "blake@example.org")
    services.invitation_revoke(actor="t", invitation=revoked.invitation)

    with frozen_at(now() + timedelta(hours=2)):
        codes = {
            _refusal(used.token),
            _refusal(expired.token),
            _refusal(revoked.token),
            _refusal("x" * 43),
            _refusal(""),
        }
    assert codes == {services.INVITATION_INVALID}


def test_a_new_invitation_replaces_the_open_one(guest: Any) -> None:
    first = _invite(guest)
    second = _invite(guest, "c.other@example.net")
    assert services.invitation_for_token(first.token) is None
    assert services.invitation_for_token(second.token) is not None


def test_invitation_refusals(guest: Any, admit: Any, make_user: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        _invite(guest, "not an email")
    assert refused.value.code == services.INVITATION_EMAIL_INVALID
    make_user("taken@example.org")
    with pytest.raises(InvalidInput) as refused:
        _invite(guest, "Taken@Example.org")
    assert refused.value.code == services.INVITATION_EMAIL_HAS_ACCOUNT
    linked = admit("Avery Quinn", "L-0001", user=make_user("avery@example.org"))
    with pytest.raises(InvalidInput) as refused:
        _invite(linked, "new@example.org")
    assert refused.value.code == services.INVITATION_PERSON_HAS_ACCOUNT
    with pytest.raises(InvalidInput) as refused:
        _invite(guest, valid_for=timedelta(days=31))
    assert refused.value.code == services.INVITATION_VALIDITY
    assert not Invitation.objects.exists()


def test_an_account_made_meanwhile_for_the_email_voids_the_link(guest: Any, make_user: Any) -> None:
    issued = _invite(guest)
    make_user("c.guest@example.net")
    assert _refusal(issued.token) == services.INVITATION_INVALID
    guest.refresh_from_db()
    assert guest.user_id is None


# --- through the pages ------------------------------------------------------------------


def _open(client: Client, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:invitation_accept")
    return client.get(response["Location"])


def test_the_accept_page_end_to_end(
    admin_client: Client, guest: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("manage:person_invite", kwargs={"person": guest.public_id}),
            {"email": "c.guest@example.net"},
        )
    assert response.status_code == 302
    path = _link_path(mail.outbox[0])
    # The list shows the invitation but not the email next to a label.
    listing = admin_client.get(reverse("manage:invitations")).content.decode()
    assert "Complainant C" in listing
    assert "c.guest@example.net" not in listing

    visitor = Client()
    page = _open(visitor, path)
    assert page.status_code == 200
    assert "c.guest@example.net" in page.content.decode()
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in page.content.decode()

    response = visitor.post(
        reverse("manage:invitation_accept"), {"password1": "short", "password2": "short"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    response = visitor.post(
        reverse("manage:invitation_accept"),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Signed in, and setting up the second step does not ask for the password again.
    response = visitor.get(response["Location"])
    assert response.status_code == 200
    assert "Authenticator" in response.content.decode()
    guest.refresh_from_db()
    assert guest.user is not None
    assert guest.user.email == "c.guest@example.net"

    # The link works once.
    again = _open(Client(), path)
    assert 'data-testid="invitation-invalid"' in again.content.decode()


def test_every_unusable_link_gets_the_same_page(guest: Any, admit: Any) -> None:
    used = _invite(guest)
    services.invitation_accept(token=used.token, password=GOOD_PASSWORD)
    expired = _invite(admit("Avery Quinn", "L-0001"), "a@example.org",
                      valid_for=timedelta(hours=1))  # fmt: skip
    pages = set()
    with frozen_at(now() + timedelta(hours=2)):
        for path in (used.path, expired.path, "/manage/invitation/wrong-token/"):
            response = _open(Client(), path)
            assert response.status_code == 200
            pages.add(
                re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
            )
    assert len(pages) == 1
    # and posting a password without a usable link creates nothing
    client = Client()
    _open(client, "/manage/invitation/wrong-token/")
    client.post(
        reverse("manage:invitation_accept"),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert User.objects.count() == 1  # only the account of the used invitation


def test_withdrawing_from_the_list(admin_client: Client, guest: Any) -> None:
    issued = _invite(guest)
    response = admin_client.post(
        reverse("manage:invitation_revoke", kwargs={"invitation": issued.invitation.public_id})
    )
    assert response.status_code == 302
    assert services.invitation_for_token(issued.token) is None


def test_a_signed_in_browser_is_asked_to_sign_out_first(guest: Any, make_user: Any) -> None:
    issued = _invite(guest)
    client = Client()
    client.force_login(make_user("someone@example.org"))
    page = _open(client, issued.path)
    assert 'data-testid="invitation-signed-in"' in page.content.decode()
    # Posting a password does not create an account while signed in as someone else.
    client.post(
        reverse("manage:invitation_accept"),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert services.invitation_for_token(issued.token) is not None
    # Signed out, the same link opens the form.
    client.post(reverse("account_logout"))
    assert "Set up your account" in _open(client, issued.path).content.decode()


def test_csrf_is_enforced(admin_user: Any, guest: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post(reverse("manage:people"), {"display_name": "Witness W9"})
    assert response.status_code == 403
    issued = _invite(guest)
    visitor = Client(enforce_csrf_checks=True)
    _open(visitor, issued.path)
    response = visitor.post(
        reverse("manage:invitation_accept"),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 403
    assert services.invitation_for_token(issued.token) is not None
