"""Benchmark: the standalone verifier (verifier/docket_verify.py), offline.

    python bench/verify_offline.py [--leaves 100000] [--events 1000] [--rounds 30]

1. One receipt: its head in a signed C2SP checkpoint of a log of ``--leaves`` heads
   (inclusion proof), and a consistency proof to a checkpoint made after twice as many
   more; goal under 50 ms.
2. One case file of ``--events`` events (every third a statement with its text): the
   organization's signature, every event's hash, link and place, the statements, the
   PDF's hash and the receipt; goal under 1 s.

Both are made by Docket's own code (chain, merkle, note, proofs) and read from JSON text,
as a file would be; the figure is the median of ``--rounds``. ``--cli`` also times the
command as a new process (Python start and imports included).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "verifier"))

import docket_verify as dv  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # noqa: E402

from docket.ledger import chain, merkle, note, proofs  # noqa: E402

STREAM = "case:BENCH01"
PDF = b"%PDF-1.4 " + b"x" * 400_000  # a case file's PDF is a few hundred kilobytes


def make(leaves: int, events: int) -> tuple[str, str, bytes]:
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    name = f"docket.ledger/{hashlib.sha256(public).hexdigest()[:16]}"  # as docket.ledger.log
    v = note.Verifier(name, note.key_id(name, public), public)
    hashes = [
        merkle.leaf_hash(hashlib.sha256(i.to_bytes(4, "big")).digest()) for i in range(leaves)
    ]
    prev, evs, contents = chain.genesis(STREAM), [], []
    for seq in range(1, events + 1):
        statement = seq % 3 == 0
        payload = {"item": f"IT{seq}", "label": f"S{seq}"} if statement else {"label": f"{seq}"}
        fields = {
            "stream": STREAM, "seq": seq, "type": "statement.recorded" if statement else "x.y",
            "actor": "person:P1", "capacity": "panel", "occurred_at": "2013-03-04T12:00:00.000000Z",
            "recorded_at": "2013-03-04T12:00:00.000000Z", "recorded_by": "", "provenance": "live",
            "payload": payload, "deviation": None,
        }  # fmt: skip
        body = chain.canonical(chain.EVENT_KEY, fields, prev)
        prev = chain.record_hash(chain.EVENT_DOMAIN, body)
        evs.append({"seq": seq, "type": fields["type"], "hash": prev,
                    "body": base64.b64encode(body).decode()})  # fmt: skip
        if statement:
            text = "A fictional statement about a fictional meeting. " * 40
            contents.append({"item": f"IT{seq}", "seq": seq, "text": text,
                             "sha256": hashlib.sha256(text.encode()).hexdigest()})  # fmt: skip
    index = len(hashes)
    hashes.append(merkle.leaf_hash(merkle.leaf_bytes(STREAM, events, prev)))

    def checkpoint(size: int) -> str:
        tree = note.Checkpoint(v.name, size, merkle.root(hashes[:size]))
        return note.sign(tree.text(), v.name, key)

    old_size = len(hashes)
    receipt = proofs.receipt_document(
        stream=STREAM, seq=events, head=prev,
        events=[(e["seq"], e["type"], e["hash"]) for e in evs], vkey=v.text,
        index=index, path=merkle.audit_path(index, hashes), checkpoint_note=checkpoint(old_size),
    )  # fmt: skip
    hashes += [merkle.leaf_hash(i.to_bytes(8, "big")) for i in range(2 * leaves)]
    receipt["consistency"] = [
        proofs.consistency_entry(
            checkpoint(len(hashes)), merkle.consistency_proof(old_size, hashes)
        )
    ]
    text = proofs.casefile_text(
        stream=STREAM, head_seq=events, head_hash=prev, pdf_sha256=hashlib.sha256(PDF).hexdigest(),
        contents=[(c["item"], c["seq"], c["sha256"]) for c in contents],
    )  # fmt: skip
    bundle = {
        "format": "docket-casefile/2", "case": {"stream": STREAM},
        "head": {"seq": events, "hash": prev}, "pdf_sha256": hashlib.sha256(PDF).hexdigest(),
        "events": evs, "contents": contents, "receipt": receipt, "key": v.text,
        "signature": note.sign(text, v.name, key),
    }  # fmt: skip
    return json.dumps(receipt), json.dumps(bundle), v.text.encode()


def median_ms(fn: Callable[[], Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaves", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--cli", action="store_true")
    args = parser.parse_args()
    receipt_text, bundle_text, vkey = make(args.leaves, args.events)
    key = dv.parse_key(vkey.decode())

    def one_receipt() -> None:
        report = dv.Report()
        dv.check_receipt(json.loads(receipt_text), key, report)
        assert report.ok, report.failures

    def one_casefile() -> None:
        report = dv.Report()
        dv.check_casefile(json.loads(bundle_text), key, report, PDF)
        assert report.ok, report.failures

    r = median_ms(one_receipt, args.rounds)
    c = median_ms(one_casefile, args.rounds)
    print(f"receipt (log of {args.leaves:,} heads, then {3 * args.leaves + 1:,}): "
          f"{r:.2f} ms median (goal < 50 ms)")  # fmt: skip
    print(f"case file ({args.events:,} events, {args.events // 3} statements, "
          f"{len(bundle_text) // 1024} KiB bundle, {len(PDF) // 1024} KiB PDF): "
          f"{c:.1f} ms median (goal < 1,000 ms)")  # fmt: skip
    if args.cli:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "receipt.json"
            path.write_text(receipt_text)
            script = str(ROOT / "verifier" / "docket_verify.py")
            cmd = [sys.executable, script, "receipt", str(path), "--key", vkey.decode()]
            ms = median_ms(lambda: subprocess.run(cmd, check=True, capture_output=True), 10)
            print(f"receipt as a new process (start, imports, check): {ms:.0f} ms median")
    day = f"{datetime.now(UTC):%Y-%m-%d}"
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}. Date: {day}.")  # fmt: skip


if __name__ == "__main__":
    main()
