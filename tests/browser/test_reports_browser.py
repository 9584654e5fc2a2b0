"""Report pages in a real browser: axe-clean, no CSP problems, usable at 375 px."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def review_member(league, make_user):
    from docket.demo.reference_live import run_reference_case

    run = run_reference_case(league)
    person = league.person("S5")
    user = make_user(name="S5")
    person.user = user
    person.save(update_fields=["user"])
    return run, user


def test_report_pages_accessible(
    live_server, page, page_problems, sign_in, assert_accessible, review_member
):
    run, user = review_member
    sign_in(page, user)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/reports/transparency?from=2013-01-01&to=2019-12-31")
        page.get_by_role("heading", name="Transparency report").wait_for()
        assert_accessible(page, f"reports-transparency-{width}px")
        page.goto(f"{live_server.url}/reports/cases/{run.case.public_id}/compliance")
        page.get_by_role("heading", name="Compliance report: case 2013-004").wait_for()
        assert_accessible(page, f"reports-compliance-{width}px")
        page.goto(f"{live_server.url}/reports/compliance")
        assert_accessible(page, f"reports-overview-{width}px")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width + 1
    assert page_problems == []
