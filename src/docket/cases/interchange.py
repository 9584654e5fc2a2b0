"""Case record interchange: a documented, versioned file that carries a whole case.

Format ``docket_interchange: 1`` (see docs/interchange.md)::

    docket_interchange: 1
    case:    {reference, protocol: {id, version}, category, unit?, recorded_by?}
    people:  {KEY: {label, member, name?, member_number?}}
    content: {KEY: {kind, text? | file?, media_type?, filename?, sealed?}}
    events:  [{at, type, actor: KEY, capacity, payload, deviation?}]

Inside payloads, people and content are named by their KEYs; the event vocabulary's
typed references (``PersonId``, ``Ref``) say which fields are which. Import validates
the whole file first and reports every problem as ``file:line: field: problem``; then
everything is written in one transaction, each event marked as recorded
retrospectively (provenance "import", who recorded it, and when).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from docket.core import safefiles
from docket.core.yamlfile import (
    FileInvalid,
    Limits,
    Loc,
    Problem,
    dotted,
    line_of,
    pydantic_problems,
)
from docket.core.yamlfile import read_yaml as _read_yaml
from docket.events.case import LEGACY_TEXT
from docket.events.registry import InvalidPayload, UnknownEventType, map_references, validate
from docket.protocol.actions import ACTION_FOR_EVENT
from docket.protocol.state import Event

FORMAT = 1
CONTENT_KINDS = (
    "statement", "evidence", "identity", "deliberation", "report", "message", "note",
    "decision", "letter",
)  # fmt: skip


class InterchangeInvalid(FileInvalid):
    code = "interchange.invalid_file"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProtocolRef(_Strict):
    id: str
    version: int = Field(ge=1)


class CaseMeta(_Strict):
    reference: str = Field(min_length=1, max_length=40)
    protocol: ProtocolRef
    category: str = Field(min_length=1, max_length=80)
    unit: str | None = None
    recorded_by: str | None = Field(default=None, max_length=160)
    recorded_at: datetime | None = None


class PersonEntry(_Strict):
    label: str = Field(min_length=1, max_length=200)
    member: bool
    name: str | None = Field(default=None, max_length=200)
    member_number: str | None = Field(default=None, max_length=40)


class ContentEntry(_Strict):
    kind: Literal[
        "statement", "evidence", "identity", "deliberation", "report", "message", "note",
        "decision", "letter",
    ]  # fmt: skip
    text: str | None = None
    file: str | None = None
    media_type: str = "text/plain; charset=utf-8"
    filename: str | None = None
    sealed: bool = False  # the file is encrypted with the export passphrase


class EventEntry(_Strict):
    at: datetime
    type: str
    actor: str
    capacity: str = Field(min_length=1, max_length=80)
    payload: dict[str, Any] = {}
    deviation: dict[str, Any] | None = None


class Document(_Strict):
    docket_interchange: Literal[1]
    case: CaseMeta
    people: dict[str, PersonEntry]
    content: dict[str, ContentEntry] = {}
    events: list[EventEntry] = Field(min_length=1)


# A whole case may carry long statements inline and hundreds of events (issue 24: bounded).
INTERCHANGE_LIMITS = Limits(
    max_chars=64 * 1024 * 1024, max_scalar=8 * 1024 * 1024, max_values=2_000_000
)

_PLAIN = {
    "missing": "this field is required",
    "extra_forbidden": "this field is not part of the interchange format",
    "timezone_aware": "give the time with its offset, e.g. 2013-03-04T19:00:00-05:00",
}


@dataclass
class Parsed:
    """A validated interchange document and the engine's reading of its events."""

    document: Document
    source: str
    base: Path
    events: list[Event] = field(default_factory=list)


def parse(text: str, source: str, base: Path | None = None) -> Parsed:
    """Validate the whole document; raise ``InterchangeInvalid`` listing every problem."""
    data, lines = _read_yaml(text, source, InterchangeInvalid, INTERCHANGE_LIMITS)
    try:
        doc = Document.model_validate(data)
    except ValidationError as exc:
        raise InterchangeInvalid(source, pydantic_problems(exc, lines, _PLAIN)) from None
    problems: list[Problem] = []

    def problem(loc: Loc, message: str) -> None:
        problems.append(Problem(line_of(lines, loc), dotted(loc), message))

    for key, item in doc.content.items():
        if (item.text is None) == (item.file is None):
            problem(("content", key), "give either text or file")
        if item.file is not None:
            try:
                # Issue 24, finding 3: no symbolic link is followed, nothing outside.
                if base is None:
                    safefiles.check_name(item.file)
                else:
                    safefiles.check_inside(base, item.file)
            except safefiles.OutsideFolder as exc:
                message = f"attachments must be inside the file's folder: {exc}"
                problem(("content", key, "file"), message)
    _seal_legacy_text(doc)
    events: list[Event] = []
    previous: datetime | None = None
    for i, entry in enumerate(doc.events):
        here: Loc = ("events", i)
        if entry.actor not in doc.people:
            problem((*here, "actor"), f"no person {entry.actor!r} in people")
        if previous is not None and entry.at < previous:
            problem((*here, "at"), "events must be listed in the order they happened")
        previous = entry.at
        try:
            if entry.type not in ACTION_FOR_EVENT and entry.type != "step.refused":
                raise UnknownEventType(f"{entry.type!r} is not a case event type")
            missing: list[tuple[str, str]] = []

            def check(kind: str, value: str, missing: list[tuple[str, str]] = missing) -> str:
                table = doc.people if kind == "person" else doc.content
                if value not in table:
                    missing.append((kind, value))
                return value

            mapped = map_references(entry.type, dict(entry.payload), check)
            for kind, value in missing:
                where = "people" if kind == "person" else "content"
                problem((*here, "payload"), f"{value!r} is not listed in {where}")
            payload = validate(entry.type, mapped)
        except UnknownEventType:
            problem((*here, "type"), f"{entry.type!r} is not a case event type")
            continue
        except InvalidPayload as exc:
            for p in exc.data.get("problems", []):
                problem((*here, "payload", *p["field"].split(".")), p["problem"])
            continue
        events.append(
            Event(
                i + 1, entry.type, entry.actor, entry.capacity, entry.at, payload, entry.deviation
            )
        )
    if problems:
        raise InterchangeInvalid(source, problems)
    return Parsed(doc, source, base or Path("."), events)


def _seal_legacy_text(doc: Document) -> None:
    """Text that events recorded before issue 24 (finding 6) held in clear (a parallel
    proceeding's forum and outcome, a grant's reason, a motion, corrective actions)
    becomes a content item of the file, kind "note", and the event refers to it as the
    vocabulary now requires; the import then seals it under the case's key like any
    other content. Keys start with "~", which no exported file uses."""
    for i, entry in enumerate(doc.events):
        fields = LEGACY_TEXT.get(entry.type, {})
        for old, new in fields.items():
            if old not in entry.payload or new in entry.payload:
                continue
            value = entry.payload.pop(old)
            if isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            if value is None or not str(value).strip():
                continue
            key = f"~{i + 1}.{old}"
            doc.content[key] = ContentEntry(kind="note", text=str(value))
            entry.payload[new] = key


def read(path: Path) -> Parsed:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InterchangeInvalid(
            str(path), [Problem(0, "", f"cannot read the file: {exc}")]
        ) from None
    return parse(text, str(path), path.parent)


# -- attachments ------------------------------------------------------------------------

_SALT, _NONCE = 16, 12


def _kdf(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def seal_attachment(data: bytes, *, passphrase: str, name: str) -> bytes:
    """AES-256-GCM under a key derived (scrypt) from the passphrase; bound to its name."""
    salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
    return salt + nonce + AESGCM(_kdf(passphrase, salt)).encrypt(nonce, data, name.encode())


def open_attachment(blob: bytes, *, passphrase: str, name: str) -> bytes:
    from cryptography.exceptions import InvalidTag

    from docket.core.errors import InvalidInput

    salt, nonce, body = blob[:_SALT], blob[_SALT : _SALT + _NONCE], blob[_SALT + _NONCE :]
    try:
        return AESGCM(_kdf(passphrase, salt)).decrypt(nonce, body, name.encode())
    except InvalidTag:
        raise InvalidInput(
            f"The attachment {name} cannot be opened: wrong passphrase or altered file.",
            code="interchange.sealed_attachment",
        ) from None


def content_bytes(parsed: Parsed, key: str, passphrase: str | None) -> bytes:
    entry = parsed.document.content[key]
    if entry.text is not None:
        return entry.text.encode("utf-8")
    assert entry.file is not None
    try:
        raw = safefiles.read_inside(parsed.base, entry.file)
    except safefiles.OutsideFolder as exc:
        from docket.core.errors import InvalidInput

        raise InvalidInput(
            f"The attachment {entry.file} of {key} is refused: {exc}.",
            code="interchange.attachment_outside",
            data={"content": key, "file": entry.file},
        ) from None
    if entry.sealed:
        if not passphrase:
            from docket.core.errors import InvalidInput

            raise InvalidInput(
                "This file has sealed attachments; give the passphrase.",
                code="interchange.passphrase_needed",
            )
        return open_attachment(raw, passphrase=passphrase, name=key)
    return raw


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


Translate = Callable[[str, str], str]


def translated(event_type: str, payload: Mapping[str, Any], translate: Translate) -> dict[str, Any]:
    return map_references(event_type, dict(payload), translate)
