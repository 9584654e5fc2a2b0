"""The dashboard and a body's case list read running deadlines from the projection and
list cases a page at a time: what is due and overdue spans every case, not one page."""

from __future__ import annotations

import pytest

from docket.access import selectors
from docket.cases import services as s
from docket.cases.models import Case, CaseObligation
from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.demo.testing import complaint
from docket.web import overview

from .test_pages import get, shows

pytestmark = pytest.mark.django_db

ACK = "The body that receives a complaint acknowledges it within 7 days."


def received_by_the_ndc(league, when: str, allegation: str) -> Case:  # type: ignore[no-untyped-def]
    """A complaint the NDC receives directly: its acknowledgement (s.2.2, a duty of the
    holding body) is due seven days later."""
    with frozen_at(at(when)):
        return complaint(
            league, by="N1", received_by="ndc", allegation=allegation, account="An account."
        )


@pytest.mark.parametrize("many", [False, True], ids=["few-cases", "many-cases"])
def test_a_duty_is_due_then_overdue_for_the_holding_body_and_nobody_else(
    league, client_for, monkeypatch, many
):
    if many:  # as for a body holding thousands of cases: the queries check case by case
        monkeypatch.setattr(selectors, "MANY_CASES", 0)
    case = received_by_the_ndc(league, "2013-05-06T10:00:00-04:00", "Code s.2")
    running = CaseObligation.objects.get(case=case, deadline="acknowledge")
    assert (running.owed_by, running.kind) == ("holding_body", "duty")

    chair = get(client_for("N1"), "/", when=at("2013-05-08T10:00:00-04:00")).content.decode()
    assert 'data-testid="due"' in chair
    assert ACK in chair
    assert 'data-testid="overdue"' not in chair

    later = at("2013-05-20T10:00:00-04:00")
    for member in ("N1", "N2"):  # both sit on the NDC, which holds the case
        html = get(client_for(member), "/", when=later).content.decode()
        assert 'data-testid="overdue"' in html, member
        assert ACK in html, member
        assert "was due 13 May 2013" in html
    respondent = get(client_for("R"), "/", when=later).content.decode()
    assert ACK not in respondent  # not theirs, and they do not see the whole record
    assert "Nothing needs your attention." in respondent

    with frozen_at(at("2013-05-21T10:00:00-04:00")):
        s.complaint_acknowledge(by=league.person("N1"), case=case.public_id)
    assert not CaseObligation.objects.filter(case=case, deadline="acknowledge").exists()
    html = get(client_for("N1"), "/", when=later).content.decode()
    assert ACK not in html


def test_the_dashboard_pages_through_cases_and_still_lists_every_duty(
    league, client_for, monkeypatch
):
    monkeypatch.setattr(overview, "PAGE_SIZE", 1)
    older = received_by_the_ndc(league, "2013-05-06T10:00:00-04:00", "Code s.2")
    newer = received_by_the_ndc(league, "2013-05-07T10:00:00-04:00", "Code s.3")
    client = client_for("N1")
    when = at("2013-05-08T10:00:00-04:00")
    first = get(client, "/", when=when).content.decode()
    second = get(client, "/?page=2", when=when).content.decode()
    listed = [cases_section(html) for html in (first, second)]
    assert f"/cases/{newer.public_id}/" in listed[0]
    assert f"/cases/{older.public_id}/" not in listed[0]
    assert 'rel="next"' in listed[0]
    assert f"/cases/{older.public_id}/" in listed[1]
    assert f"/cases/{newer.public_id}/" not in listed[1]
    assert 'rel="prev"' in listed[1]
    assert 'rel="next"' not in listed[1]
    # "Due from you" covers both cases on either page.
    for html in (first, second):
        assert html.count(ACK) == 2
    # A page past the end, or nonsense, answers calmly.
    assert get(client, "/?page=9", when=when).status_code == 200
    assert get(client, "/?page=-1", when=when).status_code == 200
    assert shows(get(client, "/?page=abc", when=when).content.decode(), "Dashboard")


def cases_section(html: str) -> str:
    """The "Your cases" section alone (the attention lists link cases on every page)."""
    start = html.index('id="cases-title"')
    return html[start : html.index("</section>", start)]
