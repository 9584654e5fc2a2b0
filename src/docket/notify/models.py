"""Notices: that something in a case needs a person's attention, and whether they were told.

A ``Notice`` is one message owed to one person about one case, for one reason. The
unique key (person, case, kind, dedupe_key) means the same thing is never sent twice,
however often the event listener or the deadline sweep runs. Notices carry no
confidential content at all: a kind, the case, a due date, a link, and for parties the
ledger receipt they were given. Delivery state lives on the row and is changed only by
``docket.notify.services`` (in the transaction that checks it).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from docket.core.ids import public_id


class NoticeKind(models.TextChoices):
    MATERIAL_DISCLOSED = "material_disclosed", _("Material shared with you")
    RESPONSE_DUE = "response_due", _("A chance to answer")
    HEARING_SCHEDULED = "hearing_scheduled", _("A hearing was scheduled")
    DECISION_ISSUED = "decision_issued", _("A decision was recorded")
    APPEAL_FILED = "appeal_filed", _("An appeal was filed")
    APPEAL_DECIDED = "appeal_decided", _("An appeal was decided")
    ACTION_DUE = "action_due", _("Something waits for you")
    REMINDER = "reminder", _("A time limit is near")
    OVERDUE = "overdue", _("A time limit has passed")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    WITHHELD = "withheld", _("not sent: no access to the case any more")
    UNREACHABLE = "unreachable", _("not sent: no email address")
    FAILED = "failed", _("not sent: delivery kept failing")


class Notice(models.Model):
    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="notices")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    # What makes this notice unique for (person, case, kind): "event:<seq>" or
    # "<deadline>:<started seq>:remind|overdue".
    dedupe_key = models.CharField(max_length=120)
    seq = models.PositiveIntegerField(null=True, blank=True)  # the ledger event, if any
    due_at = models.DateTimeField(null=True, blank=True)
    path = models.CharField(max_length=300)  # link, relative to DOCKET_SITE_URL
    party = models.BooleanField(default=False)  # to a party's side: carries a receipt
    receipt = models.JSONField(null=True, blank=True)  # the receipt sent with it
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # an error class, never content
    sent_at = models.DateTimeField(null=True, blank=True)
    in_digest = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "case", "kind", "dedupe_key"], name="notify_notice_once"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["person", "created_at"]),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} for person {self.person_id} in case {self.case_id}"


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Each notice as it happens")
    DIGEST = "digest", _("One summary a day")


class NoticePreference(models.Model):
    """How a person wants to be told. No row means immediate notices."""

    person = models.OneToOneField(
        "org.Person", on_delete=models.PROTECT, related_name="notice_preference"
    )
    mode = models.CharField(
        max_length=16, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )
    changed_at = models.DateTimeField()
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.mode} for person {self.person_id}"
