"""Acceptance (issue 9) in Chromium: a non-member reports anonymously, gets a receipt
code, comes back with it, exchanges messages with the intake officer, and the officer
begins a case from the report. A wrong code reads exactly like a missing one; the rate
limit holds; the report's words are nowhere in the database file or the content store."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page, expect

from docket.cases.models import Case
from docket.intake import testing
from docket.intake.models import IntakeReport

pytestmark = pytest.mark.django_db(transaction=True)

# The intake area's fixtures (see docket.intake.testing).
intake_fast_hash = testing.intake_fast_hash
officers = testing.officers
officer_user = testing.officer_user

MARKER = "QUOKKA-4417"


def _fill_report(page: Page, base: str) -> None:
    page.goto(f"{base}/report/")
    page.get_by_label("I saw or heard it happen").check()
    page.get_by_label("Their name").fill("Robin Hale")
    page.get_by_label("What happened?").fill(
        f"{MARKER} At the branch social he grabbed a volunteer's arm and would not let go."
    )
    page.get_by_label("When did it happen?").fill("Last Friday evening")
    page.get_by_label("Where did it happen?").fill("Harbor branch hall")
    page.get_by_label("I want to make a formal complaint.").check()
    page.get_by_label("Only through this website, with my receipt code (anonymous)").check()


def _officer_page(browser: Browser, problems: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    officer = context.new_page()
    officer.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return officer


def test_anonymous_report_round_trip_and_case(
    page: Page,
    browser: Browser,
    live_server,
    officers,
    officer_user,
    sign_in,
    assert_accessible,
    page_problems,
) -> None:
    base = live_server.url
    _fill_report(page, base)
    assert_accessible(page, "intake-report-form")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Send my report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report was received")
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert len(code) == 29
    assert_accessible(page, "intake-receipt")

    # The reporter returns with the code and writes to the intake officers.
    page.goto(f"{base}/report/follow/")
    page.get_by_label("Your receipt code").fill(code.lower())
    page.get_by_role("button", name="Open my report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your report")
    expect(page.get_by_test_id("status")).to_contain_text("waiting to be read")
    page.get_by_label("Your message").fill("Will he know it was me?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_test_id("thread")).to_contain_text("Will he know it was me?")
    assert_accessible(page, "intake-reporter-page")

    # The officer reads it, answers, and begins a case.
    officer = _officer_page(browser, page_problems)
    sign_in(officer, officer_user)
    officer.goto(f"{base}/intake/")
    assert_accessible(officer, "intake-queue")
    officer.get_by_test_id("open-reports").get_by_role("link").first.click()
    expect(officer.get_by_test_id("what")).to_contain_text(MARKER)
    expect(officer.get_by_test_id("thread")).to_contain_text("Will he know it was me?")
    expect(officer.get_by_test_id("matched")).to_contain_text("by name only")
    assert_accessible(officer, "intake-officer-report")
    officer.get_by_label("Your message").fill(
        "Not from us. Your name is not known to us, and we will not guess."
    )
    officer.get_by_role("button", name="Send to the reporter").click()
    expect(officer.get_by_test_id("status")).to_have_text("Acknowledged")
    officer.get_by_label("Member number of the person the complaint is about").fill("L-1043")
    officer.get_by_label("Category").fill("physical misconduct")
    officer.get_by_label("Rule alleged broken").fill("Code of Conduct s.2")
    officer.get_by_role("button", name="Begin a case").click()
    expect(officer.get_by_test_id("status")).to_have_text("Case begun")
    report = IntakeReport.objects.get()
    case = Case.objects.get()
    assert report.case_public_id == case.public_id
    officer.context.close()

    # The reporter sees the reply and that a case was opened.
    page.reload()
    expect(page.get_by_test_id("thread")).to_contain_text("Your name is not known to us")
    expect(page.get_by_test_id("status")).to_contain_text("formal complaint has been opened")

    # Encrypted at rest: the words are in no database page and no stored blob.
    db = django_settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        name = Path(db["NAME"])
        for path in (name, Path(f"{name}-wal")):
            if path.exists():
                assert MARKER.encode() not in path.read_bytes(), path
    for path in Path(django_settings.DOCKET_CONTENT_DIR).rglob("*"):
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes()


def test_wrong_code_reads_like_a_missing_one_and_the_limit_holds(
    page: Page, live_server, officers, settings, assert_accessible, page_problems
) -> None:
    settings.DOCKET_INTAKE_RATE_LIMITS = {"follow_ip": (3, 900)}
    base = live_server.url
    _fill_report(page, base)
    page.get_by_role("button", name="Send my report").click()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    answers = []
    for attempt in (wrong, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"):
        page.goto(f"{base}/report/follow/")
        page.get_by_label("Your receipt code").fill(attempt)
        page.get_by_role("button", name="Open my report").click()
        answers.append(page.locator("main").inner_text().replace(attempt, ""))
    assert answers[0] == answers[1]
    assert "could not open a report with that code" in answers[0]
    assert_accessible(page, "intake-follow-refused")
    # The third attempt is still allowed; the fourth, even with the right code, is not.
    for attempt in (wrong, code):
        page.goto(f"{base}/report/follow/")
        page.get_by_label("Your receipt code").fill(attempt)
        page.get_by_role("button", name="Open my report").click()
    expect(page.get_by_test_id("rate-limited")).to_be_visible()
    assert_accessible(page, "intake-rate-limited")
    # The refusals answered 400 and 429 on purpose; the browser logs those statuses.
    expected = ("status of 400 (Bad Request)", "status of 429 (Too Many Requests)")
    assert len(page_problems) == 4
    assert all(p.endswith(expected) for p in page_problems)
    page_problems.clear()
