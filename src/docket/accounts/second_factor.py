"""Whether an account has a second factor: the one rule the pages and the API use.

A second factor is an authenticator that is one on its own: a TOTP app or a WebAuthn
key / passkey. Recovery codes alone do not count (they are a way back in, not a factor).
The web (``docket.web.mfa``, the administration pages) and the API (``docket.api.auth``)
both ask :func:`has_second_factor`; it lives here, in accounts, because both layers
already depend on accounts and neither depends on the other.

``DOCKET_DEMO_MFA_WAIVED`` (a setting, False unless set) waives the rule, only outside
production and only for callers that pass ``honour_demo_waiver=True``: the pages do, the
API does not (a token is checked against enrolled authenticators only). The shipped demo
does not use it — it enrolls a TOTP authenticator for each demo account instead (see
``docket.demo.cases``). See docs/access.md.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings

SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def demo_waiver_on() -> bool:
    return bool(getattr(settings, "DOCKET_DEMO_MFA_WAIVED", False)) and not getattr(
        settings, "PRODUCTION", False
    )


def has_second_factor(user: Any, *, honour_demo_waiver: bool) -> bool:
    """True when ``user`` is signed in and has a TOTP or WebAuthn authenticator, or, when
    ``honour_demo_waiver``, the demo waiver is on. Each caller says whether the waiver
    applies to it, so the difference between the pages and the API stays visible."""
    if not getattr(user, "is_authenticated", False):
        return False
    if honour_demo_waiver and demo_waiver_on():
        return True
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()
    )
