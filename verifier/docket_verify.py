#!/usr/bin/env python3
"""Check Docket receipts and case files offline, trusting nothing but a public key.

Standalone on purpose: one file, Python 3.11+, and the ``cryptography`` package. It never
imports Docket and never goes online, so a party, an appeal body or a court can run it on
their own machine years later (docs/verify.md)::

    docket-verify key KEY
    docket-verify receipt receipt.json [--key KEY] [--checkpoint later-checkpoint.txt]
    docket-verify casefile bundle.json [--pdf casefile.pdf] [--key KEY] [--receipt old.json]

KEY is the organization's C2SP verifier key (``name+keyid+base64``), as printed in every
case file and letter and published at ``/.well-known/docket-key``.

Formats (the same as Docket's ``docket.ledger.note``, ``merkle`` and ``proofs``):
C2SP signed-note with Ed25519, C2SP tlog-checkpoint, C2SP tlog-proof, RFC 6962/9162
Merkle inclusion and consistency proofs, Docket's hash chains
(``SHA-256("docket.ledger.event.v1\\0" || canonical bytes)``, each event naming the hash
of the one before, the first naming ``SHA-256("docket.ledger.genesis.v1\\0" || stream)``).

Every failure has a stable code (``CODES``) and a message naming what failed.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

__version__ = "1.0.0"

# Every failure's code and what it means. Codes never change meaning once released.
CODES: dict[str, str] = {
    "verify.malformed": "the file is not a complete receipt or case file (truncated?)",
    "verify.key": "the key is not a valid verifier key, or the document is signed by another",
    "verify.signature": "a signature by the trusted key does not verify",
    "verify.checkpoint": "a checkpoint is malformed or names another log",
    "verify.inclusion": "the inclusion proof does not lead to the signed root",
    "verify.consistency": "a later checkpoint is not an extension of an earlier one",
    "verify.event": "an event's bytes do not give its hash (the event was changed)",
    "verify.chain": "an event does not name the hash of the event before it",
    "verify.sequence": "events are missing, added or out of order",
    "verify.head": "the chain does not end at the head that was signed",
    "verify.pdf": "the PDF is not the one that was signed",
    "verify.content": "a statement's text or hash is not what was signed",
    "verify.signed": "the bundle differs from what the organization signed",
    "verify.receipt": "a receipt does not match the record",
}

EVENT_DOMAIN = b"docket.ledger.event.v1\x00"
GENESIS_DOMAIN = b"docket.ledger.genesis.v1\x00"
RECEIPT_FORMAT = "docket.receipt.v2"
CASEFILE_FORMAT = "docket-casefile/2"
CASEFILE_HEADER = "docket-casefile/2"
PROOF_HEADER = "c2sp.org/tlog-proof@v1"
DASH = "\u2014"
ED25519 = 0x01


class VerifyError(Exception):
    def __init__(self, code: str, message: str) -> None:
        assert code in CODES, code
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass
class Report:
    """What was checked (``passed``), what failed, and what the reader should know."""

    passed: list[str] = field(default_factory=list)
    failures: list[VerifyError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def fail(self, code: str, message: str) -> None:
        self.failures.append(VerifyError(code, message))

    def codes(self) -> list[str]:
        return [f.code for f in self.failures]


# --- keys and signed notes (c2sp.org/signed-note) -----------------------------------------


@dataclass(frozen=True)
class Key:
    name: str
    id: bytes
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.public_key).hexdigest()[:16]
        return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


def parse_key(text: str) -> Key:
    """A signed-note verifier key: ``name+hex(key ID)+base64(0x01 || Ed25519 key)``."""
    parts = text.strip().split("+", 2)  # base64 may itself contain "+"
    if len(parts) != 3 or not parts[0] or any(c.isspace() for c in parts[0]):
        raise VerifyError("verify.key", "the key is not a verifier key (name+keyid+key)")
    name, hex_id, material = parts
    try:
        ident, raw = bytes.fromhex(hex_id), base64.b64decode(material, validate=True)
    except (ValueError, binascii.Error):
        raise VerifyError("verify.key", "the key's ID or key material is garbled") from None
    if len(ident) != 4 or len(raw) != 33 or raw[0] != ED25519:
        raise VerifyError("verify.key", "the key is not an Ed25519 verifier key")
    if key_id(name, raw[1:]) != ident:
        raise VerifyError("verify.key", "the key's ID does not match its name and key (garbled)")
    return Key(name, ident, raw[1:])


def open_note(note: str, key: Key, what: str) -> str:
    """The text of a signed note, once ``key``'s signature on it verifies."""
    if not isinstance(note, str) or not note.endswith("\n") or "\n\n" not in note:
        raise VerifyError("verify.malformed", f"the {what} is not a complete signed note")
    cut = note.rfind("\n\n")
    text, block = note[: cut + 1], note[cut + 2 :]
    mine: list[bytes] = []
    others: list[str] = []
    for line in block.splitlines():
        dash, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            raw = b""
        if dash != DASH or len(raw) < 5:
            raise VerifyError("verify.malformed", f"the {what} has a garbled signature line")
        if name == key.name and raw[:4] == key.id:
            mine.append(raw[4:])
        else:
            others.append(name)
    if not mine:
        signers = ", ".join(others) or "nobody"
        raise VerifyError(
            "verify.key",
            f"the {what} is not signed by the key you trust ({key.name}, fingerprint "
            f"{key.fingerprint}); it is signed by {signers}",
        )
    public = Ed25519PublicKey.from_public_bytes(key.public_key)
    for signature in mine:
        try:
            public.verify(signature, text.encode("utf-8"))
        except InvalidSignature:
            raise VerifyError(
                "verify.signature",
                f"the signature on the {what} does not verify: its text was changed "
                "after signing, or the signature was forged",
            ) from None
    return text


@dataclass(frozen=True)
class Checkpoint:
    size: int
    root: bytes
    note: str


def open_checkpoint(note: str, key: Key) -> Checkpoint:
    lines = open_note(note, key, "checkpoint").split("\n")
    if len(lines) < 4 or any(not line for line in lines[:-1]) or not lines[1].isdigit():
        raise VerifyError("verify.checkpoint", "the checkpoint is not origin, size and root")
    if lines[0] != key.name:
        raise VerifyError("verify.checkpoint", f"the checkpoint is for another log: {lines[0]}")
    root = _b64hash(lines[2], "the checkpoint's root")
    return Checkpoint(int(lines[1]), root, note)


def _b64hash(text: Any, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error, TypeError):
        raw = b""
    if len(raw) != 32:
        raise VerifyError("verify.malformed", f"{what} is not a SHA-256 hash")
    return raw


# --- RFC 6962 / 9162 Merkle proofs ---------------------------------------------------------


def leaf_hash(stream: str, seq: int, head: str) -> bytes:
    # Docket's leaf is the RFC 8785 (JCS) form of {hash, seq, stream}; for these ASCII
    # names and small integers that is exactly sorted-key, separator-free JSON.
    leaf = json.dumps(
        {"hash": head, "seq": seq, "stream": stream},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(b"\x00" + leaf.encode("utf-8")).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def inclusion_root(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes | None:
    """RFC 9162 2.1.3.2."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def consistent(m: int, n: int, old: bytes, new: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: the tree (m, old) is a prefix of (n, new)."""
    if not 0 <= m <= n:
        return False
    if m == n:
        return not proof and old == new
    if m == 0:
        return not proof
    path = [old, *proof] if m & (m - 1) == 0 else list(proof)
    if not path:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = _node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old and sr == new and sn == 0


# --- receipts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    stream: str
    seq: int
    head: str
    events: dict[int, str]
    checkpoints: list[Checkpoint]


def _trusted(doc: Mapping[str, Any], key: Key | None, report: Report) -> Key:
    if key is not None:
        return key
    hinted = parse_key(str(doc.get("key", "")))
    report.notes.append(
        "No key was given, so the key named in the file itself was used: compare its "
        f"fingerprint {hinted.fingerprint} with the one the organization publishes."
    )
    return hinted


def check_receipt(
    doc: Any, key: Key | None, report: Report, later: str | None = None
) -> Receipt | None:
    """Check a receipt: its head is in a signed checkpoint, every later checkpoint it
    carries extends that one, and (``later``) a checkpoint obtained elsewhere is among them."""
    try:
        if not isinstance(doc, Mapping) or doc.get("format") != RECEIPT_FORMAT:
            raise VerifyError("verify.malformed", "this is not a Docket receipt (v2)")
        key = _trusted(doc, key, report)
        stream, seq, head = doc["stream"], doc["seq"], doc["hash"]
        events = {int(e["seq"]): str(e["hash"]) for e in doc["events"]}
        proof_text = doc["proof"]
        later_items = [(c["checkpoint"], c["proof"]) for c in doc.get("consistency", [])]
        if not (isinstance(stream, str) and isinstance(seq, int) and isinstance(head, str)):
            raise VerifyError("verify.malformed", "the receipt's stream, seq or hash is garbled")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        report.fail("verify.malformed", f"the receipt is incomplete: missing or garbled {exc}")
        return None
    except VerifyError as exc:
        report.failures.append(exc)
        return None
    if events.get(seq) != head or max(events, default=0) != seq:
        report.fail("verify.receipt", "the receipt's last event is not the head it names")
    try:
        index, path, checkpoint_note = _parse_proof(proof_text)
        checkpoint = open_checkpoint(checkpoint_note, key)
    except VerifyError as exc:
        report.failures.append(exc)
        return None
    report.passed.append(
        f"the checkpoint (log size {checkpoint.size}) is signed by {key.name} "
        f"(fingerprint {key.fingerprint})"
    )
    root = inclusion_root(leaf_hash(stream, seq, head), index, checkpoint.size, path)
    if root != checkpoint.root:
        report.fail(
            "verify.inclusion",
            f"the inclusion proof of {stream} at event {seq} does not lead to the signed "
            "root: the head, its index or the proof was changed",
        )
        return None
    report.passed.append(f"{stream} through event {seq} is in that checkpoint")
    checkpoints = [checkpoint]
    for note, items in later_items:
        try:
            newer = open_checkpoint(note, key)
            proof = [_b64hash(p, "a consistency proof line") for p in items]
        except (VerifyError, TypeError) as exc:
            report.failures.append(
                exc if isinstance(exc, VerifyError) else VerifyError("verify.malformed", str(exc))
            )
            continue
        if not consistent(checkpoint.size, newer.size, checkpoint.root, newer.root, proof):
            report.fail(
                "verify.consistency",
                f"the checkpoint of log size {newer.size} does not extend the receipt's "
                f"(size {checkpoint.size}): the log was rewritten or the proof forged",
            )
            continue
        report.passed.append(f"the later checkpoint (log size {newer.size}) extends it")
        checkpoints.append(newer)
    if later is not None:
        try:
            wanted = open_checkpoint(later, key)
        except VerifyError as exc:
            report.failures.append(exc)
        else:
            if any((c.size, c.root) == (wanted.size, wanted.root) for c in checkpoints):
                report.passed.append(f"the given checkpoint (log size {wanted.size}) is proven")
            else:
                report.fail(
                    "verify.consistency",
                    f"the receipt carries no proof for the given checkpoint (log size "
                    f"{wanted.size}); ask the organization to extend the receipt to it",
                )
    return Receipt(stream, seq, head, events, checkpoints)


def _parse_proof(text: Any) -> tuple[int, list[bytes], str]:
    if not isinstance(text, str) or "\n\n" not in text:
        raise VerifyError("verify.malformed", "the receipt's proof is not a tlog-proof")
    head, _, checkpoint = text.partition("\n\n")
    lines = head.split("\n")
    if lines[0] != PROOF_HEADER:
        raise VerifyError("verify.malformed", "the receipt's proof is not a tlog-proof")
    rest = [line for line in lines[1:] if not line.startswith("extra ")]
    if not rest or not rest[0].startswith("index ") or not rest[0][6:].isdigit():
        raise VerifyError("verify.malformed", "the receipt's proof has no index")
    path = [_b64hash(line, "an inclusion proof line") for line in rest[1:]]
    return int(rest[0][6:]), path, checkpoint


# --- case files -------------------------------------------------------------------------------


def check_casefile(
    bundle: Any, key: Key | None, report: Report, pdf: bytes | None = None, old: Any = None
) -> None:
    """Check a case-file bundle: the organization's signature, every event's hash and
    link, the head, the statements' hashes, the PDF's hash and the receipt; with ``old``,
    that everything an earlier receipt showed is still there, unchanged."""
    try:
        if not isinstance(bundle, Mapping) or bundle.get("format") != CASEFILE_FORMAT:
            raise VerifyError("verify.malformed", "this is not a Docket case-file bundle (v2)")
        key = _trusted(bundle, key, report)
        stream = bundle["case"]["stream"]
        head = bundle["head"]
        events = list(bundle["events"])
        contents = list(bundle["contents"])
        signed = open_note(bundle["signature"], key, "case file's signature")
    except (KeyError, TypeError, AttributeError) as exc:
        report.fail("verify.malformed", f"the bundle is incomplete: missing or garbled {exc}")
        return
    except VerifyError as exc:
        report.failures.append(exc)
        return
    report.passed.append(f"the case file is signed by {key.name} (fingerprint {key.fingerprint})")
    lines = signed.split("\n")[:-1]
    claims = {line.split(" ", 1)[0]: line for line in lines if not line.startswith("content ")}
    want_contents = [line.split(" ")[1:] for line in lines if line.startswith("content ")]
    if lines[:1] != [CASEFILE_HEADER] or claims.get("case") != f"case {stream}":
        report.fail("verify.signed", "the signature is for another case or another kind of file")
        return
    head_line = f"head {head.get('seq')} {head.get('hash')}" if isinstance(head, dict) else ""
    if claims.get("head") != head_line:
        report.fail("verify.signed", "the bundle's head is not the one that was signed")
    hashes = _check_chain(stream, events, report)
    if hashes is not None:
        signed_head = claims.get("head", "").split(" ")
        if (
            len(signed_head) != 3
            or hashes[-1:] != [signed_head[2]]
            or str(len(hashes)) != (signed_head[1])
        ):
            report.fail(
                "verify.head",
                f"the chain ends at event {len(hashes)}, but the organization signed "
                f"a head at event {signed_head[1] if len(signed_head) == 3 else '?'}: events "
                "were dropped or added at the end",
            )
        else:
            report.passed.append(f"all {len(hashes)} events are intact, in order, none missing")
    _check_contents(events, contents, want_contents, report)
    signed_pdf = claims.get("pdf", "pdf ").split(" ", 1)[1]
    if bundle.get("pdf_sha256") != signed_pdf:
        report.fail("verify.signed", "the bundle's PDF hash is not the one that was signed")
    if pdf is None:
        report.notes.append("The PDF was not given (--pdf), so it was not checked.")
    elif hashlib.sha256(pdf).hexdigest() != signed_pdf:
        report.fail("verify.pdf", "the PDF is not the one the organization signed (changed)")
    else:
        report.passed.append("the PDF is exactly the one that was signed")
    receipt = check_receipt(bundle.get("receipt"), key, report)
    if (
        receipt is not None
        and hashes is not None
        and (receipt.stream != stream or hashes[receipt.seq - 1 : receipt.seq] != [receipt.head])
    ):
        report.fail("verify.receipt", "the bundle's receipt names another head of this case")
    if old is not None:
        earlier = check_receipt(old, key, report)
        if earlier is not None and hashes is not None:
            _compare(earlier, stream, hashes, report)


def _check_chain(stream: str, events: list[Any], report: Report) -> list[str] | None:
    prev = hashlib.sha256(GENESIS_DOMAIN + stream.encode("utf-8")).hexdigest()
    hashes: list[str] = []
    broken = False
    for position, item in enumerate(events, start=1):
        try:
            body = base64.b64decode(item["body"], validate=True)
            stated = item["hash"]
            doc = json.loads(body)
            event, link = doc["event"], doc["prev_hash"]
            seq, event_stream = event["seq"], event["stream"]
        except (KeyError, TypeError, ValueError, binascii.Error):
            report.fail("verify.malformed", f"event {position} of the bundle is garbled")
            return None
        actual = hashlib.sha256(EVENT_DOMAIN + body).hexdigest()
        if actual != stated:
            report.fail(
                "verify.event",
                f"event {seq} ({event.get('type', '?')}) was changed: its bytes no longer "
                "give its hash",
            )
            broken = True
        if event_stream != stream:
            report.fail("verify.sequence", f"event {position} belongs to another case")
            broken = True
        if seq != position or item.get("seq") != seq:
            report.fail(
                "verify.sequence",
                f"position {position} holds event {seq}: events were dropped, added or reordered",
            )
            broken = True
        if link != prev:
            report.fail(
                "verify.chain",
                f"event {seq} does not follow the event before it (a dropped, inserted or "
                "moved event)",
            )
            broken = True
        prev = actual
        hashes.append(stated)
    if not events:
        report.fail("verify.sequence", "the bundle holds no events")
        return None
    return None if broken else hashes


def _check_contents(
    events: list[Any], contents: list[Any], signed: list[list[str]], report: Report
) -> None:
    try:
        given = [[str(c["item"]), str(c["seq"]), str(c["sha256"])] for c in contents]
    except (KeyError, TypeError):
        report.fail("verify.malformed", "the bundle's statements are garbled")
        return
    if given != signed:
        report.fail(
            "verify.content",
            "the statements' hashes in the bundle differ from those the organization signed",
        )
    bad = 0
    for c in contents:
        text = c.get("text")
        if not isinstance(text, str) or hashlib.sha256(text.encode()).hexdigest() != c["sha256"]:
            report.fail("verify.content", f"the text of statement {c['item']} was changed")
            bad += 1
            continue
        seq = c["seq"]
        try:
            payload = json.loads(base64.b64decode(events[seq - 1]["body"]))["event"]["payload"]
        except (IndexError, KeyError, TypeError, ValueError, binascii.Error):
            payload = {}
        if payload.get("item") != c["item"]:
            report.fail("verify.content", f"event {seq} does not record statement {c['item']}")
            bad += 1
    if not bad and given == signed:
        report.passed.append(f"all {len(contents)} statements are the signed texts")


def _compare(earlier: Receipt, stream: str, hashes: list[str], report: Report) -> None:
    if earlier.stream != stream:
        report.fail("verify.receipt", "the earlier receipt is for another case")
        return
    changed = [s for s, h in sorted(earlier.events.items()) if hashes[s - 1 : s] != [h]]
    if changed:
        report.fail(
            "verify.receipt",
            f"events {', '.join(map(str, changed))} differ from what the earlier receipt "
            "showed: the record was changed or cut short since",
        )
    else:
        report.passed.append(
            f"every event the earlier receipt showed (1 to {earlier.seq}) is still there, unchanged"
        )


# --- command line -------------------------------------------------------------------------------


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VerifyError("verify.malformed", f"cannot read {path} as JSON ({exc})") from None


def _print(report: Report, out: Any) -> int:
    for line in report.passed:
        print(f"  ok      {line}", file=out)
    for note in report.notes:
        print(f"  NOTE    {note}", file=out)
    for failure in report.failures:
        print(f"  FAILED  {failure.message} [{failure.code}]", file=out)
    if report.ok:
        print("VERIFIED: nothing was altered, removed or reordered.", file=out)
        return 0
    print(f"NOT VERIFIED: {len(report.failures)} problem(s) above.", file=out)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="docket-verify", description="Check Docket receipts and case files offline."
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="what", required=True)
    k = sub.add_parser("key", help="show a key's name and fingerprint")
    k.add_argument("key")
    r = sub.add_parser("receipt", help="check a receipt")
    r.add_argument("file")
    r.add_argument("--key", help="the organization's public key (name+keyid+base64)")
    r.add_argument("--checkpoint", help="a later checkpoint (text file) the receipt must reach")
    c = sub.add_parser("casefile", help="check a case-file bundle")
    c.add_argument("file")
    c.add_argument("--pdf", help="the case file's PDF")
    c.add_argument("--key", help="the organization's public key (name+keyid+base64)")
    c.add_argument("--receipt", help="an earlier receipt whose events must still be there")
    args = parser.parse_args(argv)
    out = sys.stdout
    report = Report()
    try:
        key = parse_key(args.key) if args.key else None
        if args.what == "key":
            assert key is not None
            print(f"name: {key.name}\nfingerprint: {key.fingerprint}", file=out)
            return 0
        if args.what == "receipt":
            later = Path(args.checkpoint).read_text("utf-8") if args.checkpoint else None
            check_receipt(_read_json(args.file), key, report, later)
        else:
            pdf = Path(args.pdf).read_bytes() if args.pdf else None
            old = _read_json(args.receipt) if args.receipt else None
            check_casefile(_read_json(args.file), key, report, pdf, old)
    except VerifyError as exc:
        report.failures.append(exc)
    except OSError as exc:
        report.fail("verify.malformed", f"cannot read a file: {exc}")
    return _print(report, out)


if __name__ == "__main__":
    sys.exit(main())
