"""The access journal: who read which confidential item, when, in which capacity.

Its own append-only hash chain (one for the whole organization), verified by
``docket ledger verify`` and included as the leaf ``journal`` in every checkpoint.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from docket.core import clock
from docket.ledger import chain
from docket.ledger.errors import InvalidEvent
from docket.ledger.models import JournalEntry, LedgerHead
from docket.ledger.streams import JOURNAL, stream_kind

ACTIONS = ("read", "download", "export", "print")


def journal_append(
    *, reader: str, capacity: str, stream: str, item: str, action: str = "read"
) -> JournalEntry:
    """Record one read. Joins the caller's transaction when there is one."""
    stream_kind(stream)
    for field, value, limit in (
        ("reader", reader, 160),
        ("capacity", capacity, 80),
        ("item", item, 200),
    ):
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise InvalidEvent(
                f"{field} must be a non-empty text of at most {limit} characters.",
                data={"field": field},
            )
    if action not in ACTIONS:
        raise InvalidEvent(f"action must be one of {', '.join(ACTIONS)}.", data={"field": "action"})
    with transaction.atomic():
        head = LedgerHead.objects.select_for_update().filter(stream=JOURNAL).first()
        if head is None:
            LedgerHead.objects.bulk_create(
                [LedgerHead(stream=JOURNAL, seq=0, hash=chain.genesis(JOURNAL))],
                ignore_conflicts=True,
            )
            head = LedgerHead.objects.select_for_update().get(stream=JOURNAL)
        at_text = chain.rfc3339(clock.now())
        seq = head.seq + 1
        fields = {
            "seq": seq,
            "reader": reader,
            "capacity": capacity,
            "stream": stream,
            "item": item,
            "action": action,
            "at": at_text,
        }
        body = chain.canonical(chain.JOURNAL_KEY, fields, head.hash)
        digest = chain.record_hash(chain.JOURNAL_DOMAIN, body)
        entry = JournalEntry.objects.create(
            seq=seq,
            reader=reader,
            capacity=capacity,
            stream=stream,
            item=item,
            action=action,
            at=chain.parse_rfc3339(at_text),
            prev_hash=head.hash,
            hash=digest,
            body=body,
        )
        LedgerHead.objects.filter(stream=JOURNAL).update(seq=seq, hash=digest)
    return entry


def journal_for_stream(stream: str) -> QuerySet[JournalEntry]:
    """Who read what of one stream, oldest first (for the case's authorized reviewers)."""
    return JournalEntry.objects.filter(stream=stream).order_by("seq")


def journal_for_reader(reader: str) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.filter(reader=reader).order_by("seq")
