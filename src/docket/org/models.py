"""The organization's shape: units, people, members and their history, bodies, seats, terms.

These tables are projections of the org and member ledgers: services in
``docket.org.services`` append a ledger event and write the rows in one transaction.
Nothing here is edited in place to change a fact that has a history. A member's
standing or unit is never a column: it is computed from the history rows by
``docket.org.selectors`` for any moment, so a suspension "until" a date lapses on
its own and the past can always be asked about.

Time: every effective moment is an aware ``DateTimeField``; intervals are half-open
``[starts, ends)``, so a term that ends at T gives nothing at T.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from docket.core.ids import public_id


class Organization(models.Model):
    """The one organization a deployment serves."""

    # Always True and unique: the database itself refuses a second organization.
    singleton = models.BooleanField(default=True, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="org_organization_single"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    NATIONAL = "national", "National"
    REGION = "region", "Region"
    BRANCH = "branch", "Branch"


# A child unit must rank strictly below its parent (a branch may sit directly under
# the national unit in organizations without regions).
UNIT_RANK = {UnitKind.NATIONAL: 0, UnitKind.REGION: 1, UnitKind.BRANCH: 2}


class Unit(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="units")
    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(max_length=16, choices=UnitKind.choices)
    key = models.SlugField(max_length=60, help_text="Stable short name, used in imports.")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="org_unit_key_unique"),
            # Exactly one root: the national unit.
            models.UniqueConstraint(
                fields=["organization"], condition=Q(parent__isnull=True), name="org_unit_one_root"
            ),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Anyone who takes part in cases: members and non-members alike.

    ``display_name`` is a real name only when ``pseudonymous`` is False. Non-member
    complainants and witnesses are created with a pseudonymous label ("Complainant
    C"); their real identity is stored encrypted by the case layer and referenced by
    ``identity_ref``, never in plain text here.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="people")
    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    display_name = models.CharField(max_length=200)
    pseudonymous = models.BooleanField(default=False)
    identity_ref = models.CharField(
        max_length=200, blank=True, help_text="Reference to the encrypted identity blob."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    created_at = models.DateTimeField()
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(display_name=""), name="org_person_has_name"),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def ledger_stream(self) -> str:
        return f"member:{self.public_id}"


class Membership(models.Model):
    """The fact that a person is (or was) a member. Standing and unit live in history."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="membership")
    member_number = models.CharField(max_length=40, unique=True)
    joined_on = models.DateField()
    joined_at = models.DateTimeField(help_text="Start of joined_on in the organization's zone.")
    created_at = models.DateTimeField()
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["member_number"]

    def __str__(self) -> str:
        return f"{self.member_number} {self.person.display_name}"


class UnitTransfer(models.Model):
    """A member's unit from ``effective_at`` on. Admission is the first row (no from_unit)."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    effective_at = models.DateTimeField()
    reason = models.TextField()
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["effective_at", "id"]
        indexes = [models.Index(fields=["membership", "effective_at"])]

    def __str__(self) -> str:
        return f"{self.membership_id} -> {self.to_unit_id} from {self.effective_at:%Y-%m-%d}"


class Standing(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    EXPELLED = "expelled", "Expelled"
    RESIGNED = "resigned", "Resigned"
    ON_LEAVE = "on_leave", "On leave"


class StandingChange(models.Model):
    """A member's standing from ``effective_at``; with ``until`` it lapses back to active.

    An open-ended suspension "for the duration of proceeding X" names the case in
    ``proceeding`` and ends with a later change (reinstatement or sanction).
    """

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="standing_changes"
    )
    status = models.CharField(max_length=16, choices=Standing.choices)
    effective_at = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)
    proceeding = models.CharField(
        max_length=64, blank=True, help_text="Case the suspension lasts for, when open-ended."
    )
    reason = models.TextField()
    # "<stream>#<seq>" of the ledger event that caused this change (e.g. a case decision).
    cause = models.CharField(max_length=120, blank=True)
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["effective_at", "id"]
        indexes = [models.Index(fields=["membership", "effective_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=models.F("effective_at")),
                name="org_standing_until_after_start",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="org_standing_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.status} from {self.effective_at:%Y-%m-%d}"


class Body(models.Model):
    """A committee or executive. ``key`` matches the protocol's body keys."""

    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bodies")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            # Branch executives share a key, one per branch.
            models.UniqueConstraint(fields=["unit", "key"], name="org_body_key_per_unit"),
        ]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="org_seat_number_unique"),
        ]
        ordering = ["body_id", "number"]

    def __str__(self) -> str:
        return self.label or f"{self.body} seat {self.number}"


class SeatTerm(models.Model):
    """A person holds a seat over ``[starts_at, ends_at)``; open-ended when ends_at is null.

    ``ends_at`` may be set in advance (a fixed term); ending early lowers it and
    records why. ``closed_at`` is when the end was processed (event appended and the
    account's sessions ended), so expiry can be swept once.
    """

    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="terms")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="seat_terms")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    ended_early_reason = models.TextField(blank=True)
    # The protocol may let a panel finish the cases it holds after its term ends.
    may_finish_open_cases = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(help_text="Why the term began (election, appointment).")
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["person", "starts_at"]),
            models.Index(fields=["seat", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="org_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.seat_id} from {self.starts_at:%Y-%m-%d}"


class OfficeHeld(models.Model):
    """An office a member holds in a unit or a body (chair, treasurer, delegate)."""

    public_id = models.CharField(max_length=24, unique=True, default=public_id, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="offices")
    title = models.CharField(max_length=200)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="offices"
    )
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="offices"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    end_reason = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    event_seq = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(body__isnull=True))
                | (Q(unit__isnull=True) & Q(body__isnull=False)),
                name="org_office_unit_xor_body",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="org_office_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title
