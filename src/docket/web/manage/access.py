"""Who may use the administration pages, and how they are named on the record.

Who is an administrator is decided by ``docket.accounts.permissions.is_administrator``,
the rule the API uses too (see docs/administration.md). Anonymous visitors are sent to
sign in; signed-in people who are not administrators get 403; administrators without an
enrolled second factor (a TOTP app or a WebAuthn key, as
``docket.accounts.second_factor`` decides) are sent to the page that explains how to
add one. Being an administrator gives no access to any case: case visibility comes only
from ``docket.access.selectors``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from docket.accounts.permissions import is_administrator
from docket.accounts.second_factor import has_second_factor
from docket.org.models import Organization
from docket.org.selectors import person_for_user
from docket.web.mfa import to_authenticator_page

CAPACITY = "administrator"

View = Callable[..., HttpResponse]


def administrator_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_administrator(request.user):
            raise PermissionDenied("Administrators only.")
        if not has_second_factor(request.user, honour_demo_waiver=True):
            # Administrators change who may see what: a second factor is required.
            return to_authenticator_page(request)
        # Dates on these pages are shown in the organization's time zone.
        org = Organization.objects.only("time_zone").first()
        if org is None:
            return view(request, *args, **kwargs)
        with timezone.override(org.time_zone):
            return view(request, *args, **kwargs)

    return wrapped


def actor(request: HttpRequest) -> str:
    """The administrator as named in the ledger: their person's public id when they have
    one, else their account number (never an email address: the ledger is forever)."""
    person = person_for_user(request.user)
    if person is not None:
        return f"person:{person.public_id}"
    return f"account:{request.user.pk}"
