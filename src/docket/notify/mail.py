"""The messages notices become. What a message may say is fixed here and in the templates
under ``templates/notify/mail/``: that something needs attention, the case reference, a
due date, a link, and a party's receipt. Never a name, an allegation, a statement, a
decision's content, or anything else from the record. Subject lines say even less.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation

from docket.cases.models import Case
from docket.org.models import Organization

from .models import Notice

# Names the web area may give its case page; the first that resolves is used.
CASE_URL_NAMES = ("web:case", "web:case_detail")


def case_path(case: Case) -> str:
    for name in CASE_URL_NAMES:
        try:
            return reverse(name, args=[case.public_id])
        except NoReverseMatch:
            continue
    return f"/cases/{case.public_id}/"


def site_url() -> str:
    return str(getattr(settings, "DOCKET_SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


def org_zone() -> ZoneInfo:
    org = Organization.objects.only("time_zone").first()
    return ZoneInfo(org.time_zone if org else settings.TIME_ZONE)


def digest_hour() -> int:
    return int(getattr(settings, "DOCKET_NOTICE_DIGEST_HOUR", 8))


def _when(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    text = formats.date_format(local, "j F Y, H:i")
    return f"{text} ({local.tzname()})"


@dataclass(frozen=True)
class Line:
    kind: str
    reference: str
    due: str
    link: str
    receipt: dict[str, Any] | None


def _receipt_summary(receipt: dict[str, Any] | None) -> dict[str, Any] | None:
    if not receipt:
        return None
    statement = receipt.get("checkpoint", {}).get("statement", {})
    return {
        "seq": receipt.get("seq"),
        "hash": receipt.get("hash"),
        "checkpoint": f"{statement.get('seq')} ({statement.get('made_at')})",
    }


def _line(notice: Notice, zone: ZoneInfo) -> Line:
    case = notice.case
    return Line(
        kind=notice.kind,
        reference=case.reference or case.public_id,
        due=_when(notice.due_at, zone),
        link=site_url() + notice.path,
        receipt=_receipt_summary(notice.receipt),
    )


def _common() -> dict[str, Any]:
    return {"preferences_url": site_url() + reverse("notify:preferences")}


def _message(subject: str, body: str, address: str) -> EmailMessage:
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )


def _attach_receipts(message: EmailMessage, notices: list[Notice]) -> None:
    seen: set[tuple[str, object]] = set()
    for notice in notices:
        receipt = notice.receipt
        if not receipt or (receipt.get("stream"), receipt.get("seq")) in seen:
            continue
        seen.add((receipt.get("stream"), receipt.get("seq")))
        name = f"receipt-{notice.case.reference or notice.case.public_id}-{receipt.get('seq')}"
        message.attach(
            f"{name}.json", json.dumps(receipt, indent=2, sort_keys=True), "application/json"
        )


def notice_message(notice: Notice, address: str) -> EmailMessage:
    zone = org_zone()
    with translation.override(settings.LANGUAGE_CODE):
        context = {**_common(), "n": _line(notice, zone), "kind": notice.kind}
        subject = render_to_string("notify/mail/subject.txt", context)
        body = render_to_string("notify/mail/notice.txt", context)
    message = _message(subject, body, address)
    _attach_receipts(message, [notice])
    return message


def digest_message(notices: list[Notice], address: str) -> EmailMessage:
    zone = org_zone()
    with translation.override(settings.LANGUAGE_CODE):
        context = {**_common(), "notices": [_line(n, zone) for n in notices], "digest": True}
        subject = render_to_string("notify/mail/subject.txt", context)
        body = render_to_string("notify/mail/digest.txt", context)
    message = _message(subject, body, address)
    _attach_receipts(message, notices)
    return message
