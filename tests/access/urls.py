"""Docket's own URLs plus one probe used only by the access tests.

The probe answers a signed-in person's request for a case exactly the way every case
page must: through ``case_for`` (404 for a case they may not see). The revocation tests
ask both the probe and the real case page, so they hold even before the pages exist.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from docket.access.selectors import case_for
from docket.core.errors import NotFound
from docket.org.selectors import person_for_user
from docket.urls import urlpatterns as docket_urlpatterns


def probe(request: HttpRequest, public_id: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        standing = case_for(person_for_user(request.user), public_id)
    except NotFound:
        raise Http404("No such case.") from None
    return HttpResponse(f"case {standing.case.reference} {standing.case.public_id}")


urlpatterns = [
    path("__access-probe__/cases/<str:public_id>/", probe, name="access-probe"),
    *docket_urlpatterns,
]
