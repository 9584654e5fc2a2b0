"""The standalone verifier against every tamper class: each is refused with its code and a
message naming what failed; the untouched file verifies."""

from __future__ import annotations

import ast
import base64
import copy
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import docket_verify as dv
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from docket.ledger import merkle, note

from . import bundles as b
from .conftest import VERIFIER


@pytest.fixture(scope="module")
def org() -> b.Org:
    return b.new_org()


@pytest.fixture(scope="module")
def bundle(org: b.Org) -> dict[str, Any]:
    return b.casefile(org)


def check(bundle: Any, key: str | None, pdf: bytes | None = b.PDF, old: Any = None) -> dv.Report:
    report = dv.Report()
    dv.check_casefile(bundle, dv.parse_key(key) if key else None, report, pdf, old)
    return report


def check_receipt(doc: Any, key: str | None, later: str | None = None) -> dv.Report:
    report = dv.Report()
    dv.check_receipt(doc, dv.parse_key(key) if key else None, report, later)
    return report


def test_an_untouched_case_file_and_receipt_verify(org, bundle):
    report = check(bundle, org.vkey)
    assert report.ok, report.failures
    assert any("all 12 events are intact" in p for p in report.passed)
    assert any("all 4 statements" in p for p in report.passed)
    assert check_receipt(bundle["receipt"], org.vkey).ok


def _body(event: dict[str, Any]) -> dict[str, Any]:
    return json.loads(base64.b64decode(event["body"]))


def _rebody(event: dict[str, Any], doc: dict[str, Any]) -> None:
    event["body"] = base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()


def changed_event(x: dict[str, Any]) -> None:
    doc = _body(x["events"][4])
    doc["event"]["actor"] = "person:SOMEONE_ELSE"
    _rebody(x["events"][4], doc)


def changed_event_and_hash(x: dict[str, Any]) -> None:
    # The forger recomputes the changed event's hash: the next event's link breaks.
    changed_event(x)
    body = base64.b64decode(x["events"][4]["body"])
    x["events"][4]["hash"] = hashlib.sha256(dv.EVENT_DOMAIN + body).hexdigest()


def dropped_event(x: dict[str, Any]) -> None:
    del x["events"][6]


def dropped_last_event(x: dict[str, Any]) -> None:
    x["events"].pop()
    x["head"] = {"seq": 11, "hash": x["events"][-1]["hash"]}


def reordered(x: dict[str, Any]) -> None:
    x["events"][2], x["events"][3] = x["events"][3], x["events"][2]


def changed_pdf(x: dict[str, Any]) -> None:
    pass  # the PDF given is changed, see the test


def changed_content_hash(x: dict[str, Any]) -> None:
    x["contents"][1]["sha256"] = hashlib.sha256(b"another text").hexdigest()


def changed_content_text(x: dict[str, Any]) -> None:
    x["contents"][1]["text"] += " Also, nothing happened."


def changed_content_both(x: dict[str, Any]) -> None:
    x["contents"][1]["text"] = "Nothing happened."
    x["contents"][1]["sha256"] = hashlib.sha256(b"Nothing happened.").hexdigest()


def changed_signed_pdf_hash(x: dict[str, Any]) -> None:
    x["pdf_sha256"] = hashlib.sha256(b"%PDF another").hexdigest()


def truncated_signature(x: dict[str, Any]) -> None:
    x["signature"] = x["signature"][:-30]


def forged_signature_text(x: dict[str, Any]) -> None:
    x["signature"] = x["signature"].replace("head 12", "head 11", 1)


def missing_events(x: dict[str, Any]) -> None:
    del x["events"]


TAMPERS = {
    changed_event: ("verify.event", "event 5 (ledger.note) was changed"),
    changed_event_and_hash: ("verify.chain", "event 6 does not follow"),
    dropped_event: ("verify.sequence", "position 7 holds event 8"),
    dropped_last_event: ("verify.signed", "head is not the one that was signed"),
    reordered: ("verify.sequence", "position 3 holds event 4"),
    changed_content_hash: ("verify.content", "differ from those the organization signed"),
    changed_content_text: ("verify.content", "the text of statement ITEM6 was changed"),
    changed_content_both: ("verify.content", "differ from those the organization signed"),
    changed_signed_pdf_hash: ("verify.signed", "PDF hash is not the one that was signed"),
    truncated_signature: ("verify.malformed", "not a complete signed note"),
    forged_signature_text: ("verify.signature", "does not verify"),
    missing_events: ("verify.malformed", "incomplete: missing or garbled 'events'"),
}


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda f: f.__name__)
def test_a_tampered_case_file_is_refused_naming_what_failed(org, bundle, tamper):
    forged = copy.deepcopy(bundle)
    tamper(forged)
    report = check(forged, org.vkey)
    code, words = TAMPERS[tamper]
    assert not report.ok
    assert code in report.codes()
    assert any(words in f.message for f in report.failures), [str(f) for f in report.failures]


def test_a_changed_pdf_is_refused(org, bundle):
    report = check(bundle, org.vkey, pdf=b.PDF + b"% one more line\n")
    assert report.codes() == ["verify.pdf"]


def test_a_truncated_file_is_refused(org, bundle, tmp_path):
    text = json.dumps(bundle)
    path = tmp_path / "bundle.json"
    path.write_text(text[: len(text) // 2])
    out = _run("casefile", str(path), "--key", org.vkey)
    assert out.returncode == 1
    assert "cannot read" in out.stdout
    assert "[verify.malformed]" in out.stdout


def test_the_wrong_key_is_refused(org, bundle):
    stranger = b.new_org()
    report = check(bundle, stranger.vkey)
    assert report.codes() == ["verify.key"]
    assert "not signed by the key you trust" in report.failures[0].message
    assert check_receipt(bundle["receipt"], stranger.vkey).codes() == ["verify.key"]


def test_a_case_file_re_signed_by_another_key_is_refused(org, bundle):
    # Someone rewrites an event and re-signs everything with their own key.
    forger = b.new_org()
    forged = b.casefile(forger)
    report = check(forged, org.vkey)
    assert report.codes() == ["verify.key"]
    assert forger.verifier.name in report.failures[0].message
    # Under the same name, but another key: its key ID differs, so it is not the org's.
    forged["signature"] = note.sign(
        note.split(forged["signature"])[0], org.verifier.name, forger.key
    )
    assert check(forged, org.vkey).codes()[0] == "verify.key"
    # Without a trusted key the verifier says whose key it used, to be compared.
    unkeyed = check(forged, None)
    assert any(dv.parse_key(forger.vkey).fingerprint in n for n in unkeyed.notes)


def test_a_forged_inclusion_proof_is_refused(org, bundle):
    receipt = copy.deepcopy(bundle["receipt"])
    lines = receipt["proof"].split("\n")
    lines[2] = base64.b64encode(bytes(32)).decode()
    receipt["proof"] = "\n".join(lines)
    report = check_receipt(receipt, org.vkey)
    assert report.codes() == ["verify.inclusion"]
    moved = copy.deepcopy(bundle["receipt"])
    moved["seq"] = 11
    moved["events"] = moved["events"][:11]
    moved["hash"] = moved["events"][-1]["hash"]
    assert check_receipt(moved, org.vkey).codes() == ["verify.inclusion"]


def test_an_early_receipt_is_proven_in_a_later_checkpoint():
    org = b.new_org()
    early = b.receipt(org, b.events(3))
    for i in range(40):  # years of other cases
        org.log(f"case:LATER{i}", 1, hashlib.sha256(bytes([i])).hexdigest())
    later = org.checkpoint()
    extended = b.extend(org, early)
    report = check_receipt(extended, org.vkey, later)
    assert report.ok, report.failures
    assert any("given checkpoint (log size 46) is proven" in p for p in report.passed)
    # Without the consistency proof, the later checkpoint is not reached.
    assert check_receipt(early, org.vkey, later).codes() == ["verify.consistency"]


def test_a_forged_consistency_proof_or_forked_log_is_refused():
    org = b.new_org()
    early = b.receipt(org, b.events(3))
    for i in range(9):
        org.log(f"case:LATER{i}", 1, hashlib.sha256(bytes([i])).hexdigest())
    extended = b.extend(org, early)
    forged = copy.deepcopy(extended)
    forged["consistency"][0]["proof"][0] = base64.b64encode(bytes(32)).decode()
    report = check_receipt(forged, org.vkey)
    assert report.codes() == ["verify.consistency"]
    assert "does not extend the receipt's" in report.failures[0].message
    # A log rewritten behind the receipt (the case's leaf replaced), signed by the org.
    org.leaves[5] = merkle.leaf_hash(b"rewritten")
    forked = b.extend(org, early)
    assert check_receipt(forked, org.vkey).codes() == ["verify.consistency"]


def test_an_earlier_receipt_is_checked_against_a_later_case_file(org):
    old = b.receipt(org, b.events(6))
    bundle = b.casefile(org, n=12)
    assert check(bundle, org.vkey, old=old).ok
    altered = copy.deepcopy(old)
    altered["events"][2]["hash"] = "0" * 64
    report = check(bundle, org.vkey, old=altered)
    assert "verify.receipt" in report.codes() or "verify.inclusion" in report.codes()


def test_the_verifier_agrees_with_docket_on_leaves_and_keys():
    key = Ed25519PrivateKey.generate()
    org = b.Org(key, [])
    assert dv.parse_key(org.vkey).id == org.verifier.id
    assert dv.leaf_hash("case:X", 7, "ab" * 32) == merkle.leaf_hash(
        merkle.leaf_bytes("case:X", 7, "ab" * 32)
    )


def test_the_verifier_imports_only_the_standard_library_and_cryptography():
    tree = ast.parse((VERIFIER / "docket_verify.py").read_text())
    names = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    names |= {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    assert names - set(sys.stdlib_module_names) == {"cryptography"}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(VERIFIER / "docket_verify.py"), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path("/"),
    )


def test_it_runs_as_a_script(org, bundle, tmp_path):
    (tmp_path / "bundle.json").write_text(json.dumps(bundle))
    (tmp_path / "casefile.pdf").write_bytes(b.PDF)
    ok = _run(
        "casefile", str(tmp_path / "bundle.json"), "--pdf", str(tmp_path / "casefile.pdf"),
        "--key", org.vkey,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stdout
    assert "VERIFIED" in ok.stdout
    (tmp_path / "casefile.pdf").write_bytes(b.PDF + b"x")
    bad = _run(
        "casefile", str(tmp_path / "bundle.json"), "--pdf", str(tmp_path / "casefile.pdf"),
        "--key", org.vkey,
    )  # fmt: skip
    assert bad.returncode == 1
    assert "the PDF is not the one the organization signed" in bad.stdout
    shown = _run("key", org.vkey)
    assert org.verifier.name in shown.stdout
