"""The log of chain heads and its C2SP checkpoints (the Django side of ``note.py``).

Every checkpoint (``checkpoints.checkpoint_make``) appends to one append-only RFC 6962
log the chain heads that moved since the checkpoint before, sorted by stream, and signs
the log's size and root as a tlog-checkpoint note under the organization's Ed25519 key.
Unlike the per-checkpoint tree of all heads (``docket.checkpoint.v1``, still made and
verified), this tree only grows, so a receipt from one checkpoint is provably contained
in every later one. Checkpoints made before this log existed are logged, and their
notes signed, by the first checkpoint made after the upgrade (``log_catch_up``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from docket.core.errors import NotFound
from docket.crypto.keyfiles import public_key_bytes
from docket.ledger import merkle, note, proofs, signed
from docket.ledger.errors import ReceiptInvalid
from docket.ledger.models import Checkpoint, LedgerEvent, LogCheckpoint, LogLeaf


def fingerprint(public_key: bytes) -> str:
    """What people compare: the first 16 hex digits of SHA-256 of the public key, in fours."""
    digest = hashlib.sha256(public_key).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def origin(public_key: bytes) -> str:
    """The log's origin and the key's name: fixed by the key, so it needs no setting that
    could drift, and two deployments never share one."""
    return f"docket.ledger/{hashlib.sha256(public_key).hexdigest()[:16]}"


def verifier_for(public_key: bytes) -> note.Verifier:
    name = origin(public_key)
    return note.Verifier(name, note.key_id(name, public_key), public_key)


def _leaves_of(checkpoint: Checkpoint) -> list[signed.Leaf]:
    return [(s, int(q), h) for s, q, h in json.loads(bytes(checkpoint.leaves))]


def _moved(previous: list[signed.Leaf], leaves: list[signed.Leaf]) -> list[signed.Leaf]:
    before = {s: (q, h) for s, q, h in previous}
    return [leaf for leaf in leaves if before.get(leaf[0]) != (leaf[1], leaf[2])]


def all_leaf_hashes() -> list[bytes]:
    rows = LogLeaf.objects.order_by("index").values_list("stream", "seq", "hash")
    return [merkle.leaf_hash(merkle.leaf_bytes(s, int(q), h)) for s, q, h in rows.iterator()]


def log_catch_up(key: Ed25519PrivateKey) -> LogCheckpoint | None:
    """Log every stored checkpoint that is not yet logged, in order, and sign its note.
    Call inside the transaction that made the checkpoint. Returns the last note made."""
    done = LogCheckpoint.objects.order_by("-checkpoint").first()
    pending = Checkpoint.objects.filter(seq__gt=done.checkpoint if done else 0).order_by("seq")
    if not pending.exists():
        return None
    public = public_key_bytes(key)
    name = origin(public)
    hashes = all_leaf_hashes()
    previous: list[signed.Leaf] = []
    if done is not None:
        previous = _leaves_of(Checkpoint.objects.get(seq=done.checkpoint))
    made = None
    for checkpoint in pending:
        leaves = _leaves_of(checkpoint)
        added = _moved(previous, leaves)
        LogLeaf.objects.bulk_create(
            LogLeaf(index=len(hashes) + i, stream=s, seq=q, hash=h, checkpoint=checkpoint.seq)
            for i, (s, q, h) in enumerate(added)
        )
        hashes += signed.leaf_hashes(added)
        tree = note.Checkpoint(name, len(hashes), merkle.root(hashes))
        made = LogCheckpoint.objects.create(
            checkpoint=checkpoint.seq,
            size=tree.size,
            root=tree.root.hex(),
            note=note.sign(tree.text(), name, key),
        )
        previous = leaves
    return made


def latest_note() -> LogCheckpoint | None:
    return LogCheckpoint.objects.order_by("-checkpoint").first()


def receipt_v2(*, stream: str, checkpoint: Checkpoint) -> dict[str, Any]:
    """A proof bundle for ``stream``'s head as ``checkpoint`` signed it."""
    logged = LogCheckpoint.objects.filter(checkpoint=checkpoint.seq).first()
    head = next(((q, h) for s, q, h in _leaves_of(checkpoint) if s == stream), None)
    if logged is None or head is None:
        raise NotFound(f"No checkpoint covers {stream} yet.", code="ledger.no_checkpoint")
    seq, head_hash = head
    leaf = (
        LogLeaf.objects.filter(stream=stream, seq=seq, hash=head_hash, index__lt=logged.size)
        .order_by("index")
        .first()
    )
    if leaf is None:
        raise NotFound(f"The log does not hold {stream}#{seq}.", code="ledger.no_checkpoint")
    hashes = all_leaf_hashes()[: logged.size]
    events = LedgerEvent.objects.filter(stream=stream, seq__lte=seq).order_by("seq")
    return proofs.receipt_document(
        stream=stream,
        seq=seq,
        head=head_hash,
        events=list(events.values_list("seq", "type", "hash")),
        vkey=verifier_for(bytes.fromhex(checkpoint.public_key)).text,
        index=int(leaf.index),
        path=merkle.audit_path(int(leaf.index), hashes),
        checkpoint_note=logged.note,
    )


def receipt_extend(doc: dict[str, Any], *, to: LogCheckpoint | None = None) -> dict[str, Any]:
    """``doc`` with a consistency proof from its checkpoint to ``to`` (default: the latest),
    so that an old receipt can be checked against a checkpoint made long after it."""
    try:
        old = note.parse_checkpoint(note.split(note.parse_proof(doc["proof"]).checkpoint)[0])
    except (KeyError, TypeError, note.NoteError) as exc:
        raise ReceiptInvalid(f"That is not a Docket receipt: {exc}") from None
    target = to or latest_note()
    if target is None or target.size < old.size:
        raise NotFound("There is no later checkpoint yet.", code="ledger.no_checkpoint")
    hashes = all_leaf_hashes()[: target.size]
    if merkle.root(hashes[: old.size]) != old.root:
        raise ReceiptInvalid("The receipt's checkpoint is not one of this ledger's.")
    entry = proofs.consistency_entry(target.note, merkle.consistency_proof(old.size, hashes))
    extended = dict(doc)
    extended["consistency"] = [
        *(c for c in doc.get("consistency", []) if c.get("checkpoint") != target.note),
        entry,
    ]
    return extended
