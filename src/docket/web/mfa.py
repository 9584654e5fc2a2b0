"""The rule "multi-factor authentication before confidential content".

A person reads decrypted statements, evidence, notices or identities only after they
have enrolled an authenticator that is a second factor on its own: a TOTP app or a
WebAuthn key / passkey. Recovery codes alone do not count (they are a way back in, not
a factor). Views that decrypt are wrapped in :func:`mfa_required`; anyone without such
an authenticator is sent to a page that explains why and links to the setup.

``DOCKET_DEMO_MFA_WAIVED`` (a setting, False unless set) is honoured only outside
production; the shipped demo does not use it — it enrolls a TOTP authenticator for each
demo account instead (see ``docket.demo.cases``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

READING_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def mfa_waived() -> bool:
    return bool(getattr(settings, "DOCKET_DEMO_MFA_WAIVED", False)) and not getattr(
        settings, "PRODUCTION", False
    )


def may_read_content(user: Any) -> bool:
    """True when ``user`` has a TOTP or WebAuthn authenticator (or the demo waiver)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if mfa_waived():
        return True
    return bool(Authenticator.objects.filter(user_id=user.pk, type__in=READING_TYPES).exists())


def mfa_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view that decrypts content: sign-in first, then an enrolled authenticator."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_read_content(request.user):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('web:mfa_needed')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
