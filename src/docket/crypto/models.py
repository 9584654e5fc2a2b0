"""Tables of the crypto app: case data keys, content items, legal holds.

No column holds plaintext of confidential content or an unkeyed hash of it: the blob
address is the SHA-256 of the *ciphertext*, the original filename is sealed, and the
data keys are stored only wrapped under a key-encryption key kept outside the database.
Content items are never updated except to mark them shredded; corrections and
redactions are new items that point at what they correct or redact.
"""

from __future__ import annotations

from django.db import models


class ContentKind(models.TextChoices):
    STATEMENT = "statement", "Statement"
    EVIDENCE = "evidence", "Evidence"
    IDENTITY = "identity", "Identity of a non-member"
    DELIBERATION = "deliberation", "Deliberation"
    REPORT = "report", "Intake report"
    MESSAGE = "message", "Message"
    NOTE = "note", "Note"
    DECISION = "decision", "Decision text"
    LETTER = "letter", "Letter"


class CaseKey(models.Model):
    """A case's data key, stored only wrapped under a KEK; nulled when shredded."""

    stream = models.CharField(max_length=80)
    key_version = models.PositiveIntegerField(default=1)
    wrapped_key = models.BinaryField(null=True, editable=False)
    kek_id = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    rewrapped_at = models.DateTimeField(null=True, blank=True)
    shredded_at = models.DateTimeField(null=True, blank=True)
    shred_reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stream", "key_version"], name="crypto_casekey_once"),
            models.CheckConstraint(
                condition=models.Q(shredded_at__isnull=False) | models.Q(wrapped_key__isnull=False),
                name="crypto_casekey_wrapped_unless_shredded",
            ),
        ]
        indexes = [models.Index(fields=["kek_id"], name="crypto_casekey_kek")]

    def __str__(self) -> str:
        state = "shredded" if self.shredded_at else self.kek_id
        return f"{self.stream} data key v{self.key_version} ({state})"


class ContentItem(models.Model):
    """One sealed piece of confidential content and the metadata that outlives it."""

    public_id = models.CharField(max_length=32, unique=True)
    stream = models.CharField(max_length=80, db_index=True)
    kind = models.CharField(max_length=20, choices=ContentKind.choices)
    version = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    redaction_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redactions",
    )
    audience = models.CharField(max_length=80, blank=True, default="")
    author = models.CharField(max_length=80)
    capacity = models.CharField(max_length=80)
    created_at = models.DateTimeField()
    key_version = models.PositiveIntegerField()
    blob = models.CharField(max_length=64)  # SHA-256 (hex) of the ciphertext
    # Small sealed items (statements, names, notes) are kept in the row itself, still
    # sealed, so a page listing fifty of them reads no files; larger ones live in the
    # content store under ``blob``. Defer this column on pages that show metadata only.
    inline = models.BinaryField(null=True, editable=False)
    size = models.BigIntegerField()  # plaintext bytes
    media_type = models.CharField(max_length=100)
    sealed_filename = models.BinaryField(null=True, editable=False)
    shredded = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(redaction_of__isnull=True) | ~models.Q(audience=""),
                name="crypto_redaction_has_audience",
            ),
        ]
        indexes = [models.Index(fields=["stream", "kind"], name="crypto_item_stream_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id} v{self.version}"


class LegalHold(models.Model):
    """While a hold is in place (not lifted) a case's content may not be shredded."""

    stream = models.CharField(max_length=80, db_index=True)
    reason = models.TextField()
    placed_by = models.CharField(max_length=80)
    placed_at = models.DateTimeField()
    lifted_by = models.CharField(max_length=80, blank=True, default="")
    lifted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"hold on {self.stream} ({'lifted' if self.lifted_at else 'active'})"
