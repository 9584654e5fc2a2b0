"""Action forms: success, the engine's refusal shown, refusal by access (404 like a
missing case), bad input that changes nothing, "the case changed", and confirmation
before steps that cannot be undone."""

from __future__ import annotations

import pytest

from docket.cases.models import Case
from docket.core.clock import frozen_at
from docket.demo.reference_live import at

from .conftest import head
from .test_pages import MARCH, get, post

pytestmark = pytest.mark.django_db


def url(case: Case, action: str) -> str:
    return f"/cases/{case.public_id}/act/{action}/"


def test_a_step_succeeds_and_goes_on_the_record(small, client_for):
    client = client_for("N1")
    form = get(client, url(small, "add_note"))
    assert form.status_code == 200
    seq = head(small)
    done = post(
        client, url(small, "add_note"), {"expect_seq": seq, "label": "Call", "text": "Phoned W1."}
    )
    assert done.status_code == 302
    assert head(small) == seq + 1
    with frozen_at(MARCH):
        page = client.get(done["Location"]).content.decode()
    assert "A procedural note was added" in page
    assert "Done: add a procedural note." in page


def test_a_refused_step_changes_nothing_and_says_why(small, client_for):
    seq = head(small)
    response = post(
        client_for("N1"),
        url(small, "open_vote"),
        {"expect_seq": seq, "motion": "Recommend expulsion", "sanction": "expulsion"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="refusal"' in html
    assert "s.4.2" in html
    assert "s.4.3" in html
    assert 'value="Recommend expulsion"' in html  # what was typed is kept
    assert head(small) == seq


def test_a_person_without_access_gets_404_like_a_missing_case(small, client_for):
    seq = head(small)
    client = client_for("BC1")
    hidden = post(client, url(small, "add_note"), {"expect_seq": seq, "text": "x"})
    missing = post(
        client, "/cases/NOSUCHCASE000000/act/add_note/", {"expect_seq": seq, "text": "x"}
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert head(small) == seq


def test_bad_input_changes_nothing_and_keeps_what_was_typed(small, client_for):
    seq = head(small)
    response = post(
        client_for("N1"), url(small, "add_note"), {"expect_seq": seq, "label": "Kept", "text": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="form-errors"' in html
    assert 'value="Kept"' in html
    assert head(small) == seq
    unknown = post(client_for("N1"), url(small, "open_vote"), {"expect_seq": "x", "motion": "m"})
    assert unknown.status_code == 400
    assert get(client_for("N1"), url(small, "no_such_step")).status_code == 404


def test_a_stale_page_gets_the_case_changed_message(small, client_for):
    seq = head(small)
    response = post(
        client_for("N1"), url(small, "add_note"), {"expect_seq": seq - 1, "text": "Late."}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="changed"' in html
    assert "Late." in html
    assert f'value="{seq}"' in html  # the form now carries the current head
    assert head(small) == seq


def test_irreversible_steps_ask_for_confirmation_first(small, client_for):
    seq = head(small)
    client = client_for("N1")
    data = {"expect_seq": seq, "disposition": "withdrawn", "reasons": "Withdrawn by C."}
    first = post(client, url(small, "close_case"), data)
    assert 'data-testid="confirm"' in first.content.decode()
    assert head(small) == seq
    back = post(client, url(small, "close_case"), {**data, "confirmed": "no"})
    assert 'data-testid="confirm"' not in back.content.decode()
    assert head(small) == seq
    done = post(client, url(small, "close_case"), {**data, "confirmed": "yes"})
    assert done.status_code == 302
    assert head(small) == seq + 1
    assert small.closed


def test_a_party_names_an_advocate_and_chooses_how_to_take_part(small, client_for, league):
    client = client_for("R")
    seq = head(small)
    response = post(
        client,
        url(small, "name_advocate"),
        {"expect_seq": seq, "party": "respondent", "advocate": "L-0877"},
    )
    assert response.status_code == 302
    other_side = post(
        client,
        url(small, "name_advocate"),
        {"expect_seq": seq + 1, "party": "complainant", "advocate": "L-0877"},
    )
    assert other_side.status_code == 400  # only their own side is offered
    choose = post(
        client,
        url(small, "choose_participation"),
        {"expect_seq": seq + 1, "party": "respondent", "choice": "take_part"},
    )
    assert choose.status_code == 302


def test_the_deviation_form_lets_an_empowered_body_deviate(run, client_for, league):
    """The SC may deviate from s.7.3: its members see the deviation fields."""
    when = at("2019-03-27T10:00:00-04:00")
    client = client_for("S5")
    form = get(client, url(run.case, "add_note"), when=when).content.decode()
    assert "Deviate from the protocol" not in form  # add_note takes no deviation
    refer = get(client, url(run.case, "refer_case"), when=when).content.decode()
    assert "Justification for the deviation" in refer
