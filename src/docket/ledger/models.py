"""Ledger tables.

``LedgerEvent``, ``JournalEntry``, ``Checkpoint``, ``LogLeaf`` and ``LogCheckpoint`` are
append-only: migrations add database triggers that refuse UPDATE and DELETE. Each row
keeps its canonical bytes (``body``) next to queryable copies of the same fields;
verification hashes the bytes and checks every column against them. ``LedgerHead`` is a
cache of each chain's head, the row that appends lock; verification checks it against
the chain.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class LedgerEvent(models.Model):
    # No surrogate id: every column of an event is part of what its hash covers.
    pk = models.CompositePrimaryKey("stream", "seq")
    stream = models.CharField(max_length=160)
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=80)
    actor = models.CharField(max_length=160)
    capacity = models.CharField(max_length=80)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=160, blank=True, default="")
    provenance = models.CharField(max_length=16, default="live")
    payload: models.JSONField[Any] = models.JSONField(default=dict)
    deviation: models.JSONField[Any] = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    body = models.BinaryField()

    class Meta:
        db_table = "ledger_event"
        ordering = ["stream", "seq"]
        indexes = [models.Index(fields=["type", "occurred_at"], name="ledger_event_type_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(seq__gte=1), name="ledger_seq_1")]

    def __str__(self) -> str:
        return f"{self.stream}#{self.seq} {self.type}"


class LedgerHead(models.Model):
    """Last (seq, hash) of each chain; seq 0 with the genesis hash means empty."""

    stream = models.CharField(max_length=160, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "ledger_head"

    def __str__(self) -> str:
        return f"{self.stream}@{self.seq}"


class JournalEntry(models.Model):
    """Who read which confidential item of which stream, when, in which capacity."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    reader = models.CharField(max_length=160)
    capacity = models.CharField(max_length=80)
    stream = models.CharField(max_length=160)
    item = models.CharField(max_length=200)
    action = models.CharField(max_length=32, default="read")
    at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    body = models.BinaryField()

    class Meta:
        db_table = "ledger_journal"
        ordering = ["seq"]
        indexes = [models.Index(fields=["stream", "at"], name="ledger_journal_stream_idx")]

    def __str__(self) -> str:
        return f"journal#{self.seq} {self.reader} {self.action} {self.item}"


class Checkpoint(models.Model):
    """A signed Merkle root over the heads of all chains at one moment."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    made_at = models.DateTimeField()
    size = models.PositiveBigIntegerField()
    root = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    statement = models.BinaryField()  # the signed canonical bytes
    signature = models.CharField(max_length=128)
    public_key = models.CharField(max_length=64)
    leaves = models.BinaryField()  # canonical JSON list of [stream, seq, hash], sorted
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "ledger_checkpoint"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"checkpoint#{self.seq} {self.root[:12]}"


class LogLeaf(models.Model):
    """One leaf of the append-only log of chain heads (the tree C2SP checkpoints sign).

    Each checkpoint appends, sorted by stream, the heads that moved since the one before,
    so a leaf once logged stays at its index forever and later trees are provably
    extensions of earlier ones (RFC 6962 consistency proofs)."""

    index = models.PositiveBigIntegerField(primary_key=True)  # 0-based, as in RFC 6962
    stream = models.CharField(max_length=160)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    checkpoint = models.PositiveBigIntegerField()  # the Checkpoint.seq that appended it

    class Meta:
        db_table = "ledger_log_leaf"
        ordering = ["index"]
        indexes = [models.Index(fields=["stream", "seq"], name="ledger_log_leaf_stream_idx")]

    def __str__(self) -> str:
        return f"leaf#{self.index} {self.stream}@{self.seq}"


class LogCheckpoint(models.Model):
    """The C2SP signed checkpoint (tlog-checkpoint over signed-note) of a checkpoint."""

    checkpoint = models.PositiveBigIntegerField(primary_key=True)  # Checkpoint.seq
    size = models.PositiveBigIntegerField()
    root = models.CharField(max_length=64)
    note = models.TextField()  # the signed note, verbatim

    class Meta:
        db_table = "ledger_log_checkpoint"
        ordering = ["checkpoint"]

    def __str__(self) -> str:
        return f"log checkpoint {self.checkpoint}: size {self.size}"


class StreamSummary(models.Model):
    """Projection: one row per stream for dashboards (rebuilt by ``docket ledger rebuild``)."""

    stream = models.CharField(max_length=160, primary_key=True)
    kind = models.CharField(max_length=16)
    events = models.PositiveBigIntegerField()
    head_seq = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    first_occurred_at = models.DateTimeField()
    last_occurred_at = models.DateTimeField()
    last_recorded_at = models.DateTimeField()

    class Meta:
        db_table = "ledger_stream_summary"
        indexes = [
            models.Index(fields=["kind", "last_recorded_at"], name="ledger_summary_kind_idx")
        ]

    def __str__(self) -> str:
        return f"{self.stream}: {self.events} events"
