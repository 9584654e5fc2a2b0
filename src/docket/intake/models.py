"""Tables of the intake area.

``IntakeReport`` is a projection of the report's ledger stream (``intake:<public_id>``)
plus the receipt credential, which is not an event (it is never shown again and never
leaves this row): an HMAC lookup key and an argon2id hash. No column holds what the
report says, who made it or whom it names: all of that is sealed in content items.

``SubjectToken`` is the repeat-subject blind index (keyed hashes, see ``blind_index``);
``RepeatNotice`` records that two matters name the same person; ``RateCounter`` counts
requests per keyed bucket and fixed window (rate limits shared by every app server).
"""

from __future__ import annotations

from django.db import models

from docket.core.ids import public_id


class IntakeReport(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CONVERTED = "converted", "Case begun"
        DECLINED = "declined", "Not taken further"

    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    protocol = models.ForeignKey(
        "cases.ProtocolVersion", on_delete=models.PROTECT, related_name="intake_reports"
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Derived from the ledger (see projection.py):
    received_at = models.DateTimeField()
    reporter_role = models.CharField(max_length=16)
    wants = models.CharField(max_length=16)
    contact = models.CharField(max_length=16)
    anonymous = models.BooleanField(default=True)
    content_ref = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    acknowledge_due = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    case_public_id = models.CharField(max_length=24, blank=True)
    awaiting_officers = models.BooleanField(default=True)  # the reporter wrote last
    head_seq = models.PositiveIntegerField(default=0)
    last_event_at = models.DateTimeField()
    # The receipt credential (not in the ledger): lookup key and slow hash.
    receipt_lookup = models.CharField(max_length=64, db_index=True)
    receipt_hash = models.CharField(max_length=200)

    class Meta:
        ordering = ["-received_at", "id"]
        indexes = [models.Index(fields=["status", "acknowledge_due"])]

    def __str__(self) -> str:
        return f"report {self.public_id}"

    @property
    def stream(self) -> str:
        return f"intake:{self.public_id}"


class SubjectToken(models.Model):
    """A keyed hash of a person named by a matter (a report or a case)."""

    token = models.CharField(max_length=64)
    matter_kind = models.CharField(max_length=8)  # "report" or "case"
    matter_id = models.CharField(max_length=24)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token", "matter_kind", "matter_id"], name="intake_token_once"
            )
        ]
        indexes = [
            models.Index(fields=["token"], name="intake_token_lookup"),
            models.Index(fields=["matter_kind", "matter_id"], name="intake_token_matter"),
        ]

    def __str__(self) -> str:
        return f"subject token of {self.matter_kind} {self.matter_id}"


class RepeatNotice(models.Model):
    """``matter`` (the newer) names someone ``other`` (the earlier) names too."""

    matter_kind = models.CharField(max_length=8)
    matter_id = models.CharField(max_length=24)
    other_kind = models.CharField(max_length=8)
    other_id = models.CharField(max_length=24)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["matter_kind", "matter_id", "other_kind", "other_id"],
                name="intake_notice_once",
            )
        ]
        indexes = [
            models.Index(fields=["matter_kind", "matter_id"], name="intake_notice_matter"),
            models.Index(fields=["other_kind", "other_id"], name="intake_notice_other"),
        ]
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.matter_kind} {self.matter_id} ~ {self.other_kind} {self.other_id}"


class RateCounter(models.Model):
    bucket = models.CharField(max_length=64)  # keyed hash of scope + client or receipt
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "window_start"], name="intake_rate_once")
        ]
        indexes = [models.Index(fields=["window_start"], name="intake_rate_window")]

    def __str__(self) -> str:
        return f"rate bucket from {self.window_start:%Y-%m-%d %H:%M}"
