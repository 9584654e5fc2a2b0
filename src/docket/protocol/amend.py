"""Amendments: later versions of a protocol that bind cases opened under an earlier one.

A case keeps the version it opened under. A later version lists, in
``protocol.applies_to_open_cases``, the rules that bind open cases too; from the day
that version was adopted (in the protocol's time zone), each such rule replaces the
earlier rule of the same name for those cases, and history before that day is still
judged by the earlier rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from docket.protocol.schema import Protocol, Rule


def adopted_at(protocol: Protocol) -> datetime:
    zone = ZoneInfo(protocol.protocol.time_zone)
    return datetime.combine(protocol.protocol.adopted, time.min, tzinfo=zone)


def with_amendments(bound: Protocol, later: Sequence[Protocol]) -> Protocol:
    """``bound`` with the rules that ``later`` versions apply to open cases."""
    amendments = sorted(
        (p for p in later
         if p.protocol.id == bound.protocol.id and p.protocol.version > bound.protocol.version
         and p.protocol.applies_to_open_cases),
        key=lambda p: p.protocol.version,
    )  # fmt: skip
    if not amendments:
        return bound
    rules: dict[str, Rule] = dict(bound.rules)
    deadlines = dict(bound.deadlines)
    current: dict[str, str] = {rid: rid for rid in rules}  # rule name -> id now in force
    for amendment in amendments:
        start = adopted_at(amendment)
        for name in amendment.protocol.applies_to_open_cases:
            new = amendment.rules.get(name)
            if new is None:
                continue
            previous = current.get(name)
            if previous is not None:
                rules[previous] = rules[previous].model_copy(update={"effective_until": start})
            rid = f"{name}@v{amendment.protocol.version}"
            rules[rid] = new.model_copy(update={"effective_from": start})
            current[name] = rid
        for key, deadline in amendment.deadlines.items():
            deadlines.setdefault(key, deadline)
    return bound.model_copy(update={"rules": rules, "deadlines": deadlines})
