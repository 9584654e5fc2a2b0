"""Event types used by the ledger itself and its tests."""

from __future__ import annotations

from docket.events.registry import Payload, register


@register("ledger.note", "A note added to a record (used by the ledger's own tests)", stream="any")
class LedgerNote(Payload):
    text_ref: str | None = None
    label: str | None = None
