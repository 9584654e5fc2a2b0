"""Services for confidential content: put, read, stream, shred, legal holds.

These are the building blocks the case services call (``statement_record`` calls
:func:`content_put`, a statement page calls :func:`content_read`…). They do not decide
*who* may read: the caller has already checked access through the case selector and
passes the reader and the capacity in which they read, which go to the access journal.
Each function is one transaction (nested in the caller's, if any).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from django.db import connection, transaction

from docket.core import clock
from docket.core.ids import public_id
from docket.crypto import envelope, released
from docket.crypto.errors import (
    CaseShredded,
    ContentInvalid,
    ContentNotFound,
    ContentShredded,
    ContentTooLarge,
    LegalHoldActive,
)
from docket.crypto.keys import case_data_key, current_case_key, forget_cached, unwrap
from docket.crypto.models import CaseKey, ContentItem, ContentKind, LegalHold
from docket.crypto.store import blob_address, content_store

DEFAULT_MEDIA_TYPE = "text/plain; charset=utf-8"
# The ledger's stream ids (case:, member:, intake:), short enough for our columns.
_STREAM = re.compile(r"^(?:case|member|intake):[A-Za-z0-9._-]{1,72}$")
_MEDIA = re.compile(r"^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*(; ?charset=[a-zA-Z0-9_-]+)?$")
_PERSON = re.compile(r"^\S.{0,79}$")


def _inline_max() -> int:
    from django.conf import settings

    return int(getattr(settings, "DOCKET_CONTENT_INLINE_MAX", 64 * 1024))


def _sealed_source(item: ContentItem) -> BinaryIO:
    if item.inline is not None:
        return io.BytesIO(bytes(item.inline))
    return content_store().open(item.blob)


def _max_bytes() -> int:
    from django.conf import settings

    return int(settings.DOCKET_MAX_UPLOAD_BYTES)


def _require(value: str, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ContentInvalid(f"{what} is missing or malformed.", data={"field": what})
    return value


def _aad(item: ContentItem, part: str = "body") -> bytes:
    return envelope.content_aad(
        stream=item.stream,
        kind=item.kind,
        item=item.public_id,
        version=item.version,
        key_version=item.key_version,
        part=part,
    )


def _journal(*, reader: str, capacity: str, item: ContentItem, action: str, part: str = "") -> None:
    # Imported here: the ledger app may import crypto, never the other way at import time.
    from docket.ledger.journal import journal_append

    name = f"{item.public_id}#{part}" if part else item.public_id
    journal_append(reader=reader, capacity=capacity, stream=item.stream, item=name, action=action)
    released.mark()  # the answer must not be cached (docket.web.nostore)


def _shredded_error(item: ContentItem) -> ContentShredded:
    row = CaseKey.objects.filter(stream=item.stream, key_version=item.key_version).first()
    return ContentShredded(
        "This content was shredded under the retention rules; it can no longer be read.",
        data={
            "item": item.public_id,
            "stream": item.stream,
            "shredded_at": row.shredded_at.isoformat() if row and row.shredded_at else None,
            "reason": row.shred_reason if row else "",
        },
    )


def content_get(public: str) -> ContentItem:
    try:
        return ContentItem.objects.get(public_id=public)
    except ContentItem.DoesNotExist:
        raise ContentNotFound("No such content.", data={"item": public}) from None


def _fresh(item: ContentItem | str) -> ContentItem:
    return content_get(item if isinstance(item, str) else item.public_id)


# --- put --------------------------------------------------------------------------------


def content_put(
    *,
    stream: str,
    kind: str,
    data: bytes,
    author: str,
    capacity: str,
    media_type: str = DEFAULT_MEDIA_TYPE,
    filename: str | None = None,
    supersedes: ContentItem | None = None,
    redaction_of: ContentItem | None = None,
    audience: str | None = None,
) -> ContentItem:
    """Seal ``data`` under the case's data key, store it, and record the item.

    ``supersedes``: this is a correction (next version) of that item, which stays as it
    was, sealed. ``redaction_of`` + ``audience``: a redacted copy of that item for that
    audience (the original is never altered).
    """
    _require(stream, _STREAM, "stream")
    _require(author, _PERSON, "author")
    _require(capacity, _PERSON, "capacity")
    _require(media_type, _MEDIA, "media_type")
    if kind not in ContentKind.values:
        raise ContentInvalid(
            f"{kind!r} is not a kind of content.", code="content.bad_kind", data={"kind": kind}
        )
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ContentInvalid("Content must be bytes.", data={"field": "data"})
    if len(data) > _max_bytes():
        raise ContentTooLarge(
            "The content is larger than this installation accepts.",
            data={"size": len(data), "limit": _max_bytes()},
        )
    if filename is not None and (not filename.strip() or len(filename) > 255):
        raise ContentInvalid("The filename is empty or too long.", data={"field": "filename"})
    if (redaction_of is None) != (not audience):
        raise ContentInvalid(
            "A redacted copy needs both the item it redacts and its audience.",
            code="content.redaction_incomplete",
        )
    if supersedes is not None and redaction_of is not None:
        raise ContentInvalid(
            "An item is either a correction or a redacted copy, not both.",
            code="content.redaction_incomplete",
        )

    with transaction.atomic():
        version = 1
        if supersedes is not None:
            earlier = ContentItem.objects.select_for_update().get(pk=supersedes.pk)
            _same_place(earlier, stream, kind)
            if ContentItem.objects.filter(supersedes=earlier).exists():
                raise ContentInvalid(
                    "That version has already been corrected; correct the latest version.",
                    code="content.already_superseded",
                    data={"item": earlier.public_id},
                )
            version = earlier.version + 1
        if redaction_of is not None:
            original = ContentItem.objects.get(pk=redaction_of.pk)
            _same_place(original, stream, kind)
            if original.redaction_of_id is not None:
                raise ContentInvalid(
                    "Redact the original, not a redacted copy.",
                    code="content.redaction_of_redaction",
                )

        key_row, key = current_case_key(stream)
        item = ContentItem(
            public_id=public_id(),
            stream=stream,
            kind=kind,
            version=version,
            supersedes=supersedes,
            redaction_of=redaction_of,
            audience=audience or "",
            author=author,
            capacity=capacity,
            created_at=clock.now(),
            key_version=key_row.key_version,
            size=len(data),
            media_type=media_type,
        )
        sealed = envelope.seal(key, bytes(data), _aad(item))
        if len(sealed) <= _inline_max():
            item.blob = blob_address(sealed)
            item.inline = sealed
        else:
            item.blob = content_store().put(sealed)
        if filename is not None:
            item.sealed_filename = envelope.seal(
                key, filename.encode("utf-8"), _aad(item, "filename")
            )
        item.save()
    return item


def _same_place(other: ContentItem, stream: str, kind: str) -> None:
    if other.stream != stream or other.kind != kind:
        raise ContentInvalid(
            "A correction or redaction must be of the same kind of content in the same case.",
            code="content.wrong_place",
            data={"item": other.public_id},
        )
    if other.shredded:
        raise CaseShredded("That content was shredded.", data={"item": other.public_id})


# --- read -------------------------------------------------------------------------------


def _open_item(item: ContentItem) -> tuple[envelope.DataKey, BinaryIO]:
    if item.shredded:
        raise _shredded_error(item)
    try:
        _row, key = case_data_key(item.stream, item.key_version)
    except ContentShredded:
        raise _shredded_error(item) from None
    except CaseKey.DoesNotExist:
        raise ContentNotFound(
            "The content's key is missing.", data={"item": item.public_id}
        ) from None
    return key, _sealed_source(item)


def content_read(*, item: ContentItem | str, reader: str, capacity: str) -> bytes:
    """Decrypt one item, all or nothing, and journal the read (in the caller's transaction)."""
    _require(reader, _PERSON, "reader")
    _require(capacity, _PERSON, "capacity")
    with transaction.atomic():
        current = _fresh(item)
        key, source = _open_item(current)
        with source:
            plain = envelope.open_sealed(key, source.read(), _aad(current))
        _journal(reader=reader, capacity=capacity, item=current, action="read")
    return plain


def content_read_many(
    *, items: Iterable[ContentItem], reader: str, capacity: str
) -> dict[str, bytes]:
    """Decrypt several items (e.g. the statements of a case page); one journal entry each.

    All or nothing: if any item fails, nothing is returned and nothing journaled. One
    query fetches the keys of all the items' cases, each unwrapped once. ``items`` are
    taken as loaded by the caller (one query for the page).
    """
    _require(reader, _PERSON, "reader")
    _require(capacity, _PERSON, "capacity")
    batch = list(items)
    with transaction.atomic():
        out = _decrypt_items(batch)
        for item in batch:
            _journal(reader=reader, capacity=capacity, item=item, action="read")
    return out


def _key_rows(items: list[ContentItem]) -> dict[tuple[str, int], CaseKey | None]:
    """The keys of the items' cases in one lean query; ``None`` for a shredded key.

    Plain SQL on purpose: this runs on every page that shows confidential content, and
    the ORM's per-query overhead was most of the cost of encryption on such a page.
    """
    wanted = {(i.stream, i.key_version) for i in items}
    streams = sorted({s for s, _ in wanted})
    if not streams:  # "IN ()" is an error on PostgreSQL
        return {}
    table = connection.ops.quote_name(CaseKey._meta.db_table)
    marks = ", ".join(["%s"] * len(streams))
    sql = (
        f"SELECT stream, key_version, kek_id, wrapped_key, shredded_at IS NOT NULL"  # noqa: S608
        f" FROM {table} WHERE stream IN ({marks})"
    )
    rows: dict[tuple[str, int], CaseKey | None] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, streams)
        for stream, version, kek_id, wrapped, shredded in cursor.fetchall():
            if (stream, version) in wanted:
                rows[(stream, version)] = (
                    None
                    if shredded or wrapped is None
                    else CaseKey(
                        stream=stream, key_version=version, kek_id=kek_id, wrapped_key=wrapped
                    )
                )
    return rows


def _decrypt_items(items: list[ContentItem]) -> dict[str, bytes]:
    """Decrypt without journaling (callers journal in the same transaction)."""
    rows = _key_rows(items)
    keys: dict[tuple[str, int], envelope.DataKey] = {}
    store = content_store()
    out: dict[str, bytes] = {}
    for item in items:
        place = (item.stream, item.key_version)
        if place not in rows:
            raise ContentNotFound("The content's key is missing.", data={"item": item.public_id})
        row = rows[place]
        if item.shredded or row is None:
            raise _shredded_error(item)
        key = keys.get(place)
        if key is None:
            key = keys[place] = unwrap(row)
        if item.inline is not None:
            sealed = bytes(item.inline)
        else:
            with store.open(item.blob) as source:
                sealed = source.read()
        out[item.public_id] = envelope.open_sealed(key, sealed, _aad(item))
    return out


def content_filename(*, item: ContentItem | str, reader: str, capacity: str) -> str | None:
    """The original filename (sealed at rest), journaled as a read of ``<item>#filename``."""
    with transaction.atomic():
        current = _fresh(item)
        if current.sealed_filename is None:
            return None
        if current.shredded:
            raise _shredded_error(current)
        _row, key = case_data_key(current.stream, current.key_version)
        name = envelope.open_sealed(key, bytes(current.sealed_filename), _aad(current, "filename"))
        _journal(reader=reader, capacity=capacity, item=current, action="read", part="filename")
    return name.decode("utf-8")


@dataclass
class ContentStream:
    """An authenticated, streamable item: iterate ``chunks`` once (it closes the blob)."""

    item: ContentItem
    size: int
    media_type: str
    filename: str | None
    chunks: Iterator[bytes] = field(repr=False)


def content_open_stream(
    *, item: ContentItem | str, reader: str, capacity: str, action: str = "download"
) -> ContentStream:
    """Open an item for a streamed download, journaled as ``action``.

    The whole blob is authenticated before this returns (a first pass that releases
    nothing), so a tampered or truncated blob fails here, never half-way through a
    response. Memory stays bounded by the chunk size.
    """
    _require(reader, _PERSON, "reader")
    _require(capacity, _PERSON, "capacity")
    with transaction.atomic():
        current = _fresh(item)
        key, source = _open_item(current)
        aad = _aad(current)
        try:
            envelope.verify(key, source, aad)
            source.seek(0)
        except BaseException:
            source.close()
            raise
        name = None
        if current.sealed_filename is not None:
            name = envelope.open_sealed(
                key, bytes(current.sealed_filename), _aad(current, "filename")
            ).decode("utf-8")
        _journal(reader=reader, capacity=capacity, item=current, action=action)

    def chunks() -> Iterator[bytes]:
        with source:
            yield from envelope.open_chunks(key, source, aad)

    return ContentStream(
        item=current,
        size=current.size,
        media_type=current.media_type,
        filename=name,
        chunks=chunks(),
    )


def content_verify(item: ContentItem) -> int:
    """Authenticate an item without releasing or journaling anything (integrity checks)."""
    key, source = _open_item(item)
    with source:
        size = envelope.verify(key, source, _aad(item))
    if item.sealed_filename is not None:
        envelope.open_sealed(key, bytes(item.sealed_filename), _aad(item, "filename"))
    return size


def content_versions(item: ContentItem) -> list[ContentItem]:
    """Every version of a corrected item, oldest first (the earlier ones stay sealed)."""
    first = item
    while first.supersedes_id is not None:
        first = ContentItem.objects.get(pk=first.supersedes_id)
    chain = [first]
    while True:
        nxt = ContentItem.objects.filter(supersedes=chain[-1]).first()
        if nxt is None:
            return chain
        chain.append(nxt)


# --- shredding and legal holds ------------------------------------------------------------


@dataclass(frozen=True)
class ShredReport:
    stream: str
    shredded_at: datetime
    keys: int
    items: int


def active_holds(stream: str) -> list[LegalHold]:
    return list(LegalHold.objects.filter(stream=stream, lifted_at__isnull=True))


def case_key_shred(*, stream: str, reason: str) -> ShredReport:
    """Destroy a case's data keys; its content becomes unreadable for good.

    Metadata stays (what existed, when, by whom, in which capacity), and reading an item
    answers ``content.shredded`` with when and why. Refused while a legal hold is active.
    Blobs are deleted once the transaction commits.
    """
    _require(stream, _STREAM, "stream")
    if not reason or not reason.strip():
        raise ContentInvalid("Shredding needs a reason.", data={"field": "reason"})
    now = clock.now()
    with transaction.atomic():
        holds = list(
            LegalHold.objects.select_for_update().filter(stream=stream, lifted_at__isnull=True)
        )
        if holds:
            raise LegalHoldActive(
                "A legal hold is in place on this case; its content may not be shredded.",
                data={"stream": stream, "holds": [h.pk for h in holds]},
            )
        if connection.vendor == "sqlite":
            # Freed space in pages is zeroed, so the old wrapped key is not left behind.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA secure_delete = ON")
        rows = list(CaseKey.objects.select_for_update().filter(stream=stream))
        destroyed = 0
        for row in rows:
            if row.shredded_at is not None:
                continue
            if row.wrapped_key is not None:
                # Overwrite in place first, then drop the value.
                row.wrapped_key = b"\0" * len(bytes(row.wrapped_key))
                row.save(update_fields=["wrapped_key"])
            row.wrapped_key = None
            row.shredded_at = now
            row.shred_reason = reason
            row.save(update_fields=["wrapped_key", "shredded_at", "shred_reason"])
            destroyed += 1
        if not rows:
            # No content yet: leave a tombstone so the case takes no content later.
            CaseKey.objects.create(
                stream=stream,
                key_version=1,
                kek_id="",
                wrapped_key=None,
                created_at=now,
                shredded_at=now,
                shred_reason=reason,
            )
        items = ContentItem.objects.filter(stream=stream)
        blobs = list(items.filter(inline__isnull=True).values_list("blob", flat=True))
        for pk, size in items.filter(inline__isnull=False).values_list("pk", "size"):
            # Overwrite the sealed bytes in place, then drop them.
            ContentItem.objects.filter(pk=pk).update(inline=b"\0" * envelope.sealed_size(size))
        items.filter(inline__isnull=False).update(inline=None)
        count = items.filter(shredded=False).update(shredded=True)
        forget_cached(stream)
        transaction.on_commit(lambda: _delete_blobs(blobs))
    return ShredReport(stream=stream, shredded_at=now, keys=destroyed, items=count)


def _delete_blobs(addresses: list[str]) -> None:
    store = content_store()
    for address in addresses:
        store.delete(address)
    if connection.vendor == "sqlite":
        # Move committed pages out of the WAL so no old page image lingers there.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def shredded_blobs_sweep() -> int:
    """Delete blobs of shredded items that are still in the store (after a crash)."""
    store = content_store()
    gone = 0
    shredded = ContentItem.objects.filter(shredded=True, inline__isnull=True)
    for address in shredded.values_list("blob", flat=True):
        gone += int(store.delete(address))
    return gone


def legal_hold_place(*, stream: str, reason: str, placed_by: str) -> LegalHold:
    _require(stream, _STREAM, "stream")
    _require(placed_by, _PERSON, "placed_by")
    if not reason or not reason.strip():
        raise ContentInvalid("A legal hold needs a reason.", data={"field": "reason"})
    with transaction.atomic():
        return LegalHold.objects.create(
            stream=stream, reason=reason, placed_by=placed_by, placed_at=clock.now()
        )


def legal_hold_lift(*, hold: LegalHold | int, lifted_by: str) -> LegalHold:
    _require(lifted_by, _PERSON, "lifted_by")
    with transaction.atomic():
        pk = hold if isinstance(hold, int) else hold.pk
        try:
            row = LegalHold.objects.select_for_update().get(pk=pk)
        except LegalHold.DoesNotExist:
            raise ContentNotFound("No such legal hold.", code="content.hold_not_found") from None
        if row.lifted_at is not None:
            raise ContentInvalid("That hold was already lifted.", code="content.hold_lifted")
        row.lifted_at = clock.now()
        row.lifted_by = lifted_by
        row.save(update_fields=["lifted_at", "lifted_by"])
        return row
