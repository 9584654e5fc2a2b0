"""Signed checkpoints, their export file and receipts (pure: no Django import).

A checkpoint statement is the canonical JSON of {kind, seq, made_at, size, root,
prev_hash}; the organization's Ed25519 key signs the domain tag followed by those bytes.
Leaves (one per chain head, sorted by stream) are not signed directly: the root commits
to them. A receipt carries one leaf, its audit path and the signed statement.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from docket.ledger import merkle

STATEMENT_KIND = "docket.checkpoint.v1"
SIGNATURE_DOMAIN = b"docket.ledger.checkpoint-signature.v1\x00"
HASH_DOMAIN = b"docket.ledger.checkpoint.v1\x00"
EXPORT_FORMAT = "docket.checkpoint-export.v1"
RECEIPT_FORMAT = "docket.receipt.v1"
FIRST_PREV = "0" * 64

Leaf = tuple[str, int, str]  # (stream, head seq, head hash)


@dataclass(frozen=True)
class Statement:
    seq: int
    made_at: str
    size: int
    root: str
    prev_hash: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": STATEMENT_KIND,
            "seq": self.seq,
            "made_at": self.made_at,
            "size": self.size,
            "root": self.root,
            "prev_hash": self.prev_hash,
        }

    def canonical(self) -> bytes:
        return rfc8785.dumps(self.as_dict())

    def hash(self) -> str:
        return hashlib.sha256(HASH_DOMAIN + self.canonical()).hexdigest()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Statement:
        if data.get("kind") != STATEMENT_KIND or set(data) != set(_STATEMENT_KEYS):
            raise ValueError("not a Docket checkpoint statement")
        seq, size = data["seq"], data["size"]
        texts = (data["made_at"], data["root"], data["prev_hash"])
        if (
            not isinstance(seq, int)
            or not isinstance(size, int)
            or not all(isinstance(t, str) for t in texts)
        ):
            raise ValueError("checkpoint statement fields have the wrong types")
        return cls(seq, data["made_at"], size, data["root"], data["prev_hash"])


_STATEMENT_KEYS = ("kind", "seq", "made_at", "size", "root", "prev_hash")


def leaf_hashes(leaves: Sequence[Leaf]) -> list[bytes]:
    return [merkle.leaf_hash(merkle.leaf_bytes(s, q, h)) for s, q, h in leaves]


def sort_leaves(leaves: Sequence[Leaf]) -> list[Leaf]:
    # By the UTF-8 bytes of the stream name: the same order in every language.
    return sorted(leaves, key=lambda leaf: leaf[0].encode("utf-8"))


def leaves_canonical(leaves: Sequence[Leaf]) -> bytes:
    return rfc8785.dumps([list(leaf) for leaf in leaves])


def sign(key: Ed25519PrivateKey, statement: Statement) -> str:
    return key.sign(SIGNATURE_DOMAIN + statement.canonical()).hex()


def signature_valid(public_key_hex: str, statement: Statement, signature_hex: str) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        public.verify(bytes.fromhex(signature_hex), SIGNATURE_DOMAIN + statement.canonical())
    except (ValueError, InvalidSignature):
        return False
    return True


def export_document(
    statement: Statement, signature: str, public_key: str, leaves: Sequence[Leaf]
) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "statement": statement.as_dict(),
        "signature": signature,
        "public_key": public_key,
        "leaves": [list(leaf) for leaf in leaves],
    }


def receipt_document(
    statement: Statement,
    signature: str,
    public_key: str,
    leaves: Sequence[Leaf],
    stream: str,
) -> dict[str, Any]:
    index = next((i for i, leaf in enumerate(leaves) if leaf[0] == stream), None)
    if index is None:
        raise KeyError(stream)
    _, seq, head = leaves[index]
    path = merkle.audit_path(index, leaf_hashes(leaves))
    return {
        "format": RECEIPT_FORMAT,
        "stream": stream,
        "seq": seq,
        "hash": head,
        "leaf_index": index,
        "audit_path": [p.hex() for p in path],
        "checkpoint": {
            "statement": statement.as_dict(),
            "signature": signature,
            "public_key": public_key,
        },
    }


@dataclass(frozen=True)
class Checked:
    """What a receipt or export file claims, once its own proofs hold."""

    statement: Statement
    public_key: str
    leaves: list[Leaf]  # all leaves (export) or the receipt's one leaf


def check_export(doc: Mapping[str, Any]) -> Checked:
    """Signature and root of an exported checkpoint; raises ValueError naming the fault."""
    if doc.get("format") != EXPORT_FORMAT:
        raise ValueError("not a Docket checkpoint export")
    statement = Statement.from_dict(doc["statement"])
    if not signature_valid(doc["public_key"], statement, doc["signature"]):
        raise ValueError("the checkpoint signature is not valid")
    leaves = [_leaf(item) for item in doc["leaves"]]
    if leaves != sort_leaves(leaves) or len({leaf[0] for leaf in leaves}) != len(leaves):
        raise ValueError("the checkpoint leaves are not sorted and unique")
    if len(leaves) != statement.size:
        raise ValueError("the number of leaves differs from the signed size")
    if merkle.root(leaf_hashes(leaves)).hex() != statement.root:
        raise ValueError("the leaves do not give the signed Merkle root")
    return Checked(statement, doc["public_key"], leaves)


def check_receipt(doc: Mapping[str, Any]) -> Checked:
    """Signature and inclusion proof of a receipt; raises ValueError naming the fault."""
    if doc.get("format") != RECEIPT_FORMAT:
        raise ValueError("not a Docket receipt")
    cp = doc["checkpoint"]
    statement = Statement.from_dict(cp["statement"])
    if not signature_valid(cp["public_key"], statement, cp["signature"]):
        raise ValueError("the checkpoint signature is not valid")
    leaf = _leaf([doc["stream"], doc["seq"], doc["hash"]])
    path = [bytes.fromhex(p) for p in doc["audit_path"]]
    if not merkle.verify_inclusion(
        merkle.leaf_hash(merkle.leaf_bytes(*leaf)),
        doc["leaf_index"],
        statement.size,
        path,
        bytes.fromhex(statement.root),
    ):
        raise ValueError("the inclusion proof does not lead to the signed Merkle root")
    return Checked(statement, cp["public_key"], [leaf])


def _leaf(item: Any) -> Leaf:
    if (
        not isinstance(item, list | tuple)
        or len(item) != 3
        or not isinstance(item[0], str)
        or not isinstance(item[1], int)
        or not isinstance(item[2], str)
    ):
        raise ValueError(f"malformed leaf {item!r}")
    return (item[0], item[1], item[2])
