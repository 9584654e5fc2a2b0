"""The one second-factor rule (docket.accounts.second_factor): which authenticators
count, and that the demo waiver applies only to callers that ask for it."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser

from docket.accounts.second_factor import has_second_factor


def _enrol(user: Any, kind: str) -> None:
    Authenticator.objects.create(user=user, type=kind, data={"seed": "00", "used_mask": 0})


@pytest.mark.parametrize("waiver", [True, False])
def test_totp_and_webauthn_count_recovery_codes_do_not(make_user: Any, waiver: bool) -> None:
    codes_only, totp, key = make_user(), make_user(), make_user()
    _enrol(codes_only, Authenticator.Type.RECOVERY_CODES)
    _enrol(totp, Authenticator.Type.TOTP)
    _enrol(key, Authenticator.Type.WEBAUTHN)
    assert not has_second_factor(codes_only, honour_demo_waiver=waiver)
    assert has_second_factor(totp, honour_demo_waiver=waiver)
    assert has_second_factor(key, honour_demo_waiver=waiver)
    assert not has_second_factor(AnonymousUser(), honour_demo_waiver=waiver)


def test_the_demo_waiver_applies_only_when_honoured(make_user: Any, settings: Any) -> None:
    user = make_user()
    settings.DOCKET_DEMO_MFA_WAIVED = True
    assert has_second_factor(user, honour_demo_waiver=True)
    assert not has_second_factor(user, honour_demo_waiver=False)
    assert not has_second_factor(AnonymousUser(), honour_demo_waiver=True)


def test_the_demo_waiver_is_ignored_in_production(make_user: Any, settings: Any) -> None:
    user = make_user()
    settings.DOCKET_DEMO_MFA_WAIVED = True
    settings.PRODUCTION = True
    assert not has_second_factor(user, honour_demo_waiver=True)
