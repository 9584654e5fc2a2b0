"""``docket accounts``: invite, disable, enable, admin, list; --dry-run changes nothing."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from docket.accounts.models import AccountChange, Invitation, User
from docket.accounts.permissions import is_administrator
from docket.accounts.services import invitation_accept
from docket.org.services import person_create


def run(*args: str) -> str:
    out = StringIO()
    call_command("accounts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def guest(org: Any) -> Any:
    return person_create(actor="t", capacity="administrator", display_name="Witness W4",
                         pseudonymous=True)  # fmt: skip


def test_invite_dry_run_then_for_real(guest: Any, django_capture_on_commit_callbacks: Any) -> None:
    out = run("invite", "w4@example.net", "--person", guest.public_id, "--dry-run")
    assert "Dry run, nothing changed" in out
    assert not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        out = run("invite", "w4@example.net", "--person", guest.public_id)
    assert "Link (works once):" in out
    token = out.strip().rsplit("/", 2)[-2]
    assert invitation_accept(token=token, password="a-long-and-unusual-passphrase")
    assert len(mail.outbox) == 1


def test_invite_refusals(guest: Any) -> None:
    with pytest.raises(CommandError, match="no person"):
        run("invite", "w4@example.net", "--person", "NOPE")
    with pytest.raises(CommandError, match="valid email"):
        run("invite", "not-an-email", "--person", guest.public_id)


def test_disable_enable_and_admin(make_user: Any) -> None:
    user = make_user("kit@example.org")
    out = run("disable", "kit@example.org", "--reason", "Left", "--dry-run")
    assert "Dry run" in out
    user.refresh_from_db()
    assert user.is_active
    assert not AccountChange.objects.exists()
    run("disable", "KIT@example.org", "--reason", "Left")
    user.refresh_from_db()
    assert not user.is_active
    run("enable", "kit@example.org", "--reason", "Back")
    run("admin", "kit@example.org", "--reason", "Elected secretary")
    assert is_administrator(User.objects.get(pk=user.pk))
    listing = run("list")
    assert "kit@example.org" in listing
    assert "1 account(s)." in listing
    run("admin", "kit@example.org", "--reason", "Term over", "--revoke")
    assert not is_administrator(User.objects.get(pk=user.pk))
    with pytest.raises(CommandError, match="no account"):
        run("disable", "nobody@example.org", "--reason", "x")
