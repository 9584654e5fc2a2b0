"""Registration and validation of event types."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError

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
