"""What every page of the web area shares: the signed-in person, the organization's
time zone, and the translation of Docket's errors into answers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from docket.core.errors import NotFound
from docket.org.models import Organization, Person
from docket.org.selectors import person_for_user


def with_org_zone(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in; dates shown and typed in the organization's time zone; a case or body
    the person may not see answers 404, exactly like one that does not exist."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The person and the organization in one query; ``viewer`` reuses the person.
        person = person_for_user(request.user)
        request._docket_viewer = person  # type: ignore[attr-defined]
        org = person.organization if person else Organization.objects.only("time_zone").first()
        timezone.activate(org.time_zone if org else "UTC")
        try:
            return view(request, *args, **kwargs)
        except NotFound as missing:
            raise Http404(missing.message) from None
        finally:
            timezone.deactivate()

    return wrapped


def viewer(request: HttpRequest) -> Person | None:
    if hasattr(request, "_docket_viewer"):  # read by ``with_org_zone``
        return request._docket_viewer  # type: ignore[no-any-return]
    return person_for_user(request.user)


def viewer_or_404(request: HttpRequest) -> Person:
    person = viewer(request)
    if person is None:
        raise Http404("No such case.")
    return person
