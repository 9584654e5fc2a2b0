"""Acceptance: the reference case walked live through the pages, in Debian's Chromium,
each step by the person who takes it, at today's dates (the engine cares about order and
day counts; the respondent answers, so the 7-day window is met).

The League's officers are given fresh terms starting today, so that the bodies of 2013
sit again; everyone signs in with a password and a TOTP code. The two failures of 2013
are refused on the page with the protocol's reason and clause (step 8: the NDC's vote;
step 13: the Appeals Committee's work without the earlier record). Every page of the
walk has zero axe violations; the main pages are checked at 375 px.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from docket.core import clock

from .totp import code_now

pytestmark = pytest.mark.django_db(transaction=True)

# Who sits again today, and where (person key -> body key in the League).
SITTING = {
    "B1": "branch_executive@harbor",
    "N1": "ndc",
    "N2": "ndc",
    "N3": "ndc",
    "X1": "ac",
    "X2": "ac",
    "X3": "ac",
}
PEOPLE = ("B1", "N1", "N2", "N3", "R", "A", "C", "CA", "W2", "S5", "X1", "X2", "X3", "BC1")


@pytest.fixture
def walk_league(settings, tmp_path, live_server):
    from django.core.management import call_command

    from docket.cases.protocols import protocol_adopt_file, shipped_protocols
    from docket.crypto.keyfiles import init_signing_key
    from docket.demo.league import build_league
    from docket.org.models import SeatTerm
    from docket.org.services import seat_term_begin

    settings.DOCKET_KEY_DIR = tmp_path / "keys"
    settings.DOCKET_CONTENT_DIR = tmp_path / "content"
    init_signing_key()
    call_command("keys", "init", verbosity=0)
    for path in shipped_protocols():
        protocol_adopt_file(path, actor="test")
    league = build_league()
    today = clock.now().date() - timedelta(days=1)
    for key, body_key in SITTING.items():
        person = league.person(key)
        body = league.bodies[body_key]
        term = SeatTerm.objects.filter(person=person, seat__body=body).first()
        assert term is not None
        seat_term_begin(
            actor="test",
            capacity="test",
            seat=term.seat,
            person=person,
            starts=today,
            ends=None,
            may_finish_open_cases=True,
            reason="Elected again (walk at today's dates)",
        )
    return league


@pytest.fixture
def people(walk_league, make_user) -> dict[str, tuple[Any, str]]:
    """An account with a TOTP authenticator for each person of the walk."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from docket.org.services import person_link_account

    accounts = {}
    for key in PEOPLE:
        user = make_user(f"{key.lower()}@league.example")
        person_link_account(
            actor="test",
            capacity="test",
            person=walk_league.person(key),
            user=user,
            reason="walk",
        )
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        accounts[key] = (user, secret)
    return accounts


class Walk:
    """One browser context per person; every page checked with axe."""

    def __init__(
        self,
        browser: Browser,
        live_server: Any,
        people: dict[str, tuple[Any, str]],
        problems: list[str],
        assert_accessible: Callable[..., None],
        password: str,
    ) -> None:
        self.browser = browser
        self.url = live_server.url
        self.people = people
        self.problems = problems
        self.check = assert_accessible
        self.password = password
        self.pages: dict[str, Page] = {}
        self.case_url = ""
        self.shots = 0

    def as_(self, key: str) -> Page:
        if key in self.pages:
            return self.pages[key]
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.problems.append(f"JavaScript error: {exc}"))
        user, secret = self.people[key]
        page.goto(f"{self.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(self.password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(re.compile(r".*/2fa/authenticate/.*|.*/accounts/.*"))
        cache.clear()  # the same code may be used by two people in one 30-second period
        page.get_by_label("Code").fill(code_now(secret))
        page.get_by_role("button", name=re.compile("^Sign [Ii]n$")).click()
        page.wait_for_url(f"{self.url}/")
        self.pages[key] = page
        return page

    def shot(self, page: Page, name: str) -> None:
        self.shots += 1
        self.check(page, f"walk-{self.shots:02d}-{name}")

    def case(self, key: str) -> Page:
        page = self.as_(key)
        page.goto(self.case_url)
        return page

    def step(self, key: str, link: str, fill: Callable[[Page], None], name: str) -> Page:
        """Open the case as ``key``, follow the step's link, fill and send the form."""
        page = self.case(key)
        page.get_by_role("link", name=link, exact=True).first.click()
        fill(page)
        self.shot(page, f"{name}-form")
        self.submit(page)
        return page

    def submit(self, page: Page) -> None:
        page.locator("form.form button[type=submit]").first.click()
        if page.get_by_test_id("confirm").count():
            self.shot(page, "confirm")
            page.get_by_role("button", name=re.compile("^Yes, ")).click()
        expect(page.get_by_test_id("refusal")).to_have_count(0)
        expect(page.get_by_test_id("form-errors")).to_have_count(0)
        expect(page).to_have_url(self.case_url)


@pytest.fixture
def walk(
    browser, live_server, people, page_problems, assert_accessible, test_password
) -> Iterator[Walk]:
    w = Walk(browser, live_server, people, page_problems, assert_accessible, test_password)
    yield w
    for page in w.pages.values():
        page.context.close()


def _no_horizontal_scroll(page: Page, name: str, screenshot: Callable[..., Any]) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, f"{name}-375px")
    assert width <= 375, f"{name} scrolls sideways at 375 px ({width}px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_reference_case_walked_through_the_pages(walk, walk_league, screenshot, page_problems):
    L = walk_league
    pid = {k: L.person(k).public_id for k in ("C", "CA", "W3")}

    # 1. The Harbor branch officer records the complaint and refers it to the NDC.
    b1 = walk.as_("B1")
    walk.shot(b1, "dashboard-empty")
    b1.goto(f"{walk.url}/cases/new/")
    b1.get_by_label("Protocol", exact=True).select_option(label="League Disciplinary Protocol")
    b1.get_by_label("Category", exact=True).fill("physical misconduct")
    b1.get_by_label("Complainant", exact=True).fill(pid["C"])
    b1.get_by_label("Respondent", exact=True).fill("L-1043")
    b1.get_by_label("Rule alleged broken", exact=True).fill("Code of Conduct s.2 (physical safety)")
    b1.get_by_label("What is alleged, in a sentence", exact=True).fill(
        "C says R assaulted her at a party R hosted."
    )
    b1.get_by_label("The account as given", exact=True).fill("C's account, given in person.")
    walk.shot(b1, "new-complaint")
    b1.get_by_role("button", name="Put it on record").click()
    expect(b1.get_by_test_id("summary")).to_be_visible()
    walk.case_url = b1.url
    walk.shot(b1, "case-received")
    walk.step(
        "B1",
        "Hand the case to another body",
        lambda p: p.get_by_label("Hand the case to", exact=True).select_option(
            label="National Disciplinary Committee"
        ),
        "refer",
    )

    # 2-3. The NDC chair acknowledges, opens 2013-004, names the panel, suspends, serves.
    walk.step("N1", "Acknowledge the complaint", lambda p: None, "acknowledge")

    def open_case(p: Page) -> None:
        p.get_by_label("Case reference", exact=True).fill("2013-004")

    walk.step("N1", "Open the case", open_case, "open")

    def panel(p: Page) -> None:
        for name in ("Nora Quinn", "Omar Reyes", "Lena Fischer"):
            p.get_by_label(name, exact=True).check()
        p.get_by_label("Chair", exact=True).select_option(label="Nora Quinn")

    walk.step("N1", "Name a panel", panel, "panel")

    def measure(p: Page) -> None:
        p.get_by_label("Measure", exact=True).select_option("suspension")
        p.get_by_label("For", exact=True).select_option(label="Robin Hale")
        p.get_by_label("Reasons", exact=True).fill("For the duration of the proceeding.")

    walk.step("N1", "Put an interim measure in place", measure, "measure")

    def charges(p: Page) -> None:
        p.get_by_label("A1: Code of Conduct s.2 (physical safety)").check()
        p.get_by_label("Written notice", exact=True).fill(
            "You are alleged to have assaulted a guest at your party."
        )

    walk.step("N1", "Give written notice of the allegations", charges, "charges")

    # R names advocate A; C names her advocate CA.
    def advocate(number: str) -> Callable[[Page], None]:
        return lambda p: p.get_by_label("Advocate", exact=True).fill(number)

    r = walk.step("R", "Name an advocate", advocate("L-0877"), "advocate-r")
    walk.shot(r, "portal-respondent")
    _no_horizontal_scroll(r, "portal-respondent", screenshot)
    walk.step("C", "Name an advocate", advocate(pid["CA"]), "advocate-c")

    # 4. The complainant's advocate records C's statement, then the step back.
    def statement_c(p: Page) -> None:
        p.get_by_label("Label", exact=True).fill("C1")
        p.get_by_label("Statement", exact=True).fill("My account of the evening at R's party.")

    walk.step("CA", "Record a statement", statement_c, "statement-c")

    def step_back(p: Page) -> None:
        p.get_by_label("Give a written statement only, and take no further part").check()

    walk.step("CA", "Record a choice about taking part", step_back, "participation")

    # 6. The panel records W1-W3.
    def witness(ref: str, label: str) -> Callable[[Page], None]:
        def fill(p: Page) -> None:
            p.get_by_label("Statement of", exact=True).select_option("witness")
            p.get_by_label("Witness", exact=True).fill(ref)
            p.get_by_label("Label", exact=True).fill(label)
            p.get_by_label("Statement", exact=True).fill(f"Interview notes of witness {label}.")

        return fill

    walk.step("N2", "Record a statement", witness("L-0512", "W1"), "w1")
    walk.step("N2", "Record a statement", witness("L-0513", "W2"), "w2")
    walk.step("N3", "Record a statement", witness(pid["W3"], "W3"), "w3")

    # 7-8. The chair tries to open the vote: refused, with the reason and the clause.
    n1 = walk.case("N1")
    refused = n1.get_by_test_id("refused")
    expect(refused).to_contain_text("s.4.2")
    expect(refused).to_contain_text("s.4.3")
    walk.shot(n1, "case-before-vote")
    _no_horizontal_scroll(n1, "case-page", screenshot)
    n1.get_by_test_id("refused").get_by_role("link", name=re.compile("open a vote$")).click()
    n1.get_by_label("Motion", exact=True).fill("Recommend expulsion")
    n1.get_by_label("Sanction the motion would recommend", exact=True).select_option("expulsion")
    n1.locator("form.form button[type=submit]").first.click()
    refusal = n1.get_by_test_id("refusal")
    expect(refusal).to_contain_text("The respondent has not been given witness statements")
    expect(refusal).to_contain_text("s.4.2")
    expect(refusal).to_contain_text("s.4.3")
    expect(n1.get_by_label("Motion", exact=True)).to_have_value("Recommend expulsion")
    walk.shot(n1, "vote-refused")

    # 9. A witness objects to the SC; 10. the NDC declares a mistrial.
    def objection(p: Page) -> None:
        p.get_by_label("To", exact=True).select_option(label="Steering Committee")
        p.get_by_label("Clauses you say were broken", exact=True).fill("s.4.2, s.4.3")
        p.get_by_label("Your objection", exact=True).fill(
            "R was never shown the statements, and no hearing was offered."
        )

    walk.step("W2", "File a formal objection", objection, "objection")

    def grounds(p: Page) -> None:
        p.get_by_label("Clauses broken", exact=True).fill("s.4.2, s.4.3")
        p.get_by_label("Reasons", exact=True).fill("No disclosure and no hearing.")

    walk.step("N1", "Declare a mistrial", grounds, "mistrial")

    # 11. The SC annuls and answers the objection; 12. it orders a reinvestigation
    # without handing over the record.
    walk.step("S5", "Annul the proceeding", grounds, "annul")

    def answer(p: Page) -> None:
        p.get_by_label("Upheld", exact=True).check()
        p.get_by_label("Reasons", exact=True).fill("Upheld; the proceeding is annulled.")

    walk.step("S5", "Answer a formal objection", answer, "answer-objection")

    def reinvestigate(p: Page) -> None:
        p.get_by_label("Body called in", exact=True).select_option(label="Appeals Committee")
        p.get_by_label("Reasons", exact=True).fill("A fresh investigation without prejudice.")
        p.get_by_label("Hand over the earlier record now", exact=True).uncheck()

    walk.step("S5", "Call in a body to investigate again", reinvestigate, "reinvestigate")

    def ac_panel(p: Page) -> None:
        for name in ("Felix Nakamura", "Hana Kovac", "Yusuf Adeyemi"):
            p.get_by_label(name, exact=True).check()
        p.get_by_label("Chair", exact=True).select_option(label="Felix Nakamura")

    walk.step("X1", "Name a panel", ac_panel, "ac-panel")

    # 13. The AC chair tries to record W4 without the earlier record: refused (s.7.3).
    x1 = walk.case("X1")
    x1.get_by_role("link", name=re.compile("record a statement$")).first.click()
    witness("L-0514", "W4")(x1)
    x1.locator("form.form button[type=submit]").first.click()
    refusal = x1.get_by_test_id("refusal")
    expect(refusal).to_contain_text("has not received the earlier record")
    expect(refusal).to_contain_text("s.7.3")
    walk.shot(x1, "w4-refused")

    # The SC hands the whole record over; the AC works.
    walk.step(
        "S5",
        "Hand over the earlier record",
        lambda p: p.get_by_label("Hand the whole record to", exact=True).select_option(
            label="Appeals Committee"
        ),
        "hand-over",
    )
    walk.step("X1", "Record a statement", witness("L-0514", "W4"), "w4")

    def disclose(p: Page) -> None:
        p.get_by_label("Give to", exact=True).select_option("respondent")
        for label in ("W1", "W2", "W3", "W4"):
            p.get_by_label(f"{label} (Witness statement)", exact=True).check()

    walk.step("X1", "Give material to a party", disclose, "disclose")

    # The respondent, through the portal, sees what was given and answers.
    r = walk.case("R")
    expect(r.get_by_test_id("portal-given")).to_contain_text("W4")
    expect(r.get_by_test_id("portal-next")).to_contain_text("7 days")
    r.get_by_role("link", name="Read them").click()
    expect(r.locator("main")).to_contain_text("Interview notes of witness W4.")
    expect(r.locator("main")).not_to_contain_text("My account of the evening")
    walk.shot(r, "respondent-documents")

    def response(p: Page) -> None:
        p.get_by_label("W4", exact=True).check()
        p.get_by_label("The answer", exact=True).fill("My answer to the statements.")

    walk.step("R", "Record a party's answer", response, "response")

    # Hearing, vote, decision, lift, close.
    def schedule(p: Page) -> None:
        when = (clock.now() + timedelta(days=3)).strftime("%Y-%m-%dT18:00")
        p.get_by_label("Date and time", exact=True).fill(when)

    walk.step("X1", "Schedule a hearing", schedule, "schedule")

    def hold(p: Page) -> None:
        for name in ("you", "Hana Kovac", "Yusuf Adeyemi", "Robin Hale", "Ada Marsh"):
            p.get_by_label(name, exact=True).check()
        p.get_by_label("Record of the hearing", exact=True).fill("Notes of the hearing.")

    walk.step("X1", "Hold the hearing", hold, "hearing")

    def vote(p: Page) -> None:
        p.get_by_label("Motion", exact=True).fill("Recommend expulsion")
        p.get_by_label("Sanction the motion would recommend", exact=True).select_option("expulsion")

    walk.step("X1", "Open a vote", vote, "open-vote")
    x1 = walk.case("X1")
    expect(x1.get_by_test_id("vote-V1")).to_contain_text("0 of 3 have voted")
    expect(x1.get_by_test_id("vote-V1")).to_contain_text("Threshold to pass: 2/3")
    for member in ("X1", "X2", "X3"):
        walk.step(member, "Cast a vote", lambda p: p.get_by_label("No", exact=True).check(), "vote")
    walk.step("X1", "Close the vote", lambda p: None, "close-vote")

    def decision(p: Page) -> None:
        p.get_by_label("On the vote", exact=True).select_option("V1")
        p.get_by_label("Not established", exact=True).check()
        p.get_by_label("Reasons for the decision", exact=True).fill(
            "Without C's participation there is no compelling evidence for expulsion."
        )

    walk.step("X1", "Issue the decision", decision, "decision")
    walk.step(
        "X1",
        "End an interim measure",
        lambda p: p.get_by_label("Reasons", exact=True).fill("The case is decided."),
        "lift",
    )
    walk.step("X1", "Close the case", lambda p: None, "close")

    r = walk.case("R")
    expect(r.get_by_test_id("portal-decision")).to_contain_text("not_established")
    walk.shot(r, "portal-decided")

    # Years later: the SC reopens the case and finds the whole record, and who read what.
    def reopen(p: Page) -> None:
        p.get_by_label("Reasons", exact=True).fill("To review the case and correct its mistakes.")

    walk.step("S5", "Reopen the case for review", reopen, "reopen")
    s5 = walk.case("S5")
    timeline = s5.get_by_test_id("timeline")
    for text in ("A complaint was received", "mistrial", "annulled", "handed to the body"):
        expect(timeline).to_contain_text(text)
    walk.shot(s5, "review-case")
    _no_horizontal_scroll(s5, "review-case", screenshot)
    s5.get_by_role("link", name="Who read what").click()
    expect(s5.get_by_test_id("journal")).to_contain_text("Robin Hale")
    walk.shot(s5, "journal")
    s5.goto(walk.case_url)
    s5.get_by_role("link", name="Verify this record").first.click()
    s5.get_by_role("button", name="Check the record now").click()
    expect(s5.get_by_test_id("verify-result")).to_contain_text("The record is intact.")
    walk.shot(s5, "verify")
    s5.goto(f"{walk.url}/")
    walk.shot(s5, "dashboard-review")
    _no_horizontal_scroll(s5, "dashboard", screenshot)

    # A branch officer who never took part sees nothing, not even that it exists.
    bc1 = walk.as_("BC1")
    expect(bc1.get_by_test_id("cases-empty")).to_be_visible()
    response_ = bc1.goto(walk.case_url)
    assert response_ is not None
    assert response_.status == 404
    page_problems[:] = [p for p in page_problems if "404" not in p]
