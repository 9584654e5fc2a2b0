"""Registration and validation of event types."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from docket.core.errors import InvalidInput


class Reference:
    """Marks a payload field as pointing at something outside the event."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"Reference({self.kind!r})"


# A person's public id, and an encrypted content item's public id. Interchange files and
# exports use these marks to translate references field by field.
PersonId = Annotated[str, Reference("person")]
Ref = Annotated[str, Reference("content")]


# -- what a payload's strings may hold (issue 24, finding 6) ------------------------------
#
# The ledger is never rewritten and retention shreds only content items: whatever a
# payload holds in clear stays readable for ever. So every ``str`` of the vocabulary is
# marked as one of: a reference (``PersonId``, ``Ref``: the text itself is sealed in a
# content item), a bounded *code* (a narrow pattern and length: an id, a key, a label
# such as "W1", a rule citation; never a sentence about someone), or, on the
# organization's own streams only, ``OrgText`` (see below). ``tests/events`` walks the
# vocabulary and fails on any other string.


class Code:
    """Marks a payload field as a bounded code: ``pattern`` and ``max_length`` say what
    it may hold; ``why`` says what it is (docs/ledger.md)."""

    def __init__(self, kind: str, pattern: str, max_length: int, why: str) -> None:
        self.kind = kind
        self.pattern = pattern
        self.max_length = max_length
        self.why = why
        self.constraints = StringConstraints(min_length=1, max_length=max_length, pattern=pattern)

    def __repr__(self) -> str:
        return f"Code({self.kind!r})"


class Text:
    """Marks a payload field as text kept in clear on purpose; ``streams`` are the kinds
    of stream whose events may carry it (never a case's or a report's)."""

    def __init__(self, kind: str, streams: frozenset[str], why: str, max_length: int) -> None:
        self.kind = kind
        self.streams = streams
        self.why = why
        self.constraints = StringConstraints(max_length=max_length)

    def __repr__(self) -> str:
        return f"Text({self.kind!r})"


CODES: dict[str, Code] = {}
TEXTS: dict[str, Text] = {}


def _code(kind: str, pattern: str, max_length: int, why: str) -> Code:
    mark = Code(kind, pattern, max_length, why)
    CODES[kind] = mark
    return mark


# Ids a case gives its own things (votes, measures, hearings, decisions, appeals,
# objections, allegations) and the labels by which parties refer to material ("W1",
# "D3", "N2"): letters, digits, ".", "_", "-"; no spaces, so no sentence fits.
_LOCAL_ID = _code(
    "local_id",
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    40,
    "an id or label a case gives its own things, e.g. V1, D1, W2b",
)
LocalId = Annotated[str, _LOCAL_ID, _LOCAL_ID.constraints]
# Keys a protocol or the organization defines: bodies, units, sanctions, rules, appeal
# grounds, protocol ids, the organization's slug (lower case, digits, "_" and "-").
_KEY = _code(
    "key",
    r"^[a-z0-9][a-z0-9_-]*$",
    80,
    "a key of the protocol or the organization, e.g. ndc, league-disciplinary",
)
Key = Annotated[str, _KEY, _KEY.constraints]
# Public ids of Docket's own records (cases, units, people, reports, seats, terms...).
_PUBLIC_ID = _code("public_id", r"^[A-Za-z0-9_-]+$", 64, "a public id Docket gave a record")
PublicId = Annotated[str, _PUBLIC_ID, _PUBLIC_ID.constraints]
_STREAM_ID = _code(
    "stream_id",
    r"^(org|(case|member|intake):[A-Za-z0-9_-]{1,64})$",
    80,
    "a ledger stream's id, e.g. case:7QK2M9",
)
StreamId = Annotated[str, _STREAM_ID, _STREAM_ID.constraints]
_EVENT_POINTER = _code(
    "event_pointer",
    r"^(org|(case|member|intake):[A-Za-z0-9_-]{1,64})#[0-9]+$",
    100,
    "an event of a ledger stream, e.g. case:7QK2M9#12",
)
EventPointer = Annotated[str, _EVENT_POINTER, _EVENT_POINTER.constraints]
_CASE_NUMBER = _code(
    "case_reference",
    r"^[A-Za-z0-9][A-Za-z0-9./_-]*$",
    40,
    "a case's reference number, e.g. 2013-004",
)
CaseNumber = Annotated[str, _CASE_NUMBER, _CASE_NUMBER.constraints]
# A citation of the organization's rules or of a protocol clause ("s.4.2", "Code of
# Conduct s.2 (physical safety)"), or a term a protocol defines (the standard of proof).
# One line of a restricted alphabet; what happened, and to whom, goes in sealed content.
_CITATION = _code(
    "citation",
    r"^[A-Za-z0-9§][A-Za-z0-9§ .,:;()/'_-]*$",
    200,
    "a citation of a rule or clause, or a term a protocol defines",
)
Citation = Annotated[str, _CITATION, _CITATION.constraints]
# What kind of complaint: counted in the membership's aggregate reports.
_CATEGORY = _code(
    "category",
    r"^[A-Za-z0-9][A-Za-z0-9 /_-]*$",
    80,
    "a category of complaint (words, no punctuation), counted in aggregate reports",
)
Category = Annotated[str, _CATEGORY, _CATEGORY.constraints]
# The label of a ``ledger.note``, the type the ledger's own tests append ("case:A 0"); no
# service writes that type.
_NOTE_LABEL = _code(
    "ledger_note_label",
    r"^[A-Za-z0-9][A-Za-z0-9 :._-]*$",
    40,
    "the label the ledger's tests give a ledger.note",
)
NoteLabel = Annotated[str, _NOTE_LABEL, _NOTE_LABEL.constraints]
_MEMBER_NUMBER = _code(
    "member_number", r"^[A-Za-z0-9][A-Za-z0-9./_-]*$", 40, "a member number, e.g. L-1043"
)
MemberNumber = Annotated[str, _MEMBER_NUMBER, _MEMBER_NUMBER.constraints]
_TIME_ZONE_NAME = _code(
    "time_zone", r"^[A-Za-z][A-Za-z0-9_+/-]*$", 64, "an IANA time zone, e.g. Europe/Berlin"
)
TimeZoneName = Annotated[str, _TIME_ZONE_NAME, _TIME_ZONE_NAME.constraints]


def _text(kind: str, streams: set[str], why: str, max_length: int) -> Text:
    mark = Text(kind, frozenset(streams), why, max_length)
    TEXTS[kind] = mark
    return mark


# The organization's own record (its name, units, bodies, seats, offices, the display
# names of people, and the reasons an administrator gave for changing them). These
# streams are not a case's: no case content is copied into them, retention does not
# apply to them, and they have no case key to seal with. Allowed on org and member
# streams only; a test checks that no case or intake event carries it.
_ORG_TEXT = _text(
    "org_text",
    {"org", "member"},
    "the organization's own record: names, titles, an administrator's reasons",
    2000,
)
OrgText = Annotated[str, _ORG_TEXT, _ORG_TEXT.constraints]


# A deviation's justification: the design makes it part of every compliance report,
# "forever visible", and the engine weighs its length against the protocol's minimum.
# Kept in clear on purpose, like the justification in the event's own ``deviation``;
# it says why the rules were departed from, not what anyone did (docs/ledger.md).
_PUBLISHED = _text(
    "published",
    {"case"},
    "a deviation's justification, shown in every compliance report by design",
    2000,
)
Published = Annotated[str, _PUBLISHED, _PUBLISHED.constraints]


class Payload(BaseModel):
    """Base of every payload model: closed (unknown fields refused) and immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=type[Payload])


@dataclass(frozen=True)
class EventType:
    name: str
    payload: type[Payload]
    summary: str
    stream: str  # "case", "org", "intake", "journal": which kind of ledger may hold it


_REGISTRY: dict[str, EventType] = {}


class UnknownEventType(InvalidInput):
    code = "ledger.unknown_event_type"


class InvalidPayload(InvalidInput):
    code = "ledger.invalid_payload"


def register(name: str, summary: str, *, stream: str = "case") -> Callable[[P], P]:
    """Class decorator: ``@register("vote.opened", "A vote was opened")``."""

    def decorate(model: P) -> P:
        if name in _REGISTRY and _REGISTRY[name].payload is not model:
            raise ValueError(f"event type {name!r} registered twice")
        _REGISTRY[name] = EventType(name=name, payload=model, summary=summary, stream=stream)
        return model

    return decorate


def event_type(name: str) -> EventType:
    _load_vocabulary()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownEventType(
            f"{name!r} is not a registered event type.", data={"type": name}
        ) from None


def all_types() -> list[EventType]:
    _load_vocabulary()
    return sorted(_REGISTRY.values(), key=lambda t: t.name)


def validate(name: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Return the payload normalized to JSON-safe values, or raise with the field at fault."""
    kind = event_type(name)
    try:
        model = kind.payload.model_validate(dict(payload))
    except ValidationError as exc:
        problems = [
            {"field": ".".join(str(p) for p in err["loc"]), "problem": err["msg"]}
            for err in exc.errors()
        ]
        raise InvalidPayload(
            f"The payload of {name!r} is not valid: "
            + "; ".join(f"{p['field']}: {p['problem']}" for p in problems),
            data={"type": name, "problems": problems},
        ) from None
    return model.model_dump(mode="json", exclude_none=True)


def _reference_kind(annotation: Any) -> tuple[str, bool] | None:
    """(kind, is_list) for a field typed PersonId/Ref, list of them, or optional."""
    for meta in getattr(annotation, "__metadata__", ()):
        if isinstance(meta, Reference):
            return meta.kind, False
    origin = get_origin(annotation)
    for arg in get_args(annotation):
        if arg is type(None):
            continue
        found = _reference_kind(arg)
        if found is not None:
            return found[0], found[1] or origin is list
    return None


def references(model: type[BaseModel]) -> dict[str, tuple[str, bool, type[BaseModel] | None]]:
    """Fields of a payload model that hold references: name -> (kind, is_list, nested).
    ``nested`` is set for lists of sub-models (e.g. allegations) that hold references."""
    found: dict[str, tuple[str, bool, type[BaseModel] | None]] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        ref = _reference_kind(
            Annotated[annotation, *info.metadata] if info.metadata else annotation
        )
        if ref is not None:
            found[name] = (ref[0], ref[1], None)
            continue
        for arg in get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel) and references(arg):
                found[name] = ("nested", get_origin(annotation) is list, arg)
    return found


def map_references(event_name: str, payload: dict[str, Any], translate: Any) -> dict[str, Any]:
    """A copy of ``payload`` with every reference passed through ``translate(kind, value)``."""
    return _map(event_type(event_name).payload, payload, translate)


def _map(model: type[BaseModel], payload: dict[str, Any], translate: Any) -> dict[str, Any]:
    out = dict(payload)
    for name, (kind, is_list, nested) in references(model).items():
        value = out.get(name)
        if value is None:
            continue
        if nested is not None:
            out[name] = (
                [_map(nested, v, translate) for v in value]
                if is_list
                else _map(nested, value, translate)
            )
        elif is_list:
            out[name] = [translate(kind, v) for v in value]
        else:
            out[name] = translate(kind, value)
    return out


_loaded = False
_loading = threading.RLock()


def _load_vocabulary() -> None:
    # Importing the vocabulary modules registers their types; done lazily so that
    # importing the registry alone stays cheap and free of cycles. The flag is set only
    # once the import has finished, under a lock: a second thread arriving meanwhile
    # waits instead of reading a half-filled registry (issue 24, finding 8).
    global _loaded
    if _loaded:
        return
    with _loading:
        if _loaded:
            return
        from docket.events import vocabulary  # noqa: F401

        _loaded = True


Mark = Reference | Code | Text


def _marks_of(annotation: Any, metadata: list[Any]) -> list[Any]:
    return [*getattr(annotation, "__metadata__", ()), *metadata]


def string_fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, Mark | None]]:
    """Every string a payload model can hold, nested models and lists included, with its
    mark (``None``: an unmarked string, which the vocabulary test refuses). Literals are
    closed sets of codes and are not listed."""
    found: list[tuple[str, Mark | None]] = []

    def visit(path: str, annotation: Any, metadata: list[Any]) -> None:
        for meta in _marks_of(annotation, metadata):
            if isinstance(meta, Reference | Code | Text):
                found.append((path, meta))
                return
        if annotation is str:
            found.append((path, None))
            return
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.extend(string_fields(annotation, f"{path}."))
            return
        origin = get_origin(annotation)
        if origin is Annotated:
            visit(path, get_args(annotation)[0], list(annotation.__metadata__))
            return
        if origin is Literal:
            return
        for arg in get_args(annotation):
            if arg is not type(None):
                visit(f"{path}[]" if origin in (list, tuple, set, frozenset) else path, arg, [])

    for name, info in model.model_fields.items():
        visit(prefix + name, info.annotation, list(info.metadata))
    return found
