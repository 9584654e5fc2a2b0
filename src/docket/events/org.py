"""Event types of the org area.

Two kinds of stream hold them: ``org`` (the organization's shape: units, people who
are not yet members, bodies, seats, terms) and ``member:<person public id>`` (one
member's own record: admission, transfers, standing, offices).

Payloads name things by public id, never by database key, so the ledger stays
meaningful after an export. A non-member's payload carries only the pseudonymous
label: real identities of complainants and witnesses never enter the ledger.

Strings here are public ids and keys (codes), person ids, or ``OrgText``: names, titles
and an administrator's reasons, the organization's own record, which no case content
enters (issue 24, finding 6; ``docket.events.registry``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from docket.events.registry import (
    EventPointer,
    Key,
    MemberNumber,
    OrgText,
    Payload,
    PersonId,
    PublicId,
    Ref,
    TimeZoneName,
    register,
)

StandingStatus = Literal["active", "suspended", "expelled", "resigned", "on_leave"]


@register("org.created", "The organization was set up", stream="org")
class OrganizationCreated(Payload):
    name: OrgText
    slug: Key
    time_zone: TimeZoneName


@register("org.updated", "The organization's name or time zone was changed", stream="org")
class OrganizationUpdated(Payload):
    name: OrgText
    time_zone: TimeZoneName
    previous_name: OrgText
    previous_time_zone: TimeZoneName
    reason: OrgText


@register("unit.created", "A unit (national, region, branch) was created", stream="org")
class UnitCreated(Payload):
    unit: PublicId
    key: Key
    kind: Literal["national", "region", "branch"]
    name: OrgText
    parent: PublicId | None = None


@register("person.created", "A person who can take part in cases was recorded", stream="org")
class PersonCreated(Payload):
    person: PersonId
    display_name: OrgText
    pseudonymous: bool


@register("person.renamed", "A named person's display name was corrected", stream="org")
class PersonRenamed(Payload):
    person: PersonId
    display_name: OrgText
    reason: OrgText


@register("person.account_linked", "A person was linked to a sign-in account", stream="org")
class PersonAccountLinked(Payload):
    person: PersonId
    reason: OrgText


@register(
    "person.identity_recorded",
    "A pseudonymous person's encrypted identity was recorded (reference only)",
    stream="org",
)
class PersonIdentityRecorded(Payload):
    person: PersonId
    identity_ref: Ref
    reason: OrgText


@register("member.admitted", "A person was admitted as a member", stream="member")
class MemberAdmitted(Payload):
    person: PersonId
    member_number: MemberNumber
    joined_on: date
    unit: PublicId
    reason: OrgText


@register("member.transferred", "A member moved to another unit", stream="member")
class MemberTransferred(Payload):
    person: PersonId
    from_unit: PublicId
    to_unit: PublicId
    effective_at: datetime
    reason: OrgText


@register("member.standing_changed", "A member's standing changed", stream="member")
class MemberStandingChanged(Payload):
    person: PersonId
    status: StandingStatus
    previous: StandingStatus
    effective_at: datetime
    until: datetime | None = None
    proceeding: PublicId | None = None
    cause: EventPointer | None = None  # the case event that caused it
    reason: OrgText


@register("member.office_began", "A member took up an office", stream="member")
class MemberOfficeBegan(Payload):
    person: PersonId
    office: PublicId
    title: OrgText
    unit: PublicId | None = None
    body: PublicId | None = None
    starts_at: datetime
    reason: OrgText


@register("member.office_ended", "A member left an office", stream="member")
class MemberOfficeEnded(Payload):
    person: PersonId
    office: PublicId
    ends_at: datetime
    reason: OrgText


@register("body.created", "A body (committee, executive) was created", stream="org")
class BodyCreated(Payload):
    body: PublicId
    key: Key
    name: OrgText
    unit: PublicId


@register("seat.created", "A seat was added to a body", stream="org")
class SeatCreated(Payload):
    seat: PublicId
    body: PublicId
    number: int
    label: OrgText | None = None


@register("seat.term_began", "A person began a term in a seat", stream="org")
class SeatTermBegan(Payload):
    term: PublicId
    seat: PublicId
    body: PublicId
    person: PersonId
    starts_at: datetime
    ends_at: datetime | None = None
    may_finish_open_cases: bool
    reason: OrgText


@register("seat.term_ended", "A seat term ended (early, or on its scheduled date)", stream="org")
class SeatTermEnded(Payload):
    term: PublicId
    seat: PublicId
    body: PublicId
    person: PersonId
    ends_at: datetime
    early: bool
    reason: OrgText
