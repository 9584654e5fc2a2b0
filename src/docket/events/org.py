"""Event types of the org area.

Two kinds of stream hold them: ``org`` (the organization's shape: units, people who
are not yet members, bodies, seats, terms) and ``member:<person public id>`` (one
member's own record: admission, transfers, standing, offices).

Payloads name things by public id, never by database key, so the ledger stays
meaningful after an export. A non-member's payload carries only the pseudonymous
label: real identities of complainants and witnesses never enter the ledger.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from docket.events.registry import Payload, register

StandingStatus = Literal["active", "suspended", "expelled", "resigned", "on_leave"]


@register("org.created", "The organization was set up", stream="org")
class OrganizationCreated(Payload):
    name: str
    slug: str
    time_zone: str


@register("org.updated", "The organization's name or time zone was changed", stream="org")
class OrganizationUpdated(Payload):
    name: str
    time_zone: str
    previous_name: str
    previous_time_zone: str
    reason: str


@register("unit.created", "A unit (national, region, branch) was created", stream="org")
class UnitCreated(Payload):
    unit: str
    key: str
    kind: Literal["national", "region", "branch"]
    name: str
    parent: str | None = None


@register("person.created", "A person who can take part in cases was recorded", stream="org")
class PersonCreated(Payload):
    person: str
    display_name: str
    pseudonymous: bool


@register("person.renamed", "A named person's display name was corrected", stream="org")
class PersonRenamed(Payload):
    person: str
    display_name: str
    reason: str


@register("person.account_linked", "A person was linked to a sign-in account", stream="org")
class PersonAccountLinked(Payload):
    person: str
    reason: str


@register(
    "person.identity_recorded",
    "A pseudonymous person's encrypted identity was recorded (reference only)",
    stream="org",
)
class PersonIdentityRecorded(Payload):
    person: str
    identity_ref: str
    reason: str


@register("member.admitted", "A person was admitted as a member", stream="member")
class MemberAdmitted(Payload):
    person: str
    member_number: str
    joined_on: date
    unit: str
    reason: str


@register("member.transferred", "A member moved to another unit", stream="member")
class MemberTransferred(Payload):
    person: str
    from_unit: str
    to_unit: str
    effective_at: datetime
    reason: str


@register("member.standing_changed", "A member's standing changed", stream="member")
class MemberStandingChanged(Payload):
    person: str
    status: StandingStatus
    previous: StandingStatus
    effective_at: datetime
    until: datetime | None = None
    proceeding: str | None = None
    cause: str | None = None
    reason: str


@register("member.office_began", "A member took up an office", stream="member")
class MemberOfficeBegan(Payload):
    person: str
    office: str
    title: str
    unit: str | None = None
    body: str | None = None
    starts_at: datetime
    reason: str


@register("member.office_ended", "A member left an office", stream="member")
class MemberOfficeEnded(Payload):
    person: str
    office: str
    ends_at: datetime
    reason: str


@register("body.created", "A body (committee, executive) was created", stream="org")
class BodyCreated(Payload):
    body: str
    key: str
    name: str
    unit: str


@register("seat.created", "A seat was added to a body", stream="org")
class SeatCreated(Payload):
    seat: str
    body: str
    number: int
    label: str | None = None


@register("seat.term_began", "A person began a term in a seat", stream="org")
class SeatTermBegan(Payload):
    term: str
    seat: str
    body: str
    person: str
    starts_at: datetime
    ends_at: datetime | None = None
    may_finish_open_cases: bool
    reason: str


@register("seat.term_ended", "A seat term ended (early, or on its scheduled date)", stream="org")
class SeatTermEnded(Payload):
    term: str
    seat: str
    body: str
    person: str
    ends_at: datetime
    early: bool
    reason: str
