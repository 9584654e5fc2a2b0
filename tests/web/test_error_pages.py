"""The error pages (issue 20): 400, 403 (and an expired form), 404 and 500 are Docket's
own pages in its layout, in calm second-person words, and say that nothing was changed;
a hidden case and a missing one still get the very same 404 page."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db

LAYOUT = ('class="skip-link"', "docket/docket.css", 'id="main"')


def _in_layout(html: str) -> None:
    for part in LAYOUT:
        assert part in html, part
    assert "Go to your dashboard" in html


def test_a_missing_page_is_docket_s_404() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    _in_layout(html)
    assert "We can&#x27;t find that page" in html or "We can't find that page" in html


def test_a_hidden_case_and_a_missing_one_get_the_same_page(small, client_for) -> None:
    client = client_for("BC1")  # sees nothing of the Harbor case
    hidden = client.get(f"/cases/{small.public_id}/")
    missing = client.get("/cases/ZZZZZZZZZZZZZZZZ/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content  # byte for byte: no form, no token
    _in_layout(hidden.content.decode())


def test_an_expired_form_says_so_and_that_nothing_was_saved() -> None:
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    _in_layout(html)
    assert "This form has expired" in html
    assert "Nothing was sent or saved." in html


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (defaults.server_error, 500, "Something went wrong on our side"),
        (defaults.bad_request, 400, "We couldn"),
        (defaults.permission_denied, 403, "You can"),
    ],
)
def test_the_other_error_pages_are_in_the_layout(view, status, heading) -> None:
    request = RequestFactory().get("/")
    response = (
        view(request) if view is defaults.server_error else view(request, exception=Exception())
    )
    assert response.status_code == status
    html = response.content.decode()
    _in_layout(html)
    assert heading in html
