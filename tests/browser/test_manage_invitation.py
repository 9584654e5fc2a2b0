"""An invitation end to end in the browser: the administrator invites a person who has no
account; the invitee opens the link, chooses a password, sets up an authenticator app;
the link then no longer works. Disabling the account ends the invitee's session."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from playwright.sync_api import Browser, Page, expect
from tests.browser.test_manage_protocols import admin_sign_in

from docket.accounts.services import administrator_grant
from docket.org import services

from .totp import code_now

__all__ = ["admin_sign_in"]  # the fixture, shared with the protocol pages

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-and-unusual-passphrase"


def test_invitation_accept_flow(
    page: Page,
    browser: Browser,
    live_server: Any,
    make_user: Any,
    admin_sign_in: Any,
    assert_accessible: Any,
) -> None:
    services.organization_create(actor="t", capacity="administrator", name="The League")
    guest = services.person_create(
        actor="t", capacity="administrator", display_name="Complainant C", pseudonymous=True
    )
    admin = administrator_grant(
        actor="t", account=make_user("dana.admin@example.org"), reason="Runs Docket"
    )

    admin_sign_in(page, admin)
    page.goto(f"{live_server.url}/manage/people/")
    page.get_by_role("link", name="Invite by email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite Complainant C to sign in")
    assert_accessible(page, "manage-invite")
    page.get_by_label("Email address").fill("c.guest@example.net")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("The invitation link was sent")
    assert len(mail.outbox) == 1
    match = re.search(r"/manage/invitation/[^\s]+/", mail.outbox[0].body)
    assert match
    link = f"{live_server.url}{match.group(0)}"

    # The invitee, in a browser of their own.
    context = browser.new_context(viewport={"width": 375, "height": 740})
    invitee = context.new_page()
    problems: list[str] = []
    invitee.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    invitee.goto(link)
    expect(invitee).to_have_url(f"{live_server.url}/manage/invitation/")  # token gone from the bar
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Set up your account")
    expect(invitee.locator("main")).to_contain_text("c.guest@example.net")
    assert_accessible(invitee, "invitation-accept")
    assert invitee.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    invitee.get_by_label("Choose a password").fill("short")
    invitee.get_by_label("The same password again").fill("short")
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.locator(".errorlist")).to_contain_text("too short")
    assert_accessible(invitee, "invitation-accept-refused")

    invitee.get_by_label("Choose a password").fill(PASSWORD)
    invitee.get_by_label("The same password again").fill(PASSWORD)
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = invitee.get_by_label("Authenticator secret").input_value()
    invitee.get_by_label("Authenticator code").fill(code_now(secret))
    invitee.get_by_role("button", name="Activate").click()
    expect(invitee).not_to_have_url(re.compile(r"/totp/activate/"))
    guest.refresh_from_db()
    assert guest.user is not None
    assert guest.user.email == "c.guest@example.net"
    assert Authenticator.objects.filter(user=guest.user, type="totp").exists()

    # The link works once; a second visit gets the same page as any unusable link.
    other = browser.new_context().new_page()
    other.goto(link)
    expect(other.get_by_test_id("invitation-invalid")).to_be_visible()
    assert_accessible(other, "invitation-invalid")
    other.context.close()

    # Disabling the account ends the invitee's session at their next request.
    invitee.goto(f"{live_server.url}/accounts/2fa/")
    expect(invitee.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{live_server.url}/manage/people/")
    page.get_by_role("link", name="Disable the account").click()
    page.get_by_label("Reason").fill("Asked us to close it")
    page.get_by_role("button", name="Disable the account").click()
    expect(page.get_by_role("status")).to_contain_text("its sessions have ended")
    invitee.goto(f"{live_server.url}/accounts/2fa/")
    expect(invitee).to_have_url(re.compile(r"/accounts/login/"))
    context.close()
    assert not problems, problems
