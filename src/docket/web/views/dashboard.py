"""The dashboard: what is due from me and what is overdue, the reports waiting in the
intake queue (for intake officers), my cases a page at a time by the part I play, and
recent activity — cases all through the one access selector."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from docket.accounts.permissions import is_administrator
from docket.core import clock
from docket.intake.routing import waiting_for

from ..overview import Page, Scope, attention, overview, page_of, recent_activity
from .common import viewer, with_org_zone

GROUPS = (
    ("party", "As a party or advocate"),
    ("panel", "On a panel or investigating"),
    ("body", "Through a body you sit on"),
    ("other", "Other cases"),
)


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


@require_GET
@with_org_zone
def dashboard(request: HttpRequest) -> HttpResponse:
    person = viewer(request)
    at = clock.now()
    context: dict[str, object] = {
        "person": person,
        "groups": [],
        "due": [],
        "overdue": [],
        "administrator": is_administrator(request.user),
    }
    if person is not None:
        scope = Scope.of(person, at)
        cases, number, has_next = page_of(scope, page_number(request))
        page = Page(overview(scope, cases), number, has_next)
        due, overdue = attention(scope)
        groups = [(key, title, [r for r in page.rows if r.group == key]) for key, title in GROUPS]
        context.update(
            page=page,
            groups=[g for g in groups if g[2]],
            due=due,
            overdue=overdue,
            reports=waiting_for(person, at, seated=bool(scope.seats)),
            activity=recent_activity(page.rows) if number == 1 else [],
        )
    return render(request, "web/dashboard.html", context)
