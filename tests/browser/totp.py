"""Authenticator codes for the browser tests, typed the way a person would."""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

# A code read in the last seconds of its period can reach the server in the next one,
# where it no longer counts: wait for a fresh period instead (a person would too).
MARGIN = 4.0


def code_now(secret: str) -> str:
    """The current code of the TOTP ``secret``, with at least ``MARGIN`` seconds of its
    period left."""
    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < MARGIN:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
