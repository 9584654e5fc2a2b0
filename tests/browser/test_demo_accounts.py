"""Acceptance (issue 16): every account `docket demo` prints signs in, in Chromium, with
the printed password and an authenticator code from the printed secret, and lands on a
dashboard that shows exactly what the printout promised: the cases listed by reference,
the intake queue for intake officers, administration for the administrator, and no
case at all for the officers whose terms have ended.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from docket.demo.accounts import ADMIN_EMAIL, DEMO_PASSWORD, DEMO_TOTP_SECRET
from docket.demo.people import ADMINISTERS, SIGN_INS

from .totp import code_now

pytestmark = pytest.mark.django_db(transaction=True)

CASE_LINK = re.compile(r"^\d{4}-\d{3}$")


@pytest.fixture
def printout(keys, live_server, capsys: pytest.CaptureFixture[str]) -> list[str]:
    call_command("demo")
    return capsys.readouterr().out.splitlines()


def promised(printout: list[str], email: str) -> str:
    """The promise printed under the account's line."""
    at = next(i for i, line in enumerate(printout) if line.split()[:1] == [email])
    return printout[at + 1].strip()


def signed_in(browser: Browser, url: str, email: str, problems: list[str]) -> Page:
    """A phone-sized page signed in as ``email`` the way a person would."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"JavaScript error: {exc}"))
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r".*/2fa/authenticate/.*"))
    page.get_by_label("Code").fill(code_now(DEMO_TOTP_SECRET))
    page.get_by_role("button", name=re.compile("^Sign [Ii]n$")).click()
    page.wait_for_url(f"{url}/")
    return page


def listed_cases(page: Page) -> set[str]:
    """The case references under "Your cases"."""
    links = page.locator("[data-testid^=cases-] a").all_inner_texts()
    return {text.strip() for text in links if CASE_LINK.match(text.strip())}


def test_every_printed_account_lands_where_its_work_is(
    browser: Browser, live_server: Any, printout: list[str], page_problems: list[str]
) -> None:
    url = live_server.url
    assert promised(printout, ADMIN_EMAIL) == ADMINISTERS
    page = signed_in(browser, url, ADMIN_EMAIL, page_problems)
    assert listed_cases(page) == set()
    page.get_by_test_id("manage-link").click()
    page.wait_for_url(f"{url}/manage/")
    page.context.close()

    for sign_in in SIGN_INS:
        assert promised(printout, sign_in.email) == sign_in.promise, sign_in.email
        page = signed_in(browser, url, sign_in.email, page_problems)
        assert listed_cases(page) == set(sign_in.cases), sign_in.email
        if not sign_in.cases:
            assert page.get_by_test_id("cases-empty").is_visible(), sign_in.email
        assert page.get_by_test_id("manage-link").count() == 0, sign_in.email
        queue = page.get_by_test_id("intake-link")
        if sign_in.reports:
            # The demo's anonymous report waits for the Bay City branch and the NDC.
            waiting = page.get_by_test_id("reports-waiting").inner_text()
            assert "1 report waits in the intake queue" in waiting, sign_in.email
            queue.click()
            page.wait_for_url(f"{url}/intake/")
            assert page.get_by_role("heading", level=1).count() == 1
        else:
            assert queue.count() == 0, sign_in.email
        page.context.close()
    assert not page_problems
