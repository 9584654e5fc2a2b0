"""Showing the receipt code once, after a redirect (post/redirect/get), without keeping
it anywhere it could be read later.

The report form's POST files the report, then redirects to the receipt page, so that
refreshing the receipt page never files the report again. The code must cross that
redirect, and Docket promises never to store it. It crosses split in two: the session
(in the database) holds the code sealed with AES-256-GCM, and the key travels only in a
short-lived cookie, sent back to the receipt page alone. Neither half reveals the code:
a copy of the database has the ciphertext but not the key, and the browser's cookie has
the key but not the ciphertext. The receipt page opens it once and drops both halves; a
refresh then says the code was already shown.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

SESSION_KEY = "intake.receipt"
COOKIE = "docket_receipt_key"
AAD = b"docket.intake.receipt-handoff.v1"
LIFETIME = 300  # seconds: the redirect follows at once


def _path() -> str:
    return reverse("intake:received")


def hand_over(request: HttpRequest, response: HttpResponse, *, code: str, report: str) -> None:
    """Seal ``code`` into the session and set the key's cookie on ``response``."""
    key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, code.encode("utf-8"), AAD + report.encode())
    request.session.cycle_key()  # a fresh session id: nothing earlier can point at it
    request.session[SESSION_KEY] = {
        "sealed": base64.b64encode(nonce + sealed).decode("ascii"),
        "report": report,
    }
    response.set_cookie(
        COOKIE,
        base64.urlsafe_b64encode(key).decode("ascii"),
        max_age=LIFETIME,
        path=_path(),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )


def take(request: HttpRequest, response: HttpResponse) -> tuple[str | None, str | None]:
    """(code, report) once, right after ``hand_over``; (None, report) on a refresh, or
    when the code cannot be opened; (None, None) when nothing was handed over. The
    sealed code and the key's cookie are dropped at the first look; the session keeps
    only which report was received, so a refresh can say so."""
    stored = request.session.get(SESSION_KEY)
    key = request.COOKIES.get(COOKIE)
    response.delete_cookie(COOKIE, path=_path(), samesite="Strict")
    if not isinstance(stored, dict):
        return None, None
    report = str(stored.get("report", "")) or None
    request.session[SESSION_KEY] = {"report": report}
    sealed = stored.get("sealed")
    if not sealed or report is None:
        return None, report
    try:
        blob = base64.b64decode(str(sealed))
        raw_key = base64.urlsafe_b64decode(key or "")
        code = AESGCM(raw_key).decrypt(blob[:12], blob[12:], AAD + report.encode())
    except (ValueError, InvalidTag):
        return None, report
    return code.decode("utf-8"), report
