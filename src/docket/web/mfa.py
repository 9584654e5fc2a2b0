"""The rule "multi-factor authentication before confidential content", on the pages.

A person reads decrypted statements, evidence, notices or identities only after they
have enrolled a second factor (a TOTP app or a WebAuthn key / passkey), as decided by
``docket.accounts.second_factor.has_second_factor``; the pages honour the demo waiver.
Views that decrypt are wrapped in :func:`mfa_required`; anyone without such an
authenticator is sent to a page that explains why and links to the setup.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from docket.accounts.second_factor import has_second_factor


def to_authenticator_page(request: HttpRequest) -> HttpResponse:
    """Send the person to the page that explains why a second factor is needed and
    links to its setup, and back here afterwards."""
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('web:mfa_needed')}?{query}")


def mfa_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view that decrypts content: sign-in first, then an enrolled authenticator."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_second_factor(request.user, honour_demo_waiver=True):
            return to_authenticator_page(request)
        return view(request, *args, **kwargs)

    return wrapped
