"""Event types of the intake area: one ledger stream ``intake:<report public id>`` per report.

Payloads carry no confidential content and nothing that identifies the reporter or the
person reported: what happened, who is named, and the reporter's identity or contact
details live only in encrypted content items, referenced by id (``*_ref``). The
reporter acts as ``reporter:<report id>`` in capacity ``reporter``; officers act under
their person's public id in capacity ``body:<key>``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from docket.events.registry import Key, Payload, PublicId, Ref, register

ReporterRole = Literal["affected", "witness", "third_party"]
Wish = Literal["record_only", "contact", "formal"]
Contact = Literal["none", "this_page", "email", "phone"]


@register("report.received", "A report came in through the reporting page", stream="intake")
class ReportReceived(Payload):
    reporter_role: ReporterRole
    wants: Wish
    contact: Contact
    anonymous: bool  # True when the reporter gave no name and no contact details
    content_ref: Ref
    protocol_id: Key
    protocol_version: int
    unit: PublicId | None = None  # public id of the unit the report is addressed to
    acknowledge_days: int = Field(ge=0, le=3650)
    materials: list[Ref] = []


@register("report.acknowledged", "An intake officer acknowledged the report", stream="intake")
class ReportAcknowledged(Payload):
    body: Key  # body key the officer acted for


@register("message.sent", "A message between the reporter and the intake officers", stream="intake")
class MessageSent(Payload):
    direction: Literal["to_officers", "to_reporter"]
    message_ref: Ref


@register("material.added", "The reporter added material to the report", stream="intake")
class MaterialAdded(Payload):
    item_ref: Ref


@register("report.wish_changed", "The reporter changed what they want done", stream="intake")
class ReportWishChanged(Payload):
    wants: Wish


@register("report.converted", "A case was begun from the report", stream="intake")
class ReportConverted(Payload):
    case: PublicId  # public id of the case
    body: Key


@register("report.declined", "The intake officers decided not to proceed", stream="intake")
class ReportDeclined(Payload):
    body: Key
    reasons_ref: Ref
