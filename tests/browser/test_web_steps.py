"""The steps added after the reference walk, in the browser: the respondent challenges an
interim measure at once, the panel's chair reviews it, and a complainant's advocate
corrects a statement; every page passes axe (and fits 375 px)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.test_reference_walk import people, walk, walk_league

from docket.cases import services as s
from docket.demo.testing import complaint

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["people", "walk", "walk_league"]  # fixtures shared with the reference walk


def _fits_375(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= 375")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_measure_challenge_review_and_a_corrected_statement(walk: Any, walk_league: Any) -> None:
    p = walk_league.person
    case = complaint(walk_league, account="The account.")
    ref = case.public_id
    s.case_refer(by=p("B1"), case=ref, to_body="ndc")
    s.case_open(by=p("N1"), case=ref, body="ndc", reference="2031-001")
    s.panel_name(by=p("N1"), case=ref, body="ndc", members=[p("N1"), p("N2")], chair=p("N1"))
    s.advocate_name(by=p("C"), case=ref, party="complainant", advocate=p("CA"))
    s.statement_record(
        by=p("CA"), case=ref, author=p("C"), role="complainant", label="C1", text="First."
    )
    s.measure_impose(
        by=p("N1"),
        case=ref,
        measure_id="M1",
        kind="emergency_removal",
        subject=p("R"),
        reasons="Pending the proceeding.",
    )
    walk.case_url = f"{walk.url}/cases/{ref}/"

    def challenge(page: Page) -> None:
        page.get_by_label("Measure", exact=True).select_option(index=0)
        page.get_by_label("Why the measure should end or change").fill("I need my seat.")

    page = walk.step("R", "Challenge an interim measure", challenge, "challenge-measure")
    expect(page.get_by_role("status")).to_contain_text("Done: challenge an interim measure.")

    def review(page: Page) -> None:
        page.get_by_label("It ends now").check()
        page.get_by_label("Reasons", exact=True).fill("Heard the challenge.")

    page = walk.step("N1", "Review an interim measure", review, "review-measure")
    expect(page.get_by_test_id("timeline")).to_contain_text("A party challenged an interim measure")

    def correct(page: Page) -> None:
        page.get_by_label("Statement", exact=True).select_option(index=0)
        page.get_by_label("The corrected statement, in full").fill("First, corrected.")
        _fits_375(page)

    page = walk.step("CA", "Correct a statement", correct, "correct-statement")
    walk.shot(page, "case-after-new-steps")
