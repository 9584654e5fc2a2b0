"""Shapes of the API's requests and answers (pydantic, through django-ninja).

Every string a client sends is bounded and refuses NUL characters; identifiers have
patterns; choices are closed lists. Input that does not fit is answered 422 before any
service runs, so nothing is changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, StringConstraints

# Identifiers
PublicId = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{8,24}$")]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.@-]{0,79}$")]
LocalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


# Documented as "does not match NUL" rather than a ^[^\x00]*$ pattern: the same rule,
# and client generators (and schemathesis) handle it without building a huge regex.
NOT_NUL: dict[str, Any] = {"not": {"pattern": "\\x00"}}
NUL_FREE = AfterValidator(_no_nul)


# Free text: any characters but NUL, bounded.
ShortText = Annotated[str, Field(max_length=200, json_schema_extra=NOT_NUL), NUL_FREE]
LongText = Annotated[str, Field(max_length=100_000, json_schema_extra=NOT_NUL), NUL_FREE]
Label = Annotated[str, Field(min_length=1, max_length=40, json_schema_extra=NOT_NUL), NUL_FREE]
Reason = Annotated[str, Field(min_length=1, max_length=500, json_schema_extra=NOT_NUL), NUL_FREE]
Clause = Annotated[str, Field(min_length=1, max_length=80, json_schema_extra=NOT_NUL), NUL_FREE]

PartyRole = Literal["complainant", "respondent"]


class ErrorOut(Schema):
    """Every refusal: a stable code, a message for people, structured data for programs."""

    code: str
    message: str
    data: dict[str, Any] = {}


class PageMeta(Schema):
    count: int
    page: int
    per_page: int
    pages: int


# --- cases ------------------------------------------------------------------------------


class CaseOut(Schema):
    id: str
    reference: str
    category: str
    protocol: str
    protocol_version: int
    stage: str
    closed: bool
    disposition: str
    outcome: str
    holding_body: str | None
    received_at: datetime | None
    opened_at: datetime | None
    decided_at: datetime | None
    closed_at: datetime | None
    last_event_at: datetime | None
    head_seq: int
    violations: int
    deviations: int


class CasePage(Schema):
    items: list[CaseOut]
    meta: PageMeta


class StandingOut(Schema):
    roles: list[str]
    bodies: list[str]
    party: str | None
    full_record: bool


class CaseDetailOut(CaseOut):
    standing: StandingOut


class EventOut(Schema):
    seq: int
    type: str
    occurred_at: datetime
    recorded_at: datetime
    actor: str
    capacity: str
    provenance: str
    payload: dict[str, Any]
    deviation: dict[str, Any] | None
    hash: str


class RecordOut(Schema):
    case: str
    complete: bool = Field(
        description="True when every event is shown (full-record viewers); parties see "
        "the events that concern their side."
    )
    head_seq: int
    events: list[EventOut]


class ContentOut(Schema):
    item: str
    kind: str
    version: int
    media_type: str
    size: int
    text: str | None = Field(
        description="The decrypted text, for text items; files are fetched from download."
    )
    download: str | None


class ReasonOut(Schema):
    code: str
    clause: str
    rule: str | None
    message: str


class VerdictOut(Schema):
    action: str
    title: str
    allowed: bool
    capacity: str | None = Field(description="The capacity in which the caller may act.")
    reasons: list[ReasonOut]
    deviable_by: list[str]


class PermittedOut(Schema):
    case: str
    capacities: list[str]
    actions: list[VerdictOut]


class ActionOut(Schema):
    case: str
    event: EventOut
    head_seq: int
    stage: str


class IdentityOut(Schema):
    case: str
    item: str


# --- members and bodies -----------------------------------------------------------------


class StandingNow(Schema):
    status: str
    since: datetime
    until: datetime | None


class MemberOut(Schema):
    person: str
    name: str
    member_number: str
    joined_on: str
    unit: str | None
    standing: StandingNow | None


class MemberPage(Schema):
    items: list[MemberOut]
    meta: PageMeta


class StandingChangeOut(Schema):
    status: str
    effective_at: datetime
    until: datetime | None
    reason: str
    recorded_at: datetime


class TransferOut(Schema):
    to_unit: str
    effective_at: datetime
    reason: str


class MemberDetailOut(MemberOut):
    standing_history: list[StandingChangeOut]
    unit_history: list[TransferOut]


class TermOut(Schema):
    id: str
    seat: int
    person: str
    name: str
    starts_at: datetime
    ends_at: datetime | None
    may_finish_open_cases: bool


class BodyOut(Schema):
    id: str
    key: str
    name: str
    unit: str
    seats: int


class BodyDetailOut(BodyOut):
    terms: list[TermOut]


# --- tokens -----------------------------------------------------------------------------


class TokenOut(Schema):
    id: str
    label: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    status: str


class MeOut(Schema):
    email: str
    person: str | None
    name: str | None
    mfa: bool
    administrator: bool
    token: TokenOut


# --- requests for members and bodies ------------------------------------------------------


class MemberAdmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    person: PublicId
    member_number: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")]
    joined_on: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
    unit: Key
    reason: Reason


class MemberTransferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_unit: Key
    effective: AwareDatetime
    reason: Reason


class MemberStandingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    status: Literal["active", "suspended", "expelled", "resigned", "on_leave"]
    effective: AwareDatetime
    until: AwareDatetime | None = None
    reason: Reason


class TermBeginIn(Schema):
    model_config = ConfigDict(extra="forbid")

    seat: int = Field(ge=1, le=1000)
    person: PublicId
    starts: AwareDatetime
    ends: AwareDatetime | None = None
    may_finish_open_cases: bool = False
    reason: Reason


class TermEndIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ends: AwareDatetime | None = None
    reason: Reason
