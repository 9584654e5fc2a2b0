"""Stream identifiers: ``case:<id>``, ``member:<id>``, ``intake:<id>`` or ``org``."""

from __future__ import annotations

import re

from docket.ledger.errors import InvalidStream, WrongStream

# The access journal's head is a checkpoint leaf named like this; no stream may use it.
JOURNAL = "journal"

_STREAM = re.compile(r"^(?:org|(?P<kind>case|member|intake):[A-Za-z0-9._-]{1,100})$")

# Which event-type areas (registry ``stream`` values) each stream kind may hold.
_ACCEPTS: dict[str, frozenset[str]] = {
    "case": frozenset({"case", "any"}),
    "org": frozenset({"org", "any"}),
    "member": frozenset({"member", "org", "any"}),  # a member's standing is org business
    "intake": frozenset({"intake", "any"}),
}


def stream_kind(stream: str) -> str:
    match = _STREAM.match(stream)
    if match is None:
        raise InvalidStream(
            f"{stream!r} is not a stream id (case:<id>, member:<id>, intake:<id> or org).",
            data={"stream": stream},
        )
    return match.group("kind") or "org"


def check_type_fits(stream: str, type_name: str, type_stream: str) -> None:
    kind = stream_kind(stream)
    if type_stream not in _ACCEPTS[kind]:
        raise WrongStream(
            f"Events of type {type_name!r} belong on {type_stream} streams, not on {stream!r}.",
            data={"stream": stream, "type": type_name, "allowed": type_stream},
        )
