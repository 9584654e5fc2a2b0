"""Receipts as proof bundles, and case-file signatures (pure: no Django import).

A receipt (``docket.receipt.v2``) is self-contained: with the organization's verifier key
and nothing else, anyone can check that the chain head it names is in a signed C2SP
checkpoint, and that each later checkpoint it carries extends that one::

    {"format": "docket.receipt.v2",
     "stream": "case:…", "seq": 12, "hash": "<head, hex>",
     "events": [{"seq": 1, "type": "…", "hash": "<hex>"}, …],   # what the party saw
     "key": "<vkey of the signer>",                                # a hint, never trusted
     "proof": "<c2sp.org/tlog-proof@v1 text: index, inclusion path, checkpoint>",
     "consistency": [{"checkpoint": "<signed note>", "proof": ["<base64>", …]}, …]}

The logged leaf is ``merkle.leaf_bytes(stream, seq, hash)``. The event hashes before the
head are what the party is entitled to keep; a later case file proves them (its chain
must hold the same hashes at the same places).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docket.ledger import merkle, note

RECEIPT_FORMAT = "docket.receipt.v2"


def receipt_document(
    *,
    stream: str,
    seq: int,
    head: str,
    events: Sequence[tuple[int, str, str]],
    vkey: str,
    index: int,
    path: Sequence[bytes],
    checkpoint_note: str,
) -> dict[str, Any]:
    return {
        "format": RECEIPT_FORMAT,
        "stream": stream,
        "seq": seq,
        "hash": head,
        "events": [{"seq": q, "type": t, "hash": h} for q, t, h in events],
        "key": vkey,
        "proof": note.proof_text(index, path, checkpoint_note),
        "consistency": [],
    }


def consistency_entry(checkpoint_note: str, proof: Sequence[bytes]) -> dict[str, Any]:
    return {"checkpoint": checkpoint_note, "proof": [base64.b64encode(p).decode() for p in proof]}


@dataclass(frozen=True)
class ReceiptFacts:
    """What a receipt proves once checked."""

    stream: str
    seq: int
    head: str
    events: list[tuple[int, str]]  # (seq, hash)
    checkpoints: list[note.Checkpoint]  # the receipt's, then each later one it carries
    notes: list[str]


def check_receipt(doc: Mapping[str, Any], verifier: note.Verifier) -> ReceiptFacts:
    """Check a v2 receipt against a trusted key; raises ``note.NoteError`` naming the fault."""
    if doc.get("format") != RECEIPT_FORMAT:
        raise note.NoteError("not a Docket receipt (docket.receipt.v2)")
    try:
        stream, seq, head = doc["stream"], doc["seq"], doc["hash"]
        events = [(int(e["seq"]), str(e["hash"])) for e in doc["events"]]
        proof = note.parse_proof(doc["proof"])
        later = [(c["checkpoint"], _hashes(c["proof"])) for c in doc.get("consistency", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise note.NoteError(f"the receipt is incomplete or malformed ({exc})") from exc
    if not isinstance(stream, str) or not isinstance(seq, int) or not isinstance(head, str):
        raise note.NoteError("the receipt's stream, seq or hash has the wrong type")
    if not events or events[-1] != (seq, head):
        raise note.NoteError("the receipt's last event is not the head it names")
    checkpoint = note.open_checkpoint(proof.checkpoint, verifier)
    leaf = merkle.leaf_hash(merkle.leaf_bytes(stream, seq, head))
    if not merkle.verify_inclusion(leaf, proof.index, checkpoint.size, proof.path, checkpoint.root):
        raise note.NoteError("the inclusion proof does not lead to the signed checkpoint's root")
    checkpoints, notes = [checkpoint], [proof.checkpoint]
    for text, path in later:
        newer = note.open_checkpoint(text, verifier)
        if not merkle.verify_consistency(
            checkpoint.size, newer.size, checkpoint.root, newer.root, path
        ):
            raise note.NoteError(
                f"the checkpoint of size {newer.size} is not an extension of the receipt's"
                f" (size {checkpoint.size}): the consistency proof fails"
            )
        checkpoints.append(newer)
        notes.append(text)
    return ReceiptFacts(stream, seq, head, events, checkpoints, notes)


def _hashes(items: Any) -> list[bytes]:
    out = []
    for item in items:
        try:
            digest = base64.b64decode(item, validate=True)
        except (ValueError, binascii.Error, TypeError):
            digest = b""
        if len(digest) != 32:
            raise ValueError("a consistency proof line is not a hash")
        out.append(digest)
    return out


# --- case files ---------------------------------------------------------------------------

CASEFILE_HEADER = "docket-casefile/2"


def casefile_text(
    *,
    stream: str,
    head_seq: int,
    head_hash: str,
    pdf_sha256: str,
    contents: Sequence[tuple[str, int, str]],
) -> str:
    """The note text the organization signs for a case file. Its first line can never be
    read as a checkpoint's origin-size-root, so one key signs both without ambiguity."""
    lines = [
        CASEFILE_HEADER,
        f"case {stream}",
        f"head {head_seq} {head_hash}",
        f"pdf {pdf_sha256}",
        *(f"content {item} {seq} {digest}" for item, seq, digest in contents),
    ]
    return "\n".join(lines) + "\n"
