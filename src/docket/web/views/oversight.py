"""Oversight: the bodies a person sits on, and all the cases of a body they may see,
with compliance at a glance (violations, deviations, overdue obligations)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from docket.cases.models import CaseBody
from docket.core import clock
from docket.org.models import Body, Person, SeatTerm

from ..overview import Page, Scope, overview, page_of
from .common import viewer, with_org_zone
from .dashboard import page_number


def _my_bodies(person: Person, at: datetime) -> QuerySet[Body]:
    terms = SeatTerm.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=at), person=person, starts_at__lte=at
    )
    return Body.objects.filter(id__in=terms.values("seat__body_id")).select_related("unit")


@require_GET
@with_org_zone
def bodies(request: HttpRequest) -> HttpResponse:
    person = viewer(request)
    found = list(_my_bodies(person, clock.now())) if person else []
    return render(request, "web/bodies.html", {"bodies": found})


@require_GET
@with_org_zone
def body_cases(request: HttpRequest, public_id: str) -> HttpResponse:
    person = viewer(request)
    at = clock.now()
    body = _my_bodies(person, at).filter(public_id=public_id).first() if person else None
    if body is None or person is None:
        raise Http404("No such body.")
    linked = CaseBody.objects.filter(body=body, relation__in=("holder", "addressed"))
    scope = Scope.of(person, at)
    cases, number, has_next = page_of(
        scope, page_number(request), among=Q(pk__in=linked.values("case_id"))
    )
    page = Page(overview(scope, cases), number, has_next)
    return render(request, "web/body_cases.html", {"body": body, "rows": page.rows, "page": page})
