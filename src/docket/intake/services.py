"""Intake services: one function per action, each one transaction.

Reporters act without an account: the public pages call :func:`report_submit` (which
returns the receipt code, shown once) and, after :func:`receipt_check` has matched a
code, the reporter's functions with the report's public id. Intake officers act as a
``Person``; every officer function finds the report through ``routing.report_for`` (the
same "not found" for a report they may not see) and appends to the report's stream.

Everything a reporter writes is sealed with ``docket.crypto`` under the report's own
data key (stream ``intake:<id>``); the ledger holds only references to it. Every read
of it goes to the access journal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from docket.cases.models import Case
from docket.cases.protocols import parsed, protocol_in_force
from docket.core import clock
from docket.core.errors import InvalidInput, NotFound, PermissionDenied
from docket.core.ids import public_id
from docket.crypto.models import ContentItem
from docket.crypto.services import content_put, content_read, content_read_many
from docket.crypto.uploads import PreparedEvidence
from docket.intake import receipts
from docket.intake.blind_index import normalize_name, subject_tokens
from docket.intake.models import IntakeReport
from docket.intake.projection import refresh
from docket.intake.ratelimit import rate_check, rate_count, rate_hit
from docket.intake.routing import ReportAccess, acknowledge_rule, intake_protocol, report_for
from docket.intake.subjects import index_matter, person_tokens
from docket.ledger.models import LedgerEvent
from docket.ledger.selectors import stream_events
from docket.ledger.services import ledger_append
from docket.org.models import Membership, Person, Unit

ROLES = ("affected", "witness", "third_party")
WISHES = ("record_only", "contact", "formal")
CONTACTS = ("none", "this_page", "email", "phone")
LIMITS = {
    "what": 20_000,
    "when": 500,
    "where": 500,
    "subject_name": 200,
    "subject_number": 40,
    "subject_description": 2_000,
    "reporter_name": 200,
    "contact_details": 300,
    "message": 10_000,
    "reasons": 10_000,
    "category": 80,
    "rule": 200,
    "summary": 5_000,
}
MAX_FILES_PER_SUBMISSION = 5
MAX_MATERIALS = 30
REPORTER_CAPACITY = "reporter"


class ReceiptUnknown(NotFound):
    code = "intake.receipt_unknown"


class ReportClosed(PermissionDenied):
    code = "intake.report_closed"


class RecordOnly(PermissionDenied):
    code = "intake.record_only"


def reporter_actor(report: str) -> str:
    return f"reporter:{report}"


def _text(value: str, field: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"Please fill in {field.replace('_', ' ')}.", data={"field": field})
    limit = LIMITS[field]
    if len(text) > limit:
        raise InvalidInput(
            f"That is longer than we can take ({limit:,} characters at most).",
            code="input.too_long",
            data={"field": field, "limit": limit},
        )
    return text


def _choice(value: str, field: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise InvalidInput("Please choose one of the options.", data={"field": field})
    return value


def _seal(report_id: str, kind: str, data: bytes, author: str, capacity: str, **extra: Any) -> str:
    item = content_put(
        stream=f"intake:{report_id}",
        kind=kind,
        data=data,
        author=author,
        capacity=capacity,
        **extra,
    )
    return item.public_id


def _append(
    report: IntakeReport | str, type: str, actor: str, capacity: str, payload: dict[str, Any]
) -> LedgerEvent:
    stream = report.stream if isinstance(report, IntakeReport) else f"intake:{report}"
    return ledger_append(stream=stream, type=type, actor=actor, capacity=capacity, payload=payload)


def _locked(report_id: str) -> IntakeReport:
    return (
        IntakeReport.objects.select_for_update().select_related("protocol").get(public_id=report_id)
    )


# --- the public form ----------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    person: Person | None
    how: str  # "number", "name" or ""


def match_member(*, number: str, name: str) -> Match:
    """Find the member a report names, server side. Never tells the reporter."""
    if number:
        membership = (
            Membership.objects.filter(member_number__iexact=number.strip())
            .select_related("person")
            .first()
        )
        if membership is not None:
            return Match(membership.person, "number")
    wanted = normalize_name(name)
    if len(wanted.split()) >= 2:
        found = [
            m.person
            for m in Membership.objects.select_related("person").filter(person__pseudonymous=False)
            if normalize_name(m.person.display_name) == wanted
        ]
        if len(found) == 1:
            return Match(found[0], "name")
    return Match(None, "")


@dataclass(frozen=True)
class Submitted:
    report: IntakeReport
    code: str  # the receipt code: show it once, never store it


def report_submit(
    *,
    client: str,
    reporter_role: str,
    what: str,
    wants: str,
    contact: str,
    subject_name: str = "",
    subject_number: str = "",
    subject_description: str = "",
    when: str = "",
    where: str = "",
    reporter_name: str = "",
    contact_details: str = "",
    unit: Unit | None = None,
    attachments: Sequence[PreparedEvidence] = (),
) -> Submitted:
    """Receive a report from the public page; returns the receipt code (shown once).
    Only reports received count against the client's limit: a refused form costs
    nothing, so a reporter who corrects a mistake is never locked out for it."""
    rate_check("report", client)
    reporter_role = _choice(reporter_role, "reporter_role", ROLES)
    wants = _choice(wants, "wants", WISHES)
    contact = _choice(contact, "contact", CONTACTS)
    what = _text(what, "what", required=True)
    fields = {
        "subject_name": _text(subject_name, "subject_name"),
        "subject_number": _text(subject_number, "subject_number"),
        "subject_description": _text(subject_description, "subject_description"),
        "when": _text(when, "when"),
        "where": _text(where, "where"),
        "reporter_name": _text(reporter_name, "reporter_name"),
        "contact_details": _text(contact_details, "contact_details"),
    }
    if not (fields["subject_name"] or fields["subject_number"] or fields["subject_description"]):
        raise InvalidInput(
            "Please tell us anything that helps us know who they are: a name, a member "
            "number, or a few words such as their role or what they looked like.",
            data={"field": "subject_description"},
        )
    if contact in ("email", "phone") and not fields["contact_details"]:
        raise InvalidInput(
            "Please give the address or number you would like us to use.",
            data={"field": "contact_details"},
        )
    if len(attachments) > MAX_FILES_PER_SUBMISSION:
        raise InvalidInput(
            f"Please attach at most {MAX_FILES_PER_SUBMISSION} files; you can add more later.",
            data={"field": "attachments"},
        )
    version = intake_protocol()
    protocol = parsed(version)
    match = match_member(number=fields["subject_number"], name=fields["subject_name"])
    if unit is None and match.person is not None:
        unit = _unit_of(match.person)
    anonymous = not (fields["reporter_name"] or fields["contact_details"])
    ident = public_id()
    code = receipts.new_code()
    lookup, slow = receipts.make_credential(code)
    actor = reporter_actor(ident)
    document = {
        "version": 1,
        "reporter": {
            "role": reporter_role,
            "name": fields["reporter_name"],
            "contact": contact,
            "contact_details": fields["contact_details"],
        },
        "subject": {
            "name": fields["subject_name"],
            "member_number": fields["subject_number"],
            "description": fields["subject_description"],
            "matched_member": match.person.public_id if match.person else None,
            "matched_by": match.how,
        },
        "what": what,
        "when": fields["when"],
        "where": fields["where"],
        "wants": wants,
    }
    with transaction.atomic():
        content_ref = _seal(
            ident,
            "report",
            json.dumps(document, ensure_ascii=False).encode("utf-8"),
            actor,
            REPORTER_CAPACITY,
            media_type="application/json",
        )
        materials = [
            _seal(
                ident,
                "evidence",
                a.data,
                actor,
                REPORTER_CAPACITY,
                media_type=a.media_type,
                filename=a.filename,
            )
            for a in attachments
        ]
        event = _append(
            ident,
            "report.received",
            actor,
            REPORTER_CAPACITY,
            {
                "reporter_role": reporter_role,
                "wants": wants,
                "contact": contact,
                "anonymous": anonymous,
                "content_ref": content_ref,
                "protocol_id": version.protocol_id,
                "protocol_version": version.version,
                "unit": unit.public_id if unit else None,
                "acknowledge_days": acknowledge_rule(protocol).days,
                "materials": materials,
            },
        )
        report = IntakeReport(
            public_id=ident,
            protocol=version,
            unit=unit,
            receipt_lookup=lookup,
            receipt_hash=slow,
        )
        refresh(report, [event])
        names = tuple(n for n in (fields["subject_name"],) if n)
        if match.person is not None and not match.person.pseudonymous:
            names += (match.person.display_name,)
        index_matter(
            "report",
            ident,
            subject_tokens(member=match.person.public_id if match.person else None, names=names),
        )
        rate_count("report", client)  # received: it counts, with the report it counts for
    return Submitted(report, code)


def _unit_of(person: Person) -> Unit | None:
    from docket.org.selectors import unit_at

    return unit_at(person)


# --- the reporter's way back ---------------------------------------------------------------


def receipt_check(*, code: str, client: str) -> str:
    """The public id of the report ``code`` opens, or ``intake.receipt_unknown`` — the
    same answer, after the same work, for a wrong code and one that matches nothing."""
    rate_hit("follow_ip", client)
    normal = receipts.normalize(code)
    prefix = normal[: receipts.PREFIX] if normal else (code or "")[:40]
    rate_hit("follow_receipt", prefix)
    candidates: list[tuple[str, str]] = []
    if normal is not None:
        candidates = list(
            IntakeReport.objects.filter(receipt_lookup=receipts.lookup_key(normal)).values_list(
                "public_id", "receipt_hash"
            )
        )
    found = receipts.check(normal, candidates)
    if found is None:
        raise ReceiptUnknown(
            "We could not open a report with that code. Please check it and try again."
        )
    return found


@dataclass(frozen=True)
class Message:
    at: datetime
    direction: str
    text: str


@dataclass(frozen=True)
class Material:
    at: datetime
    item: str
    media_type: str
    size: int


@dataclass
class ReportView:
    report: IntakeReport
    document: dict[str, Any]
    messages: list[Message] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    declined_reasons: str = ""
    events: list[LedgerEvent] = field(default_factory=list)


def _view(report: IntakeReport, *, reader: str, capacity: str) -> ReportView:
    """Decrypt a report's content for one reader (one journal entry per item)."""
    events = stream_events(report.stream)
    refs: list[str] = [report.content_ref]
    for e in events:
        if e.type == "message.sent":
            refs.append(e.payload["message_ref"])
        elif e.type == "report.declined":
            refs.append(e.payload["reasons_ref"])
    items = list(ContentItem.objects.filter(public_id__in=refs))
    plain = content_read_many(items=items, reader=reader, capacity=capacity)
    view = ReportView(report, json.loads(plain[report.content_ref]), events=events)
    metadata = {
        i.public_id: i
        for i in ContentItem.objects.filter(stream=report.stream, kind="evidence").defer("inline")
    }
    for e in events:
        p = e.payload
        if e.type == "message.sent":
            text = plain[p["message_ref"]].decode("utf-8")
            view.messages.append(Message(e.occurred_at, p["direction"], text))
        elif e.type == "report.declined":
            view.declined_reasons = plain[p["reasons_ref"]].decode("utf-8")
        for ref in p.get("materials", []) + ([p["item_ref"]] if e.type == "material.added" else []):
            item = metadata[ref]
            view.materials.append(Material(e.occurred_at, ref, item.media_type, item.size))
    return view


def reporter_view(*, report: str) -> ReportView:
    """What the holder of the receipt sees (their own words, the messages, the status)."""
    row = IntakeReport.objects.select_related("protocol", "unit").get(public_id=report)
    return _view(row, reader=reporter_actor(report), capacity=REPORTER_CAPACITY)


def reporter_message_send(*, report: str, text: str) -> LedgerEvent:
    rate_hit("message", report)
    text = _text(text, "message", required=True)
    with transaction.atomic():
        row = _locked(report)
        actor = reporter_actor(report)
        ref = _seal(report, "message", text.encode("utf-8"), actor, REPORTER_CAPACITY)
        event = _append(
            row,
            "message.sent",
            actor,
            REPORTER_CAPACITY,
            {"direction": "to_officers", "message_ref": ref},
        )
        refresh(row)
        return event


def reporter_material_add(*, report: str, upload: PreparedEvidence) -> LedgerEvent:
    rate_hit("material", report)
    with transaction.atomic():
        row = _locked(report)
        if ContentItem.objects.filter(stream=row.stream, kind="evidence").count() >= MAX_MATERIALS:
            raise InvalidInput(
                "This report already holds as many files as we can take. "
                "Please write to the intake officers instead.",
                code="intake.too_many_files",
            )
        actor = reporter_actor(report)
        ref = _seal(
            report,
            "evidence",
            upload.data,
            actor,
            REPORTER_CAPACITY,
            media_type=upload.media_type,
            filename=upload.filename,
        )
        event = _append(row, "material.added", actor, REPORTER_CAPACITY, {"item_ref": ref})
        refresh(row)
        return event


def report_make_formal(*, report: str) -> LedgerEvent:
    """The reporter turns a report kept on record (or "contact me first") into a formal
    complaint; the intake officers may then begin a case from it."""
    with transaction.atomic():
        row = _locked(report)
        if row.wants == "formal":
            raise InvalidInput(
                "This report is already a formal complaint.", code="intake.already_formal"
            )
        if row.status in (IntakeReport.Status.CONVERTED, IntakeReport.Status.DECLINED):
            raise ReportClosed("The intake officers have already decided on this report.")
        event = _append(
            row,
            "report.wish_changed",
            reporter_actor(report),
            REPORTER_CAPACITY,
            {"wants": "formal"},
        )
        refresh(row)
        return event


# --- intake officers ------------------------------------------------------------------------


def officer_view(*, by: Person, report: str) -> tuple[ReportAccess, ReportView]:
    access = report_for(by, report)
    return access, _view(access.report, reader=by.public_id, capacity=access.capacity)


def _officer(by: Person, report: str) -> tuple[ReportAccess, IntakeReport]:
    access = report_for(by, report)
    if access.body is None:
        raise PermissionDenied(
            "Only the intake officers can act on a report.", code="intake.not_officer"
        )
    return access, _locked(report)


def _open(row: IntakeReport) -> None:
    if row.status in (IntakeReport.Status.CONVERTED, IntakeReport.Status.DECLINED):
        raise ReportClosed("This report has already been decided on.")


def report_acknowledge(*, by: Person, report: str) -> LedgerEvent:
    with transaction.atomic():
        access, row = _officer(by, report)
        if row.status != IntakeReport.Status.NEW:
            raise InvalidInput(
                "This report has already been acknowledged.", code="intake.already_acknowledged"
            )
        assert access.body is not None
        event = _append(
            row, "report.acknowledged", by.public_id, access.capacity, {"body": access.body.key}
        )
        refresh(row)
        return event


def officer_message_send(*, by: Person, report: str, text: str) -> LedgerEvent:
    text = _text(text, "message", required=True)
    with transaction.atomic():
        access, row = _officer(by, report)
        ref = _seal(report, "message", text.encode("utf-8"), by.public_id, access.capacity)
        event = _append(
            row,
            "message.sent",
            by.public_id,
            access.capacity,
            {"direction": "to_reporter", "message_ref": ref},
        )
        refresh(row)
        return event


def report_decline(*, by: Person, report: str, reasons: str) -> LedgerEvent:
    """Record a decision not to proceed, with reasons the reporter will read."""
    reasons = _text(reasons, "reasons", required=True)
    with transaction.atomic():
        access, row = _officer(by, report)
        _open(row)
        assert access.body is not None
        ref = _seal(report, "note", reasons.encode("utf-8"), by.public_id, access.capacity)
        event = _append(
            row,
            "report.declined",
            by.public_id,
            access.capacity,
            {"body": access.body.key, "reasons_ref": ref},
        )
        refresh(row)
        return event


def report_convert(
    *,
    by: Person,
    report: str,
    respondent: Person,
    category: str,
    rule: str,
    summary: str = "",
) -> Case:
    """Begin a case from the report, bound to the protocol in force today, through
    ``complaint_receive``; the report records which case it became. One transaction."""
    from docket.cases.services.intake import AllegationInput, complaint_receive

    category = _text(category, "category", required=True)
    rule = _text(rule, "rule", required=True)
    summary = _text(summary, "summary")
    with transaction.atomic():
        access, row = _officer(by, report)
        _open(row)
        if row.wants == "record_only":
            raise RecordOnly(
                "The reporter asked for this report to be kept on record only. Ask them, "
                "through a message, whether they want to make a formal complaint.",
            )
        body = access.body
        assert body is not None
        version = protocol_in_force(row.protocol.protocol_id, clock.now().date())
        protocol = parsed(version)
        unit = (
            body.unit if protocol.bodies[body.key].per_unit else (row.unit or _unit_of(respondent))
        )
        document = json.loads(
            content_read(item=row.content_ref, reader=by.public_id, capacity=access.capacity)
        )
        account = "\n\n".join(
            part
            for part in (
                document.get("what", ""),
                f"When: {document['when']}" if document.get("when") else "",
                f"Where: {document['where']}" if document.get("where") else "",
            )
            if part
        )
        case = complaint_receive(
            by=by,
            protocol_id=version.protocol_id,
            protocol=version,
            received_by=body.key,
            category=category,
            channel="anonymous" if row.anonymous else "online",
            reporter_role=row.reporter_role,
            respondents=[respondent],
            allegations=[AllegationInput("A1", rule, summary)],
            account=account,
            unit=unit,
            intake_report=row.public_id,
        )
        _append(
            row,
            "report.converted",
            by.public_id,
            access.capacity,
            {"case": case.public_id, "body": body.key},
        )
        refresh(row)
        # The case names the same person as the report: index it now, not only after
        # commit, so the queue shows the link at once.
        index_matter(
            "case",
            case.public_id,
            person_tokens(respondent),
            unrelated_to=[("report", row.public_id)],
        )
        return case
