"""The compliance overview (/reports/compliance): every open case the viewer follows as a
whole that has an overdue duty or a violation is listed under "Needs attention",
whatever the number of other open cases; the rest are paged; the figures are the
engine's; the page's queries do not grow with the number of cases."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from docket.access import selectors
from docket.cases import interchange
from docket.cases import services as s
from docket.cases.acting import load
from docket.cases.models import Case
from docket.cases.services.interchange import case_import
from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.demo.testing import complaint
from docket.reports import overview

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reference-case.yaml"
VIEW = "2025-05-20T10:00:00-04:00"  # acknowledgements of complaints before 13 May are overdue
GRANTED = "2025-05-01T10:00:00-04:00"
UNTIL = "2030-01-01T00:00:00-05:00"
MANY = pytest.mark.parametrize("many", [False, True], ids=["few-cases", "many-cases"])


@pytest.fixture
def client_for(league, make_user) -> Callable[[str], Client]:
    def sign_in(key: str) -> Client:
        person = league.person(key)
        user = make_user()
        person.user = user
        person.save(update_fields=["user"])
        client = Client()
        client.force_login(user)
        return client

    return sign_in


def received(league, when: str, *, respondent: str = "R", acknowledged: bool = False) -> Case:  # type: ignore[no-untyped-def]
    """A complaint the NDC (where N6 sits from 2025) receives at ``when``: its
    acknowledgement, a duty of the NDC, is due seven days later."""
    p = league.person
    with frozen_at(at(when)):
        case = complaint(
            league, by="N7", received_by="ndc", respondent=respondent, account="An account."
        )
        if acknowledged:
            s.complaint_acknowledge(by=p("N7"), case=case.public_id)
    case.refresh_from_db()
    return case


def imported(league, reference: str, *grantees: str) -> Case:  # type: ignore[no-untyped-def]
    """The reference history (three violations; held by the SC) under ``reference``,
    with time-limited access granted by the SC (S5) to ``grantees``."""
    text = FIXTURE.read_text(encoding="utf-8").replace('"2013-004"', f'"{reference}"')
    parsed = interchange.parse(text, str(FIXTURE), FIXTURE.parent)
    case = case_import(parsed=parsed, recorded_by="test").case
    assert case is not None
    assert case.violations == 3
    with frozen_at(at(GRANTED)):
        for key in grantees:
            s.access_grant(
                by=league.person("S5"),
                case=case.public_id,
                person=league.person(key),
                until=at(UNTIL),
                reason="Oversight of the review.",
            )
    case.refresh_from_db()
    return case


def get(client: Client, query: str = "", when: str = VIEW) -> str:
    with frozen_at(at(when)):
        response = client.get("/reports/compliance" + query)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, name: str) -> str:
    start = html.index(f'data-testid="{name}"')
    return html[start : html.index("</section>", start)]


def listed(html: str, name: str) -> list[str]:
    """Public ids of the cases in a section, in order."""
    return re.findall(r'data-testid="row-([^"]+)"', section(html, name))


def cells(html: str, case: Case) -> dict[str, str]:
    row = re.search(rf'data-testid="row-{case.public_id}">(.*?)</tr>', html, re.S)
    assert row is not None
    found = re.findall(r'<td data-testid="([a-z]+)">(.*?)</td>', row.group(1), re.S)
    return {key: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for key, text in found}


@MANY
def test_an_overdue_duty_is_listed_however_many_other_cases_come_before_it(
    league, client_for, monkeypatch, many
):
    if many:  # as for a body holding thousands of cases: the queries check case by case
        monkeypatch.setattr(selectors, "MANY_CASES", 0)
    monkeypatch.setattr(overview, "OTHERS_PAGE", 2)
    # Five older complaints, acknowledged in time: nothing overdue, no violation.
    calm = [
        received(league, f"2025-04-0{day}T10:00:00-04:00", acknowledged=True) for day in range(1, 6)
    ]
    late = received(league, "2025-05-06T10:00:00-04:00")  # acknowledgement due 13 May
    client = client_for("N6")

    pages = [get(client, f"?page={n}") for n in (1, 2, 3)]
    for html in pages:  # on every page of the other cases, the overdue one comes first
        assert listed(html, "attention") == [late.public_id]
        assert cells(html, late)["overdue"] == "1 due since 13 May 2025"
        assert late.public_id not in section(html, "others")
    others = [listed(html, "others") for html in pages]
    assert [len(ids) for ids in others] == [2, 2, 1]
    # Most recently active first, each once.
    assert [i for ids in others for i in ids] == [c.public_id for c in reversed(calm)]
    assert 'rel="next"' in section(pages[0], "others")
    assert 'rel="prev"' not in section(pages[0], "others")
    assert 'rel="next"' not in section(pages[2], "others")
    assert "No more cases on this page." in get(client, "?page=9")

    # Before the acknowledgement is due, the case is among the others; once it is
    # acknowledged late, it is no longer overdue.
    before = get(client, when="2025-05-08T10:00:00-04:00")
    assert "No open case you follow has a violation or an overdue obligation." in before
    assert late.public_id in listed(before, "others")
    with frozen_at(at("2025-05-21T10:00:00-04:00")):
        s.complaint_acknowledge(by=league.person("N7"), case=late.public_id)
    after = get(client, when="2025-05-22T10:00:00-04:00")
    assert listed(after, "attention") == []
    assert late.public_id in listed(after, "others")


@MANY
def test_needs_attention_is_ordered_and_paged(league, client_for, monkeypatch, many):
    if many:
        monkeypatch.setattr(selectors, "MANY_CASES", 0)
    monkeypatch.setattr(overview, "ATTENTION_PAGE", 2)
    monkeypatch.setattr(overview, "OTHERS_PAGE", 1)
    broken = imported(league, "2013-004", "N6")
    newer = received(league, "2025-05-08T10:00:00-04:00")  # overdue since 15 May
    older = received(league, "2025-05-06T10:00:00-04:00")  # overdue since 13 May
    calm = [received(league, f"2025-04-0{day}T10:00:00-04:00", acknowledged=True) for day in (1, 2)]
    client = client_for("N6")

    first, second = get(client), get(client, "?attention=2")
    # Overdue longest first, then the case with violations and nothing overdue.
    assert listed(first, "attention") == [older.public_id, newer.public_id]
    assert listed(second, "attention") == [broken.public_id]
    assert 'rel="next"' in section(first, "attention")
    assert 'rel="next"' not in section(second, "attention")
    assert "No more cases on this page." in section(get(client, "?attention=3"), "attention")
    # Each list's pager keeps the other list's page.
    both = get(client, "?attention=2&page=2")
    assert listed(both, "others") == [calm[0].public_id]
    assert '?attention=1&amp;page=2"' in section(both, "attention")
    assert '?page=1&amp;attention=2"' in section(both, "others")
    # Nonsense page numbers answer the first page.
    nonsense = get(client, "?attention=-1&page=abc")
    assert listed(nonsense, "attention") == listed(first, "attention")


def test_the_figures_are_the_engines(league, client_for):
    broken = imported(league, "2013-004", "N6")
    late = received(league, "2025-05-06T10:00:00-04:00")
    client = client_for("N6")
    html = get(client)
    assert listed(html, "attention") == [late.public_id, broken.public_id]
    for case in (late, broken):
        evaluation = load(case, at=at(VIEW), lock=False).evaluation
        overdue = [o for o in evaluation.obligations if o.status == "overdue"]
        shown = cells(html, case)
        assert int(shown["overdue"].split()[0]) == len(overdue)
        assert shown["deviations"] == str(len(evaluation.deviations))
        clauses = ", ".join(sorted({v.clause for v in evaluation.violations}))
        assert shown["violations"] == (
            f"{len(evaluation.violations)} {clauses}" if evaluation.violations else "0"
        )
    assert cells(html, broken)["violations"] == "3 s.4.2, s.4.3, s.7.3"
    assert cells(html, late)["overdue"] == "1 due since 13 May 2025"


@MANY
def test_cases_not_followed_as_a_whole_are_never_listed(league, client_for, monkeypatch, many):
    if many:
        monkeypatch.setattr(selectors, "MANY_CASES", 0)
    p = league.person
    followed = received(league, "2025-05-06T10:00:00-04:00")
    as_party = received(league, "2025-05-06T11:00:00-04:00", respondent="N6")
    conflicted = received(league, "2025-05-06T12:00:00-04:00")
    with frozen_at(at("2025-05-07T10:00:00-04:00")):
        s.conflict_declare(by=p("N6"), case=conflicted.public_id, reasons="A friend.")
    # W1 is a witness in the reference history: a grant does not make them follow it.
    broken = imported(league, "2013-004", "W1")
    # Each of these is open, with an overdue duty or violations, and the person sits on
    # the body that holds it or holds a grant: only the whole-record rule keeps it out.
    with frozen_at(at(VIEW)):
        assert selectors.visible_cases(p("N6")).filter(pk=as_party.pk).exists()
        assert selectors.visible_cases(p("W1")).filter(pk=broken.pk).exists()

    chair = get(client_for("N6"))
    assert listed(chair, "attention") == [followed.public_id]
    assert listed(chair, "others") == []
    for case in (as_party, conflicted, broken):
        assert case.public_id not in chair
    witness = get(client_for("W1"))
    assert broken.public_id not in witness
    assert "No open case you follow has a violation or an overdue obligation." in witness
    assert "There are no other open cases for you to oversee." in witness


@MANY
def test_the_number_of_queries_does_not_grow_with_the_cases(league, client_for, monkeypatch, many):
    if many:
        monkeypatch.setattr(selectors, "MANY_CASES", 0)
    # Two cases: one with violations, one with nothing to report (every query of the
    # page runs).
    imported(league, "2013-004", "N6")
    received(league, "2025-04-01T10:00:00-04:00", acknowledged=True)
    client = client_for("N6")
    get(client)  # the session and caches warmed up

    def counted() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            html = get(client)
        return len(queries), html

    few, html = counted()
    assert (len(listed(html, "attention")), len(listed(html, "others"))) == (1, 1)
    for n in range(2, 4):  # more cases with violations, each shown with its clauses
        imported(league, f"2013-10{n}", "N6")
    for day in range(1, 5):  # overdue duties, and more other open cases
        received(league, f"2025-05-0{day}T10:00:00-04:00")
        received(league, f"2025-05-1{day}T10:00:00-04:00", acknowledged=True)
    assert Case.objects.count() == 12
    more, html = counted()
    assert (len(listed(html, "attention")), len(listed(html, "others"))) == (7, 5)
    assert html.count("s.4.2, s.4.3, s.7.3") == 3
    assert more <= few, (few, more)
