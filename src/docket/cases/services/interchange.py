"""Importing and exporting whole case records (see ``docket.cases.interchange``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction

from docket.core.errors import InvalidInput
from docket.crypto.models import ContentItem
from docket.crypto.services import content_put, content_read
from docket.ledger.models import LedgerEvent
from docket.org.models import Membership, Person, Unit
from docket.org.services import person_create, person_identity_recorded
from docket.protocol.actions import ACTION_FOR_EVENT

from .. import interchange
from ..acting import REFUSED, load, perform, record_refused
from ..models import Case
from ..protocols import parsed as parsed_protocol
from ..protocols import protocol_version

TEXT_KINDS = {"statement", "identity", "deliberation", "report", "message", "note", "decision",
              "letter"}  # fmt: skip


class _DryRun(Exception):
    pass


@dataclass
class ImportResult:
    case: Case | None
    events: int
    people_created: int
    content_items: int
    violations: list[str] = field(default_factory=list)


def case_import(
    *,
    parsed: interchange.Parsed,
    recorded_by: str,
    passphrase: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Write an interchange document as a new case, all or nothing.

    Events are recorded as they happened (the protocol is not enforced on history: the
    engine reports breaches instead), each marked as imported by ``recorded_by``.
    """
    doc = parsed.document
    version = protocol_version(doc.case.protocol.id, doc.case.protocol.version)
    if Case.objects.filter(reference=doc.case.reference).exists():
        raise InvalidInput(
            f"A case with reference {doc.case.reference} already exists here.",
            code="interchange.reference_taken",
            data={"reference": doc.case.reference},
        )
    unit = None
    if doc.case.unit:
        unit = Unit.objects.filter(key=doc.case.unit).first()
        if unit is None:
            raise InvalidInput(f"No unit {doc.case.unit!r} here.", code="interchange.unit")
    who = (doc.case.recorded_by or recorded_by).strip() or recorded_by
    try:
        with transaction.atomic():
            result = _write(parsed, version, unit, who, passphrase)
            if dry_run:
                raise _DryRun
    except _DryRun:
        result.case = None
    return result


def _person_for(key: str, entry: interchange.PersonEntry, who: str) -> tuple[Person, bool]:
    if entry.member and entry.member_number:
        found = Membership.objects.filter(member_number=entry.member_number).first()
        if found is not None:
            return found.person, False
    label = (entry.name or entry.label) if entry.member else entry.label
    person = person_create(
        actor=who, capacity="import", display_name=label, pseudonymous=not entry.member
    )
    return person, True


def _write(
    parsed: interchange.Parsed, version: Any, unit: Unit | None, who: str, passphrase: str | None
) -> ImportResult:
    doc = parsed.document
    people: dict[str, Person] = {}
    created = 0
    for key, person_entry in doc.people.items():
        people[key], new = _person_for(key, person_entry, who)
        created += new
    protocol = parsed_protocol(version)
    case = Case.objects.create(
        reference=doc.case.reference,
        category=doc.case.category,
        protocol=version,
        unit=unit,
        provenance="import",
        stage=protocol.stages[0].id,
    )
    ctx = load(case)
    sealed: dict[str, str] = {}

    def seal(key: str, author: Person) -> str:
        if key not in sealed:
            spec = doc.content[key]
            item = content_put(
                stream=case.stream,
                kind=spec.kind,
                data=interchange.content_bytes(parsed, key, passphrase),
                author=author.public_id,
                capacity="import",
                media_type=spec.media_type,
                filename=spec.filename,
            )
            sealed[key] = item.public_id
        return sealed[key]

    for entry in doc.events:
        actor = people[entry.actor]

        def translate(kind: str, value: str, actor: Person = actor) -> str:
            return people[value].public_id if kind == "person" else seal(value, actor)

        payload = interchange.translated(entry.type, entry.payload, translate)
        if entry.type == REFUSED:  # a refused attempt, kept on the record it comes from
            record_refused(
                ctx,
                person=actor,
                capacity=entry.capacity,
                payload=payload,
                occurred_at=entry.at,
                provenance="import",
                recorded_by=who,
            )
            continue
        perform(
            ctx,
            person=actor,
            action=ACTION_FOR_EVENT[entry.type].name,
            payload=payload,
            deviation=entry.deviation,
            occurred_at=entry.at,
            capacity=entry.capacity,
            provenance="import",
            recorded_by=who,
            enforce=False,
        )
    for key, person_entry in doc.people.items():
        person = people[key]
        if (
            not person_entry.member
            and person_entry.name
            and person.pseudonymous
            and not person.identity_ref
        ):
            item = content_put(
                stream=case.stream,
                kind="identity",
                data=person_entry.name.encode("utf-8"),
                author=person.public_id,
                capacity="import",
            )
            person_identity_recorded(
                actor=who,
                capacity="import",
                person=person,
                identity_ref=item.public_id,
                reason=f"Identity kept with {case.stream}",
            )
    for key in doc.content:
        if key not in sealed:
            raise InvalidInput(
                f"Content {key!r} is not referenced by any event.",
                code="interchange.unreferenced_content",
            )
    case.refresh_from_db()
    return ImportResult(
        case=case,
        events=len(doc.events),
        people_created=created,
        content_items=len(sealed),
        violations=[f"{v.clause} {v.key}" for v in ctx.evaluation.violations],
    )


# -- export ------------------------------------------------------------------------------


@dataclass
class Export:
    document: dict[str, Any]
    attachments: dict[str, bytes]


def case_export(
    *,
    case: Case,
    reader: str,
    content: Literal["plain", "sealed"] = "plain",
    passphrase: str | None = None,
) -> Export:
    """The case as an interchange document. Every decryption is journaled to ``reader``."""
    if content == "sealed" and not passphrase:
        raise InvalidInput(
            "Sealed export needs a passphrase.", code="interchange.passphrase_needed"
        )
    rows = list(LedgerEvent.objects.filter(stream=case.stream).order_by("seq"))
    person_keys: dict[str, str] = {}
    content_keys: dict[str, str] = {}

    def translate(kind: str, value: str) -> str:
        table, prefix = (person_keys, "P") if kind == "person" else (content_keys, "K")
        if value not in table:
            table[value] = f"{prefix}{len(table) + 1}"
        return table[value]

    events = []
    for row in rows:
        translate("person", row.actor)
        entry: dict[str, Any] = {
            "at": row.occurred_at.isoformat(),
            "type": row.type,
            "actor": person_keys[row.actor],
            "capacity": row.capacity,
            "payload": interchange.translated(row.type, row.payload, translate),
        }
        if row.deviation:
            entry["deviation"] = row.deviation
        events.append(entry)
    people: dict[str, Any] = {}
    persons = {p.public_id: p for p in Person.objects.filter(public_id__in=person_keys)
               .select_related("membership")}  # fmt: skip
    for public, key in person_keys.items():
        person = persons[public]
        membership = getattr(person, "membership", None)
        spec: dict[str, Any] = {"label": person.display_name, "member": membership is not None}
        if membership is not None:
            spec["name"] = person.display_name
            spec["member_number"] = membership.member_number
        elif person.identity_ref and content == "plain":
            identity = ContentItem.objects.filter(
                public_id=person.identity_ref, stream=case.stream
            ).first()
            if identity is not None:
                spec["name"] = content_read(item=identity, reader=reader, capacity="export").decode(
                    "utf-8"
                )
        people[key] = spec
    items = {i.public_id: i for i in ContentItem.objects.filter(public_id__in=content_keys)}
    attachments: dict[str, bytes] = {}
    documents: dict[str, Any] = {}
    for public, key in content_keys.items():
        item = items[public]
        data = content_read(item=item, reader=reader, capacity="export")
        spec = {"kind": item.kind, "media_type": item.media_type}
        if content == "sealed":
            assert passphrase is not None
            name = f"content/{key}.sealed"
            attachments[name] = interchange.seal_attachment(data, passphrase=passphrase, name=key)
            spec.update(file=name, sealed=True)
        elif item.kind in TEXT_KINDS and item.media_type.startswith("text/plain"):
            spec["text"] = data.decode("utf-8")
        else:
            name = f"content/{key}.bin"
            attachments[name] = data
            spec["file"] = name
        documents[key] = spec
    document = {
        "docket_interchange": interchange.FORMAT,
        "case": {
            "reference": case.reference,
            "category": case.category,
            "protocol": {"id": case.protocol.protocol_id, "version": case.protocol.version},
            **({"unit": case.unit.key} if case.unit else {}),
        },
        "people": people,
        "content": documents,
        "events": events,
    }
    return Export(document, attachments)
