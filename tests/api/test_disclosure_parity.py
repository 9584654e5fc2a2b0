"""Acceptance (issue 17): one disclosure rule. For every person of the demo organization
and every sealed item of every demo case (the reference case 2013-004 as it stands
after the 2019 review, and the 2026 cases at three stages), the web and the API give the
same answer to "may I read this?", and it is the answer of ``docket.access.disclosure``:
the web's download (200 or 404), the API's content read (200 or 404), and the rule's
``may_read`` agree. The documents page lists exactly the rule's readable items. Each read
is journaled under the one capacity ``reading_capacity`` gives.

The answers are written down first for the people the issue names: on the reference
case, the respondent reads his own answer, the written notice of the allegations and
the reasons of each decision through the API as on the web; the complainant's advocate
reads the statement she filed.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from docket.access import disclosure
from docket.access.selectors import case_for
from docket.cases.acting import load
from docket.cases.models import Case
from docket.core.errors import NotFound
from docket.crypto.models import ContentItem
from docket.demo import load_demo
from docket.ledger.models import JournalEntry
from docket.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(keys: Any) -> Any:
    return load_demo()


@pytest.fixture
def clients(demo: Any, token_for: Any) -> dict[str, tuple[Client, Any]]:
    """A signed-in page client and an API client for every person with an account."""
    from .conftest import Api, enrol_mfa

    made: dict[str, tuple[Client, Any]] = {}
    for person in Person.objects.exclude(user=None).select_related("user"):
        if not Authenticator.objects.filter(user=person.user, type="totp").exists():
            enrol_mfa(person.user)
        web = Client()
        web.force_login(person.user)
        made[person.public_id] = (web, Api(token_for(person.user, "cases:read")))
    return made


def _answers(case: Case, person: Person, web: Client, api: Any) -> dict[str, tuple[int, int]]:
    items = ContentItem.objects.filter(stream=case.stream).values_list("public_id", flat=True)
    found = {}
    for item in items:
        page = web.get(f"/cases/{case.public_id}/documents/{item}/download/")
        answer = api.get(f"/cases/{case.public_id}/content/{item}")
        found[item] = (page.status_code, answer.status_code)
    return found


def test_the_web_the_api_and_the_rule_agree_for_every_person_and_item(demo, clients) -> None:
    cases = list(Case.objects.exclude(reference=""))
    assert {c.reference for c in cases} >= {"2013-004", "2026-001", "2026-002", "2026-003"}
    checked = readers = 0
    for case in cases:
        ctx = load(case, lock=False)
        for person in Person.objects.exclude(user=None):
            web, api = clients[person.public_id]
            answers = _answers(case, person, web, api)
            try:
                standing = case_for(person, case.public_id)
            except NotFound:  # not their case: neither interface reads anything of it
                assert set(answers.values()) <= {(404, 404)}, (person, case.reference)
                continue
            readers += 1
            listed = {
                r.item
                for r in disclosure.readable_items(standing, ctx.evaluation.state, ctx.events)
            }
            for item, (on_web, on_api) in answers.items():
                rule = disclosure.may_read(standing, ctx.evaluation.state, ctx.events, item)
                expected = 200 if rule else 404
                assert (on_web, on_api) == (expected, expected), (
                    person.display_name,
                    case.reference,
                    item,
                )
                if not standing.full_record:
                    assert rule == (item in listed)
                checked += 1
            # The documents page shows one panel per readable item of the case.
            page = web.get(f"/cases/{case.public_id}/documents/").content.decode()
            assert page.count('<article class="panel document"') == len(listed & set(answers))
    assert readers >= 20
    assert checked >= 300


def _person(name: str) -> Person:
    return Person.objects.get(display_name=name)


def _kinds(standing: Any) -> dict[str, str]:
    ctx = load(standing.case, lock=False)
    return {
        r.item: r.source
        for r in disclosure.readable_items(standing, ctx.evaluation.state, ctx.events)
    }


def test_the_respondent_reads_what_the_issue_says_he_could_not(demo, clients) -> None:
    case = Case.objects.get(reference="2013-004")
    robin = _person("Robin Hale")
    standing = case_for(robin, case.public_id)
    sources = _kinds(standing)
    # Written down before the run: his answer, the notice, each decision's reasons.
    events = load(case, lock=False).events
    reasons = {e.payload["rationale_ref"] for e in events if e.type == "decision.issued"}
    answer = {e.payload["item"] for e in events if e.type == "response.received"}
    notice = {e.payload["notice_ref"] for e in events if e.type == "charges.served"}
    assert reasons
    assert answer
    assert notice
    assert reasons | answer | notice <= set(sources)
    _, api = clients[robin.public_id]
    for item in sources:
        assert api.get(f"/cases/{case.public_id}/content/{item}").status_code == 200


def test_the_complainant_s_advocate_reads_the_statement_she_filed(demo, clients) -> None:
    case = Case.objects.get(reference="2013-004")
    advocate = _person("Complainant's advocate")
    standing = case_for(advocate, case.public_id)
    state = load(case, lock=False).evaluation.state
    filed = [m.id for m in state.material.values() if m.kind == "complainant_statement"]
    assert filed
    _, api = clients[advocate.public_id]
    for item in filed:
        assert api.get(f"/cases/{case.public_id}/content/{item}").status_code == 200
    assert set(filed) <= set(_kinds(standing))


def test_a_witness_reads_only_their_own_statement(demo, clients) -> None:
    case = Case.objects.get(reference="2013-004")
    petra = _person("Petra Lind")
    standing = case_for(petra, case.public_id)
    state = load(case, lock=False).evaluation.state
    own = {m.id for m in state.material.values() if m.author == petra.public_id}
    assert own
    assert set(_kinds(standing)) == own


def test_each_read_is_journaled_under_one_capacity_on_both_interfaces(demo, clients) -> None:
    case = Case.objects.get(reference="2013-004")
    robin = _person("Robin Hale")
    standing = case_for(robin, case.public_id)
    item = next(iter(_kinds(standing)))
    web, api = clients[robin.public_id]
    last = JournalEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    assert web.get(f"/cases/{case.public_id}/documents/{item}/download/").status_code == 200
    assert api.get(f"/cases/{case.public_id}/content/{item}").status_code == 200
    capacities = list(
        JournalEntry.objects.filter(seq__gt=last, reader=robin.public_id).values_list(
            "capacity", flat=True
        )
    )
    assert capacities == ["respondent", "respondent"]
    assert disclosure.reading_capacity(standing) == "respondent"
