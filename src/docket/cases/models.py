"""Cases: adopted protocol versions, and the query tables derived from each case's ledger.

The ledger is the truth. ``Case``, ``CaseRole``, ``CaseBody`` and ``CaseObligation`` are
projections that
``docket.cases.projection`` computes from the protocol engine's reading of the events;
services rewrite them in the transaction that appends, and ``docket ledger rebuild``
recomputes and compares them. Nothing here is edited by hand.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q

from docket.core.ids import public_id


class ProtocolVersion(models.Model):
    """A protocol document as adopted; cases are bound to the version in force when they
    opened. The YAML text is kept verbatim so that the protocol can always be re-read."""

    protocol_id = models.CharField(max_length=80)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    adopted_on = models.DateField()
    adopted_by = models.CharField(max_length=200)
    text = models.TextField()
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField()
    loaded_by = models.CharField(max_length=160)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["protocol_id", "version"], name="cases_protocol_version_unique"
            )
        ]
        ordering = ["protocol_id", "version"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Case(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    reference = models.CharField(max_length=40, blank=True, db_index=True)
    category = models.CharField(max_length=80)
    protocol = models.ForeignKey(ProtocolVersion, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    provenance = models.CharField(max_length=16, default="live")
    # Derived from the ledger (see projection.py):
    stage = models.CharField(max_length=40)
    closed = models.BooleanField(default=False)
    disposition = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    sanctions = models.JSONField(default=list)
    holding_body = models.ForeignKey(
        "org.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    appeals = models.PositiveIntegerField(default=0)
    # The latest appeal's outcome: "" (none), pending, upheld, dismissed, remanded, varied.
    appeal_outcome = models.CharField(max_length=16, blank=True)
    violations = models.PositiveIntegerField(default=0)
    deviations = models.PositiveIntegerField(default=0)
    # Whether the protocol lets the holding body's panel finish the case after terms end.
    panel_survives_term = models.BooleanField(default=False)
    head_seq = models.PositiveIntegerField(default=0)
    last_event_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Most recently active first; the index lets lists page through in that order.
        ordering = ["-last_event_at", "-id"]
        indexes = [
            models.Index(fields=["closed", "received_at"]),
            models.Index(fields=["decided_at"]),
            models.Index(fields=["last_event_at", "id"], name="cases_case_activity"),
            # The compliance overview's open cases with violations, most first: few
            # cases have any, so the index is small and the list stops at its page.
            models.Index(
                fields=["-violations", "received_at", "id"],
                condition=Q(closed=False, violations__gt=0),
                name="cases_case_open_violations",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or self.public_id

    @property
    def stream(self) -> str:
        return f"case:{self.public_id}"


class CaseRole(models.Model):
    """A person's part in a case, as the record gives it. Access is derived from these."""

    class Role(models.TextChoices):
        COMPLAINANT = "complainant"
        RESPONDENT = "respondent"
        COMPLAINANT_ADVOCATE = "complainant_advocate"
        RESPONDENT_ADVOCATE = "respondent_advocate"
        WITNESS = "witness"
        INVESTIGATOR = "investigator"
        PANEL = "panel"
        PANEL_CHAIR = "panel_chair"
        EARLIER_PANEL = "earlier_panel"
        CONFLICTED = "conflicted"  # declared a conflict or recused: denies access
        GRANTEE = "grantee"  # explicit, time-limited access
        REPORTER = "reporter"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(max_length=32, choices=Role.choices)
    until = models.DateTimeField(null=True, blank=True)  # grants only

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="cases_role_unique")
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.role} in case {self.case_id}"


class CaseBody(models.Model):
    """A body that held the case (one row per proceeding) or to which it was addressed."""

    class Relation(models.TextChoices):
        HOLDER = "holder"
        ADDRESSED = "addressed"  # objections, correspondence, ratification

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bodies")
    body = models.ForeignKey("org.Body", on_delete=models.PROTECT, related_name="case_links")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    proceeding = models.IntegerField(default=-1)  # -1 for addressed
    kind = models.CharField(max_length=24, blank=True)
    since_seq = models.PositiveIntegerField()
    current = models.BooleanField(default=False)
    record_complete = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "body", "relation", "proceeding"], name="cases_body_unique"
            ),
            models.CheckConstraint(
                condition=Q(relation="addressed", proceeding=-1) | Q(relation="holder"),
                name="cases_body_addressed_no_proceeding",
            ),
        ]
        indexes = [models.Index(fields=["body", "relation"])]

    def __str__(self) -> str:
        return f"{self.relation} {self.body_id} of case {self.case_id}"


class CaseObligation(models.Model):
    """A deadline the engine has running on the case: not met, not cancelled. Whether it is
    open, overdue (a duty past its due time) or lapsed (a window that closed) depends
    only on the moment it is read (``status_at``), so lists of many cases can ask the
    database what is due instead of evaluating every case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="obligations")
    deadline = models.CharField(max_length=80)
    clause = models.CharField(max_length=40)
    text = models.TextField()
    owed_by = models.CharField(max_length=80)
    kind = models.CharField(max_length=8)  # duty | window
    proceeding = models.IntegerField()
    started_seq = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    due = models.DateTimeField()
    remind_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "deadline", "started_seq"], name="cases_obligation_unique"
            )
        ]
        # "What is due" walks by due time; "what is overdue" walks the duties only.
        indexes = [
            models.Index(fields=["due"]),
            models.Index(fields=["kind", "due"], name="cases_obligation_kind_due"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline} of case {self.case_id}, due {self.due:%Y-%m-%d}"

    def status_at(self, at: datetime) -> str:
        """As the engine would say at ``at``, the record unchanged: open, overdue or lapsed."""
        if at <= self.due:
            return "open"
        return "overdue" if self.kind == "duty" else "lapsed"
