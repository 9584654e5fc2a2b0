"""``docket ledger …`` subcommands, exit statuses and the projection rebuild."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from docket.ledger import projections
from docket.ledger.models import LedgerEvent, StreamSummary
from docket.ledger.testing import triggers_disabled

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("ledger", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def ledger(note, signing_key_dir):
    for stream in ("case:A", "case:B"):
        for i in range(3):
            note(stream, label=f"{i}")


def test_verify_ok_and_json(ledger):
    assert "OK: the ledger is intact." in run("verify", "--no-progress")
    report = json.loads(run("verify", "--json"))
    assert report["ok"] is True
    assert report["events"] == 6


def test_verify_names_the_broken_place_and_exits_non_zero(ledger):
    with triggers_disabled():
        LedgerEvent.objects.filter(stream="case:B", seq=2).update(actor="forger")
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("ledger", "verify", stdout=out, stderr=StringIO())
    assert exc.value.returncode == 1
    assert "FAULT case:B#2: column actor" in out.getvalue()


def test_checkpoint_receipt_export_and_verify_files(ledger, tmp_path):
    assert "Would make checkpoint 1" in run("checkpoint", "--dry-run")
    assert "Made checkpoint 1" in run("checkpoint")
    assert "none made" in run("checkpoint", "--if-changed")
    receipt, export = tmp_path / "r.json", tmp_path / "cp.json"
    run("receipt", "case:A", "--out", str(receipt))
    run("export-checkpoint", "--out", str(export))
    assert json.loads(receipt.read_text())["seq"] == 3
    out = run("verify", "--receipt", str(receipt), "--checkpoint", str(export))
    assert "2 receipts/exports checked" in out


def test_errors_are_reported_with_their_code(ledger):
    with pytest.raises(CommandError, match=r"ledger.no_checkpoint"):
        run("export-checkpoint")
    with pytest.raises(CommandError, match=r"ledger.no_stream"):
        run("receipt", "case:NONE")


def test_rebuild_finds_and_repairs_a_drifted_summary(ledger):
    assert "Projections match the ledger." in run("rebuild", "--check")
    StreamSummary.objects.filter(stream="case:A").update(events=99)
    StreamSummary.objects.create(
        stream="case:GHOST",
        kind="case",
        events=1,
        head_seq=1,
        head_hash="0" * 64,
        first_occurred_at="2020-01-01T00:00Z",
        last_occurred_at="2020-01-01T00:00Z",
        last_recorded_at="2020-01-01T00:00Z",
    )
    with pytest.raises(CommandError) as exc:
        run("rebuild", "--check")
    assert exc.value.returncode == 1
    diffs = json.loads(run("rebuild", "--dry-run", "--json"))
    assert {d["stream"] for d in diffs} == {"case:A", "case:GHOST"}
    assert StreamSummary.objects.get(stream="case:A").events == 99  # dry run wrote nothing
    assert "2 difference(s); rewritten." in run("rebuild")
    assert StreamSummary.objects.get(stream="case:A").events == 3
    assert not StreamSummary.objects.filter(stream="case:GHOST").exists()
    assert "Projections match the ledger." in run("rebuild", "--check")


@pytest.fixture
def label_projection():
    """A projection defined by the test: the labels of each case, kept in memory."""
    table: dict[str, list[dict]] = {}
    projections.register(
        "test.labels",
        rebuild=lambda stream, events: [
            {"seq": e.seq, "label": e.payload.get("label")} for e in events
        ],
        snapshot=lambda stream: list(table.get(stream, [])),
        write=lambda stream, rows: table.__setitem__(stream, rows),
        kinds={"case"},
        streams=lambda: list(table),
    )
    yield table
    projections.unregister("test.labels")


def test_rebuild_runs_any_registered_projection(ledger, note, label_projection):
    diffs = projections.rebuild_all(write=True, only=["test.labels"])
    assert {d.stream for d in diffs} == {"case:A", "case:B"}
    assert label_projection["case:A"] == [{"seq": i + 1, "label": f"{i}"} for i in range(3)]
    note("org")  # not a case stream: not this projection's business
    assert projections.rebuild_all(write=False, only=["test.labels"]) == []
    label_projection["case:A"][1]["label"] = "drifted"
    (diff,) = projections.rebuild_all(write=False, only=["test.labels"])
    assert diff.missing == [{"seq": 2, "label": "1"}]
    assert diff.extra == [{"seq": 2, "label": "drifted"}]


def test_registering_twice_is_refused(label_projection):
    with pytest.raises(ValueError, match="twice"):
        projections.register("test.labels", rebuild=list, snapshot=list, write=print)
