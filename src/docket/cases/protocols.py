"""Adopted protocol versions: adopting, finding the one in force, parsing once."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from docket.core import clock
from docket.core.errors import InvalidInput, NotFound
from docket.protocol.amend import with_amendments
from docket.protocol.loader import parse_protocol
from docket.protocol.schema import Protocol

from .models import Case, ProtocolVersion


class ProtocolConflict(InvalidInput):
    code = "protocol.version_exists"


def protocol_adopt(*, text: str, source: str, actor: str) -> ProtocolVersion:
    """Record a protocol version as adopted. Re-adopting the identical text is a no-op;
    a different text under an existing id and version is refused (versions are
    immutable: amend by adopting a new version)."""
    parsed = parse_protocol(text, source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = parsed.protocol
    with transaction.atomic():
        existing = ProtocolVersion.objects.filter(protocol_id=meta.id, version=meta.version).first()
        if existing is not None:
            if existing.digest == digest:
                return existing
            raise ProtocolConflict(
                f"{meta.title} version {meta.version} is already adopted with different text. "
                "Adopt the change as a new version.",
                data={"protocol": meta.id, "version": meta.version},
            )
        adopted = ProtocolVersion.objects.create(
            protocol_id=meta.id,
            version=meta.version,
            title=meta.title,
            adopted_on=meta.adopted,
            adopted_by=meta.adopted_by,
            text=text,
            digest=digest,
            loaded_at=clock.now(),
            loaded_by=actor,
        )
        if meta.applies_to_open_cases:
            _reproject_open_cases(adopted)
        return adopted


def _reproject_open_cases(amendment: ProtocolVersion) -> None:
    """An amendment changes the protocol that open cases of earlier versions follow (new
    deadlines may already be running on them): bring their case tables up to date, in
    the adopting transaction."""
    from docket.protocol.engine import evaluate

    from .projection import case_events, refresh

    open_cases = Case.objects.filter(
        protocol__protocol_id=amendment.protocol_id,
        protocol__version__lt=amendment.version,
        closed=False,
    ).select_related("protocol")
    for case in open_cases:
        protocol = case_protocol(case.protocol)
        events = case_events(case)
        refresh(case, protocol, events, evaluate(protocol, events, clock.now()))


def protocol_adopt_file(path: Path, *, actor: str) -> ProtocolVersion:
    return protocol_adopt(text=path.read_text(encoding="utf-8"), source=str(path), actor=actor)


def shipped_protocols() -> list[Path]:
    return sorted(Path(settings.DOCKET_PROTOCOL_DIR).glob("*.yaml"))


def protocol_in_force(protocol_id: str, on: date) -> ProtocolVersion:
    """The latest version of ``protocol_id`` adopted on or before ``on``."""
    found = (
        ProtocolVersion.objects.filter(protocol_id=protocol_id, adopted_on__lte=on)
        .order_by("-version")
        .first()
    )
    if found is None:
        raise NotFound(
            f"No version of protocol {protocol_id!r} was in force on {on}.",
            code="protocol.not_in_force",
        )
    return found


def protocol_version(protocol_id: str, version: int) -> ProtocolVersion:
    try:
        return ProtocolVersion.objects.get(protocol_id=protocol_id, version=version)
    except ProtocolVersion.DoesNotExist:
        raise NotFound(
            f"Protocol {protocol_id!r} version {version} has not been adopted here.",
            code="protocol.unknown_version",
        ) from None


def case_protocol(version: ProtocolVersion) -> Protocol:
    """The protocol a case bound to ``version`` follows: that version, with the rules
    later adopted versions apply to open cases (see docket.protocol.amend)."""
    later = tuple(
        ProtocolVersion.objects.filter(
            protocol_id=version.protocol_id, version__gt=version.version
        ).order_by("version")
    )
    if not later:
        return parsed(version)
    return _amended(version, later)


def _amended(version: ProtocolVersion, later: tuple[ProtocolVersion, ...]) -> Protocol:
    key = (version.digest, *(v.digest for v in later))
    found = _AMENDED.get(key)
    if found is None:
        if len(_AMENDED) > 64:
            _AMENDED.clear()
        found = _AMENDED[key] = with_amendments(parsed(version), [parsed(v) for v in later])
    return found


_AMENDED: dict[tuple[str, ...], Protocol] = {}


def parsed(version: ProtocolVersion) -> Protocol:
    """The validated protocol of an adopted version (parsed once per process)."""
    return _parse(version.digest, version.text, f"{version.protocol_id} v{version.version}")


@lru_cache(maxsize=64)
def _parse(digest: str, text: str, source: str) -> Protocol:
    return parse_protocol(text, source)
