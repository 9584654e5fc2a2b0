"""The foundation in a real browser: sign in, the dashboard, sign out; accessibility of
the sign-in page, the dashboard and the two-factor page; no horizontal scroll at 375px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def _h1(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", level=1)


def test_sign_in_shows_the_dashboard(
    page: Page, live_server, make_user, sign_in, assert_accessible, screenshot
) -> None:
    user = make_user("morgan.ellis@example.org", name="Morgan Ellis")

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(_h1(page)).to_have_text("Sign in")
    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert_accessible(page, "sign-in")

    sign_in(page, user)
    expect(_h1(page)).to_have_text("Dashboard")
    expect(page.get_by_role("banner")).to_contain_text("Signed in as Morgan Ellis")
    expect(page.get_by_test_id("attention-empty")).to_have_text("Nothing needs your attention.")
    assert_accessible(page, "dashboard")

    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "dashboard-375px")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_wrong_password_is_refused_accessibly(
    page: Page, live_server, make_user, assert_accessible
) -> None:
    user = make_user()
    page.goto(f"{live_server.url}/accounts/login/")
    page.set_viewport_size({"width": 375, "height": 740})
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(_h1(page)).to_have_text("Sign in")
    expect(page.locator(".errorlist")).to_contain_text("not correct")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "sign-in-refused")


def test_two_factor_pages_render_in_the_layout(
    page: Page, live_server, make_user, sign_in, assert_accessible, test_password
) -> None:
    sign_in(page, make_user(name="Priya Raman"))
    page.goto(f"{live_server.url}/accounts/2fa/")
    expect(page.get_by_role("banner")).to_contain_text("Signed in as Priya Raman")
    expect(_h1(page)).to_be_visible()
    assert_accessible(page, "two-factor")

    # Setting up an authenticator app asks for the password again, then shows the QR
    # code and the form, all inside the layout.
    page.get_by_role("link", name="Activate").click()
    expect(_h1(page)).to_have_text("Confirm Access")
    assert_accessible(page, "reauthenticate")
    page.get_by_label("Password").fill(test_password)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_role("banner")).to_contain_text("Signed in as Priya Raman")
    expect(page.locator("main img")).to_be_visible()
    assert_accessible(page, "two-factor-totp-activate")


def test_the_error_pages_are_in_the_layout_and_accessible(
    page: Page, live_server, page_problems, assert_accessible
) -> None:
    page.goto(f"{live_server.url}/no-such-page/")
    expect(_h1(page)).to_have_text("We can't find that page")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "error-404")
    # The browser logs the 404 answer itself; that one is expected.
    page_problems[:] = [p for p in page_problems if "status of 404" not in p]
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()  # the form's CSRF cookie is gone: the form has expired
    page.get_by_label("Email").fill("someone@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(_h1(page)).to_have_text("This form has expired")
    assert_accessible(page, "error-403-csrf")
    page_problems[:] = [p for p in page_problems if "status of 403" not in p]
