"""The C2SP log of chain heads: notes, checkpoints, receipts as proof bundles, the public
key page, and checkpoints made before the log existed."""

from __future__ import annotations

import base64
import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from docket.crypto.keyfiles import public_key_bytes, signing_key
from docket.ledger import merkle, proofs
from docket.ledger import note as notes
from docket.ledger.checkpoints import checkpoint_make, published_key, receipt_for
from docket.ledger.log import log_catch_up, receipt_extend, verifier_for
from docket.ledger.models import Checkpoint, LogCheckpoint, LogLeaf
from docket.ledger.testing import triggers_disabled
from docket.ledger.verify import verify_ledger

# The example of c2sp.org/signed-note, verbatim.
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6Tf"
    "Xppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)


def test_the_signed_note_spec_example_verifies():
    verifier = notes.parse_vkey(SPEC_VKEY)
    assert notes.key_id(verifier.name, verifier.public_key) == bytes.fromhex("530d903a")
    assert notes.open_note(SPEC_NOTE, verifier) == "This is an example message.\n"
    with pytest.raises(notes.NoteError, match="does not verify"):
        notes.open_note(SPEC_NOTE.replace("an example", "an exemple"), verifier)


def test_vkeys_round_trip_for_any_key():
    # Base64 may contain "+", the vkey's separator: a hundred keys make that certain.
    for _ in range(100):
        public = public_key_bytes(Ed25519PrivateKey.generate())
        v = verifier_for(public)
        assert notes.parse_vkey(v.text) == v


def test_a_note_signed_by_another_key_is_refused():
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    v = verifier_for(public_key_bytes(key))
    text = notes.Checkpoint(v.name, 3, b"\x01" * 32).text()
    signed = notes.sign(text, v.name, key)
    assert notes.open_checkpoint(signed, v).size == 3
    with pytest.raises(notes.NoteError, match="not signed by"):
        notes.open_checkpoint(notes.sign(text, v.name, other), v)


@pytest.mark.parametrize("n", range(1, 34))
def test_consistency_proofs_for_every_pair_of_sizes(n):
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(n)]
    new = merkle.root(leaves)
    for m in range(0, n + 1):
        old = merkle.root(leaves[:m])
        proof = merkle.consistency_proof(m, leaves)
        assert merkle.verify_consistency(m, n, old, new, proof)
        if proof:
            forged = [bytes(32), *proof[1:]]
            assert not merkle.verify_consistency(m, n, old, new, forged)
        if 0 < m < n:
            assert not merkle.verify_consistency(m, n, merkle.leaf_hash(b"x"), new, proof)


@pytest.mark.django_db
def test_each_checkpoint_logs_the_heads_that_moved_and_signs_a_c2sp_note(note, signing_key_dir):
    for stream in ("case:A", "case:B"):
        note(stream)
    first = checkpoint_make()
    note("case:B")
    second = checkpoint_make()
    rows = list(LogLeaf.objects.values_list("stream", "seq", "checkpoint"))
    assert rows == [("case:A", 1, first.seq), ("case:B", 1, first.seq), ("case:B", 2, second.seq)]
    published = published_key()
    verifier = notes.parse_vkey(published.vkey)
    latest = LogCheckpoint.objects.get(checkpoint=second.seq)
    tree = notes.open_checkpoint(latest.note, verifier)
    assert (tree.origin, tree.size) == (published.origin, 3)
    assert latest.note.startswith(f"{published.origin}\n3\n")
    assert verify_ledger().ok


@pytest.mark.django_db
def test_a_receipt_is_a_self_contained_proof_bundle(note, signing_key_dir):
    for _ in range(3):
        note("case:A")
    note("case:B")
    receipt = json.loads(json.dumps(receipt_for(stream="case:A")))
    assert receipt["format"] == proofs.RECEIPT_FORMAT
    assert [e["seq"] for e in receipt["events"]] == [1, 2, 3]
    assert receipt["proof"].startswith("c2sp.org/tlog-proof@v1\nindex 0\n")
    facts = proofs.check_receipt(receipt, notes.parse_vkey(published_key().vkey))
    assert (facts.stream, facts.seq, facts.head) == ("case:A", 3, receipt["hash"])
    assert verify_ledger(receipts=[receipt]).ok


@pytest.mark.django_db
def test_an_early_receipt_is_proven_in_a_later_checkpoint(note, signing_key_dir):
    note("case:A")
    early = receipt_for(stream="case:A")
    for i in range(6):
        note("case:A" if i % 2 else f"case:N{i}")
        checkpoint_make()
    later = receipt_extend(early)
    verifier = notes.parse_vkey(published_key().vkey)
    facts = proofs.check_receipt(later, verifier)
    assert [c.size for c in facts.checkpoints] == [1, LogCheckpoint.objects.latest("size").size]
    forged = copy.deepcopy(later)
    forged["consistency"][0]["proof"][0] = base64.b64encode(bytes(32)).decode()
    with pytest.raises(notes.NoteError, match="consistency proof fails"):
        proofs.check_receipt(forged, verifier)


@pytest.mark.django_db
def test_checkpoints_from_before_the_log_are_logged_by_the_next_one(note, signing_key_dir):
    note("case:A")
    checkpoint_make()
    note("case:A")
    checkpoint_make()
    with triggers_disabled():  # a database from before migration 0003
        LogCheckpoint.objects.all().delete()
        LogLeaf.objects.all().delete()
    note("case:B")
    third = checkpoint_make()
    assert list(LogCheckpoint.objects.values_list("checkpoint", "size")) == [(1, 1), (2, 2), (3, 3)]
    assert third.seq == 3
    assert log_catch_up(signing_key()) is None
    assert verify_ledger().ok


@pytest.mark.django_db
@pytest.mark.parametrize("attack", ["leaf", "note", "drop-note"])
def test_a_tampered_log_is_named(note, signing_key_dir, attack):
    note("case:A")
    checkpoint_make()
    note("case:B")
    checkpoint_make()
    with triggers_disabled():
        if attack == "leaf":
            LogLeaf.objects.filter(index=0).update(hash="0" * 64)
        elif attack == "note":
            row = LogCheckpoint.objects.get(checkpoint=2)
            LogCheckpoint.objects.filter(checkpoint=2).update(
                note=row.note.replace("\n2\n", "\n3\n")
            )
        else:
            LogCheckpoint.objects.filter(checkpoint=1).delete()
    problems = {(f.where, f.problem) for f in verify_ledger().faults}
    want = {
        "leaf": ("log", "leaves"),
        "note": ("log", "signature"),
        "drop-note": ("log", "missing"),
    }
    assert want[attack] in problems


@pytest.mark.django_db
def test_keys_status_and_the_public_page_show_the_key(client, signing_key_dir, capsys, note):
    published = published_key()
    call_command("keys", "status")
    out = capsys.readouterr().out
    assert published.vkey in out
    assert published.fingerprint in out
    page = client.get("/.well-known/docket-key")
    assert page.status_code == 200
    assert published.vkey in page.content.decode()
    assert published.fingerprint in page.content.decode()
    assert client.get("/.well-known/docket-checkpoint").status_code == 404
    note("case:A")
    checkpoint_make()
    served = client.get("/.well-known/docket-checkpoint").content.decode()
    assert notes.open_checkpoint(served, notes.parse_vkey(published.vkey)).size == 1
    assert Checkpoint.objects.count() == 1


@pytest.mark.django_db
def test_the_receipt_command_extends_an_old_receipt(note, signing_key_dir, tmp_path, capsys):
    note("case:A")
    old = tmp_path / "old.json"
    old.write_text(json.dumps(receipt_for(stream="case:A")))
    note("case:B")
    checkpoint_make()
    call_command("ledger", "receipt", "--extend", str(old))
    extended = json.loads(capsys.readouterr().out)
    facts = proofs.check_receipt(extended, notes.parse_vkey(published_key().vkey))
    assert [c.size for c in facts.checkpoints] == [1, 2]
