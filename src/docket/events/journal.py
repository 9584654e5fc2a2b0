"""Event types used by the ledger itself and its tests."""

from __future__ import annotations

from docket.events.registry import NoteLabel, Payload, Ref, register


@register("ledger.note", "A note added to a record (used by the ledger's own tests)", stream="any")
class LedgerNote(Payload):
    text_ref: Ref | None = None
    label: NoteLabel | None = None
