"""The dashboard: my cases by role, what is due from me and when, what is overdue, and
recent activity — all through the one access selector."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from docket.access.selectors import visible_cases
from docket.core import clock
from docket.events.registry import event_type

from ..overview import overview
from .common import viewer, with_org_zone

LIMIT = 200  # cases listed; the rest through the body pages


@require_GET
@with_org_zone
def dashboard(request: HttpRequest) -> HttpResponse:
    person = viewer(request)
    at = clock.now()
    rows = []
    if person is not None:
        cases = list(visible_cases(person, at).select_related("protocol", "holding_body")[:LIMIT])
        rows = overview(person, cases, at)
    due = sorted(((o, row) for row in rows for o in row.mine), key=lambda pair: pair[0].due)
    groups = [
        (key, title, [r for r in rows if r.group == key])
        for key, title in (
            ("party", "As a party or advocate"),
            ("panel", "On a panel or investigating"),
            ("body", "Through a body you sit on"),
            ("other", "Other cases"),
        )
    ]
    activity = sorted(
        (
            (e, row, event_type(e.type).summary)
            for row in rows
            if row.full_record
            for e in row.events[-5:]
        ),
        key=lambda item: item[0].occurred_at,
        reverse=True,
    )[:10]
    return render(
        request,
        "web/dashboard.html",
        {
            "person": person,
            "rows": rows,
            "groups": [g for g in groups if g[2]],
            "due": [(o, r) for o, r in due if o.status == "open"],
            "overdue": [(o, r) for r in rows for o in r.overdue if r.full_record or o in r.mine],
            "activity": activity,
            "party_updates": [r for r in rows if r.party],
        },
    )
