"""Checkpoints, exports and receipts: making, signing, proofs and their forgery."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction

from docket.core.errors import ConfigurationError, NotFound
from docket.crypto.keyfiles import public_key_bytes, signing_key
from docket.ledger import signed
from docket.ledger.checkpoints import (
    _leaves_of,
    checkpoint_export,
    checkpoint_make,
    receipt_for,
    statement_of,
)
from docket.ledger.journal import journal_append, journal_for_stream
from docket.ledger.models import Checkpoint
from docket.ledger.tasks import checkpoint_make as checkpoint_task
from docket.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db


def v1_receipt(stream: str) -> dict:
    """A receipt as Docket issued them before the C2SP log (``docket.receipt.v1``): parties
    keep them, so they stay verifiable."""
    receipt_for(stream=stream)  # a fresh checkpoint, as issuing one did
    cp = Checkpoint.objects.order_by("-seq").first()
    return signed.receipt_document(
        statement_of(cp), cp.signature, cp.public_key, _leaves_of(cp), stream
    )


@pytest.fixture
def three(note, signing_key_dir):
    for stream in ("case:A", "case:B", "org"):
        note(stream)
        note(stream)
    journal_append(reader="user:1", capacity="panel", stream="case:A", item="blob:1")


def test_checkpoint_signs_every_head_and_the_journal(three):
    cp = checkpoint_make()
    doc = checkpoint_export()
    checked = signed.check_export(json.loads(json.dumps(doc)))
    assert [leaf[0] for leaf in checked.leaves] == ["case:A", "case:B", "journal", "org"]
    assert checked.statement.seq == cp.seq == 1
    assert doc["public_key"] == public_key_bytes(signing_key()).hex()


def test_successive_checkpoints_link_and_only_if_changed_skips(three, note):
    first = checkpoint_make()
    assert checkpoint_make(only_if_changed=True) is None
    note("case:A")
    second = checkpoint_make(only_if_changed=True)
    assert second.prev_hash == first.hash
    assert Checkpoint.objects.count() == 2
    assert verify_ledger().checkpoints == 2


def test_dry_run_stores_nothing(three):
    cp = checkpoint_make(dry_run=True)
    assert cp.size == 4
    assert Checkpoint.objects.count() == 0


def test_task_makes_a_checkpoint_when_something_moved(three):
    assert checkpoint_task.call() == 1
    assert checkpoint_task.call() is None


def test_a_missing_key_is_a_configuration_error(three, settings, tmp_path):
    settings.DOCKET_KEY_DIR = tmp_path / "empty"
    with pytest.raises(ConfigurationError) as exc:
        checkpoint_make()
    assert exc.value.code == "keys.signing_missing"


def test_receipt_proves_inclusion_and_makes_a_fresh_checkpoint(three, note):
    checkpoint_make()
    note("case:A")
    receipt = v1_receipt("case:A")
    assert receipt["seq"] == 3
    assert receipt["checkpoint"]["statement"]["seq"] == 2
    checked = signed.check_receipt(json.loads(json.dumps(receipt)))
    assert checked.leaves == [("case:A", 3, receipt["hash"])]
    assert verify_ledger(receipts=[receipt]).ok


def test_no_receipt_for_an_unknown_stream(three):
    with pytest.raises(NotFound):
        receipt_for(stream="case:NOPE")


FORGERIES = {
    "seq": lambda r: r.__setitem__("seq", r["seq"] + 1),
    "hash": lambda r: r.__setitem__("hash", "0" * 64),
    "stream": lambda r: r.__setitem__("stream", "case:B"),
    "index": lambda r: r.__setitem__("leaf_index", r["leaf_index"] + 1),
    "path": lambda r: r["audit_path"].__setitem__(0, "0" * 64),
    "root": lambda r: r["checkpoint"]["statement"].__setitem__("root", "0" * 64),
    "size": lambda r: r["checkpoint"]["statement"].__setitem__("size", 9),
    "signature": lambda r: r["checkpoint"].__setitem__("signature", "00" * 64),
    "made_at": lambda r: r["checkpoint"]["statement"].__setitem__("made_at", "2000-01-01"),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_receipt_is_refused(three, forgery):
    receipt = v1_receipt("case:A")
    forged = copy.deepcopy(receipt)
    FORGERIES[forgery](forged)
    with pytest.raises(ValueError, match=r"not valid|does not lead|malformed"):
        signed.check_receipt(forged)
    report = verify_ledger(receipts=[forged])
    assert [(f.where, f.problem) for f in report.faults] == [("receipt", "invalid")]


def test_a_receipt_signed_by_another_key_is_named(three):
    receipt = v1_receipt("case:A")
    other = Ed25519PrivateKey.generate()
    statement = signed.Statement.from_dict(receipt["checkpoint"]["statement"])
    receipt["checkpoint"]["signature"] = signed.sign(other, statement)
    receipt["checkpoint"]["public_key"] = public_key_bytes(other).hex()
    org_key = public_key_bytes(signing_key()).hex()
    report = verify_ledger(receipts=[receipt], org_public_key=org_key)
    assert ("receipt", "key") in [(f.where, f.problem) for f in report.faults]


def test_a_forged_export_is_refused(three):
    checkpoint_make()
    doc = checkpoint_export()
    doc["leaves"][0][1] = 99
    with pytest.raises(ValueError, match="root"):
        signed.check_export(doc)


def test_journal_is_readable_per_stream(three):
    journal_append(reader="user:2", capacity="respondent", stream="case:B", item="blob:2")
    assert [(e.reader, e.item) for e in journal_for_stream("case:A")] == [("user:1", "blob:1")]


@pytest.mark.django_db(transaction=True)
def test_journal_append_outside_a_transaction_commits_by_itself(signing_key_dir):
    entry = journal_append(reader="user:1", capacity="panel", stream="case:A", item="blob:1")
    assert entry.seq == 1
    with transaction.atomic():
        assert verify_ledger().journal_entries == 1
