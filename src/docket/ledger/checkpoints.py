"""Making, exporting and proving checkpoints (the Django side of ``signed.py``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction

from docket.core import clock
from docket.core.errors import ConfigurationError, Conflict, NotFound
from docket.crypto.keyfiles import public_key_bytes, signing_key
from docket.ledger import chain, log, merkle, signed
from docket.ledger.errors import LedgerFault
from docket.ledger.models import Checkpoint, LogCheckpoint
from docket.ledger.streams import JOURNAL


def current_leaves() -> list[signed.Leaf]:
    """Heads of every chain and of the journal, each checked against its last record."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT h.stream, h.seq, h.hash, e.hash,"
            " (SELECT MAX(x.seq) FROM ledger_event x WHERE x.stream = h.stream)"
            " FROM ledger_head h LEFT JOIN ledger_event e"
            " ON e.stream = h.stream AND e.seq = h.seq WHERE h.seq > 0 AND h.stream <> %s",
            [JOURNAL],
        )
        rows = list(cursor.fetchall())
        cursor.execute(
            "SELECT h.stream, h.seq, h.hash, j.hash, (SELECT MAX(seq) FROM ledger_journal)"
            " FROM ledger_head h LEFT JOIN ledger_journal j ON j.seq = h.seq"
            " WHERE h.stream = %s AND h.seq > 0",
            [JOURNAL],
        )
        rows += cursor.fetchall()
    leaves: list[signed.Leaf] = []
    for stream, seq, head_hash, record_hash, last in rows:
        if record_hash != head_hash or last != seq:
            raise LedgerFault(
                f"The head of {stream} does not match its chain; run `docket ledger verify`.",
                data={"stream": stream, "seq": seq},
            )
        leaves.append((stream, int(seq), head_hash))
    return signed.sort_leaves(leaves)


def _check_extensions(previous: list[signed.Leaf], leaves: list[signed.Leaf]) -> None:
    """A checkpoint never signs over a broken chain: re-verify what was added since the
    previous checkpoint (from its head to the new head) before signing."""
    before = {stream: (seq, h) for stream, seq, h in previous}
    for stream, seq, head_hash in leaves:
        old_seq, old_hash = before.pop(stream, (0, chain.genesis(stream)))
        if seq < old_seq or (seq == old_seq and head_hash != old_hash):
            raise LedgerFault(
                f"{stream} does not extend the previous checkpoint.", data={"stream": stream}
            )
        if seq == old_seq:
            continue
        if stream == JOURNAL:
            sql = "SELECT seq, hash, body FROM ledger_journal WHERE seq >= %s ORDER BY seq"
            params: list[Any] = [max(old_seq, 1)]
            domain = chain.JOURNAL_DOMAIN
        else:
            sql = (
                "SELECT seq, hash, body FROM ledger_event WHERE stream = %s AND seq >= %s"
                " AND seq <= %s ORDER BY seq"
            )
            params = [stream, max(old_seq, 1), seq]
            domain = chain.EVENT_DOMAIN
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [(int(q), h, bytes(b)) for q, h, b in cursor.fetchall() if int(q) <= seq]
        if old_seq:
            if not rows or rows[0][0] != old_seq or rows[0][1] != old_hash:
                raise LedgerFault(
                    f"{stream} was rewritten since the previous checkpoint.",
                    data={"stream": stream, "seq": old_seq},
                )
            rows = rows[1:]
        seqs = [q for q, _, _ in rows]
        breaks = list(
            chain.verify_links(((b, h) for _, h, b in rows), domain=domain, first_prev=old_hash)
        )
        if seqs != list(range(old_seq + 1, seq + 1)) or breaks:
            raise LedgerFault(
                f"{stream} is broken after seq {old_seq}; run `docket ledger verify`.",
                data={"stream": stream},
            )
    if before:
        raise LedgerFault(
            f"{min(before)} vanished since the previous checkpoint.", data={"stream": min(before)}
        )


def checkpoint_make(*, dry_run: bool = False, only_if_changed: bool = False) -> Checkpoint | None:
    """Sign the heads of all chains now. Returns the (unsaved when ``dry_run``) checkpoint,
    or None when ``only_if_changed`` and nothing moved since the last one."""
    key = signing_key()
    with transaction.atomic():
        last = Checkpoint.objects.order_by("-seq").first()
        previous = _leaves_of(last) if last else []
        leaves = current_leaves()
        if only_if_changed and last is not None and leaves == previous:
            return None
        _check_extensions(previous, leaves)
        statement = signed.Statement(
            seq=(last.seq + 1) if last else 1,
            made_at=chain.rfc3339(clock.now()),
            size=len(leaves),
            root=merkle.root(signed.leaf_hashes(leaves)).hex(),
            prev_hash=last.hash if last else signed.FIRST_PREV,
        )
        checkpoint = Checkpoint(
            seq=statement.seq,
            made_at=chain.parse_rfc3339(statement.made_at),
            size=statement.size,
            root=statement.root,
            prev_hash=statement.prev_hash,
            statement=statement.canonical(),
            signature=signed.sign(key, statement),
            public_key=public_key_bytes(key).hex(),
            leaves=signed.leaves_canonical(leaves),
            hash=statement.hash(),
        )
        if dry_run:
            return checkpoint
        try:
            with transaction.atomic():
                checkpoint.save(force_insert=True)
        except IntegrityError:
            raise Conflict(
                "Another checkpoint was made at the same moment; try again.",
                code="ledger.checkpoint_conflict",
            ) from None
        log.log_catch_up(key)  # the C2SP checkpoint of the same moment, same transaction
    return checkpoint


def _leaves_of(checkpoint: Checkpoint) -> list[signed.Leaf]:
    return [(s, int(q), h) for s, q, h in json.loads(bytes(checkpoint.leaves))]


def statement_of(checkpoint: Checkpoint) -> signed.Statement:
    return signed.Statement.from_dict(json.loads(bytes(checkpoint.statement)))


def checkpoint_export(*, seq: int | None = None) -> dict[str, Any]:
    """The exported JSON document of a checkpoint (the latest when ``seq`` is None)."""
    query = Checkpoint.objects.order_by("-seq")
    checkpoint = (query.filter(seq=seq) if seq is not None else query).first()
    if checkpoint is None:
        raise NotFound(
            "There is no such checkpoint yet; run `docket ledger checkpoint`.",
            code="ledger.no_checkpoint",
        )
    return signed.export_document(
        statement_of(checkpoint),
        checkpoint.signature,
        checkpoint.public_key,
        _leaves_of(checkpoint),
    )


def receipt_for(*, stream: str, fresh: bool = True) -> dict[str, Any]:
    """A receipt for the stream's current head; makes a checkpoint first when the latest
    one predates the head (``fresh``)."""
    checkpoint = Checkpoint.objects.order_by("-seq").first()
    leaves = _leaves_of(checkpoint) if checkpoint else []
    head = next(((q, h) for s, q, h in current_leaves() if s == stream), None)
    if head is None:
        raise NotFound(f"{stream} has no events.", code="ledger.no_stream", data={"stream": stream})
    in_checkpoint = next(((q, h) for s, q, h in leaves if s == stream), None)
    if fresh and in_checkpoint != head:
        checkpoint = checkpoint_make()
        assert checkpoint is not None
        leaves = _leaves_of(checkpoint)
    if checkpoint is None or not any(s == stream for s, _, _ in leaves):
        raise NotFound(f"No checkpoint covers {stream} yet.", code="ledger.no_checkpoint")
    if not LogCheckpoint.objects.filter(checkpoint=checkpoint.seq).exists():
        log.log_catch_up(signing_key())  # a checkpoint from before the log existed
    return log.receipt_v2(stream=stream, checkpoint=checkpoint)


def org_public_key() -> str | None:
    """The organization's public key (hex), or None when the key file is not here."""
    try:
        return public_key_bytes(signing_key()).hex()
    except ConfigurationError:
        return None


@dataclass(frozen=True)
class PublishedKey:
    """The organization's key as it is published: page, letters, case files, keys status."""

    vkey: str  # C2SP signed-note verifier key: name+keyid+base64(0x01 || key)
    fingerprint: str
    origin: str
    public_key_hex: str


def published_key() -> PublishedKey | None:
    """None when the signing key file is not on this machine."""
    try:
        public = public_key_bytes(signing_key())
    except ConfigurationError:
        return None
    verifier = log.verifier_for(public)
    return PublishedKey(verifier.text, log.fingerprint(public), verifier.name, public.hex())
