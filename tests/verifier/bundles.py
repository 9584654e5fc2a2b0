"""Receipts and case files made by Docket's own code (chain, merkle, note, proofs), without
a database: a fictional case of ``n`` events, its log, checkpoints and signatures."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from docket.ledger import chain, merkle, note, proofs
from docket.ledger.log import verifier_for

STREAM = "case:7QK2M9"


def public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass
class Org:
    """A deployment's key and its log of heads."""

    key: Ed25519PrivateKey
    leaves: list[bytes]

    @property
    def verifier(self) -> note.Verifier:
        return verifier_for(public(self.key))

    @property
    def vkey(self) -> str:
        return self.verifier.text

    def log(self, stream: str, seq: int, head: str) -> int:
        self.leaves.append(merkle.leaf_hash(merkle.leaf_bytes(stream, seq, head)))
        return len(self.leaves) - 1

    def checkpoint(self, size: int | None = None) -> str:
        size = len(self.leaves) if size is None else size
        tree = note.Checkpoint(self.verifier.name, size, merkle.root(self.leaves[:size]))
        return note.sign(tree.text(), self.verifier.name, self.key)


def new_org() -> Org:
    org = Org(Ed25519PrivateKey.generate(), [])
    for i in range(5):  # other cases logged before this one
        org.log(f"case:OTHER{i}", 1, hashlib.sha256(bytes([i])).hexdigest())
    return org


def events(n: int, stream: str = STREAM) -> list[dict[str, Any]]:
    prev = chain.genesis(stream)
    out = []
    for seq in range(1, n + 1):
        kind = "statement.recorded" if seq % 3 == 0 else "ledger.note"
        payload: dict[str, Any] = {"label": f"step {seq}"}
        if kind == "statement.recorded":
            payload = {"item": f"ITEM{seq}", "label": f"S{seq}", "role": "complainant"}
        fields = {
            "stream": stream, "seq": seq, "type": kind, "actor": "person:P1",
            "capacity": "investigator", "occurred_at": "2013-03-04T12:00:00.000000Z",
            "recorded_at": "2013-03-04T12:00:00.000000Z", "recorded_by": "",
            "provenance": "live", "payload": payload, "deviation": None,
        }  # fmt: skip
        body = chain.canonical(chain.EVENT_KEY, fields, prev)
        digest = chain.record_hash(chain.EVENT_DOMAIN, body)
        out.append(
            {"seq": seq, "type": kind, "hash": digest, "prev_hash": prev,
             "body": base64.b64encode(body).decode()}
        )  # fmt: skip
        prev = digest
    return out


def receipt(org: Org, evs: list[dict[str, Any]], stream: str = STREAM) -> dict[str, Any]:
    head = evs[-1]
    index = org.log(stream, head["seq"], head["hash"])
    return proofs.receipt_document(
        stream=stream,
        seq=head["seq"],
        head=head["hash"],
        events=[(e["seq"], e["type"], e["hash"]) for e in evs],
        vkey=org.vkey,
        index=index,
        path=merkle.audit_path(index, org.leaves),
        checkpoint_note=org.checkpoint(),
    )


def extend(org: Org, doc: dict[str, Any]) -> dict[str, Any]:
    old = note.parse_checkpoint(note.split(note.parse_proof(doc["proof"]).checkpoint)[0])
    proof = merkle.consistency_proof(old.size, org.leaves)
    return {**doc, "consistency": [proofs.consistency_entry(org.checkpoint(), proof)]}


PDF = b"%PDF-1.4 a fictional case file\n"


def casefile(org: Org, n: int = 12, pdf: bytes = PDF) -> dict[str, Any]:
    evs = events(n)
    contents = []
    for e in evs:
        if e["type"] == "statement.recorded":
            text = f"What I saw on day {e['seq']}: the fictional meeting ran late."
            digest = hashlib.sha256(text.encode()).hexdigest()
            contents.append(
                {"item": f"ITEM{e['seq']}", "seq": e["seq"], "sha256": digest, "text": text}
            )
    pdf_sha = hashlib.sha256(pdf).hexdigest()
    text = proofs.casefile_text(
        stream=STREAM,
        head_seq=n,
        head_hash=evs[-1]["hash"],
        pdf_sha256=pdf_sha,
        contents=[(c["item"], c["seq"], c["sha256"]) for c in contents],
    )
    return {
        "format": "docket-casefile/2",
        "case": {"reference": "2013-004", "stream": STREAM},
        "head": {"seq": n, "hash": evs[-1]["hash"]},
        "pdf_sha256": pdf_sha,
        "events": evs,
        "contents": contents,
        "receipt": receipt(org, evs),
        "key": org.vkey,
        "signature": note.sign(text, org.verifier.name, org.key),
    }
