"""One typed request shape per case action (the services in ``docket.cases.services``).

Fields mirror the service's keyword arguments. People are given by their public ids,
units by key; ``to_kwargs`` turns a request into the service's arguments.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal

from ninja import Schema
from pydantic import AwareDatetime, ConfigDict, Field, StringConstraints

from docket.cases.services import AllegationInput, FindingInput
from docket.core.errors import InvalidInput
from docket.org.models import Person, Unit

from .moments import check_moments
from .schemas import (
    NOT_NUL,
    NUL_FREE,
    Key,
    LocalId,
    LongText,
    PartyRole,
    PublicId,
    ShortText,
)

Required = Annotated[
    str, Field(min_length=1, max_length=100_000, json_schema_extra=NOT_NUL), NUL_FREE
]
# Codes the event vocabulary keeps in clear (docket.events.registry, issue 24 finding 6):
# the same patterns, so that a request that cannot be recorded is refused here (422).
Category = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 /_-]{0,79}$")]
Citation = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9§][A-Za-z0-9§ .,:;()/'_-]{0,199}$")
]
OptionalLabel = Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9][A-Za-z0-9._-]{0,39})?$")]
# Free text that the services seal into content items.
Forum = Annotated[str, Field(min_length=1, max_length=2000, json_schema_extra=NOT_NUL), NUL_FREE]
Motion = Annotated[str, Field(min_length=1, max_length=2000, json_schema_extra=NOT_NUL), NUL_FREE]
GrantReason = Annotated[
    str, Field(min_length=3, max_length=2000, json_schema_extra=NOT_NUL), NUL_FREE
]
Identity = Annotated[str, Field(min_length=1, max_length=500, json_schema_extra=NOT_NUL), NUL_FREE]

Resolver = Callable[[str, str], Person]
CaseReference = Annotated[str, StringConstraints(pattern=r"^([A-Za-z0-9][A-Za-z0-9./_-]{0,39})?$")]
Ids = list[LocalId]
Clauses = list[Citation]


class DeviationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    body: Key = Field(description="The empowered body that takes the step anyway.")
    justification: Required


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    expect_seq: int | None = Field(
        None,
        ge=0,
        le=2**40,
        description="The record's head as the caller last saw it; if the case has moved on "
        "since, nothing is done and the answer is 409 case.changed.",
    )
    # Fields holding a person's public id (or a list of them).
    PERSONS: ClassVar[tuple[str, ...]] = ()
    # Of those, the fields naming someone the step gives a part in the case: an id on no
    # record goes to the service as None, and the engine refuses it with the same answer
    # as anyone else who may not be given the part (no answer tells who exists).
    FOR_PART: ClassVar[tuple[str, ...]] = ()

    def to_kwargs(self, person: Resolver) -> dict[str, Any]:
        values = {k: getattr(self, k) for k in type(self).model_fields}
        if values.get("deviation") is not None:
            values["deviation"] = values["deviation"].model_dump()
        for name in self.PERSONS:
            value = values.get(name)
            if isinstance(value, list):
                values[name] = [person(v, name) for v in value]
            elif value is not None and name in self.FOR_PART:
                values[name] = _for_part(person, value, name)
            elif value is not None:
                values[name] = person(value, name)
        return check_moments(values)


def _for_part(person: Resolver, value: str, name: str) -> Person | None:
    try:
        return person(value, name)
    except InvalidInput:
        return None


class DeviableIn(ActionIn):
    deviation: DeviationIn | None = Field(
        None, description="Take the step although a rule refuses it, as an empowered body."
    )


# --- intake ------------------------------------------------------------------------------


class AllegationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    id: LocalId
    rule: Citation
    summary: LongText = ""


class ComplaintReceiveIn(Schema):
    model_config = ConfigDict(extra="forbid")
    protocol_id: Key
    received_by: Key
    category: Category
    channel: Literal["in_person", "written", "online", "anonymous", "referral", "import"]
    reporter_role: Literal["affected", "witness", "third_party"]
    respondents: list[PublicId] = Field(min_length=1, max_length=20)
    complainants: list[PublicId] = Field([], max_length=20)
    allegations: list[AllegationIn] = Field(min_length=1, max_length=50)
    account: LongText = ""
    unit: Key | None = None

    def to_kwargs(self, person: Resolver) -> dict[str, Any]:
        unit = None
        if self.unit is not None:
            unit = Unit.objects.filter(key=self.unit).first()
            if unit is None:
                raise InvalidInput("No such unit.", code="unit.unknown", data={"field": "unit"})
        return {
            "protocol_id": self.protocol_id,
            "received_by": self.received_by,
            "category": self.category,
            "channel": self.channel,
            "reporter_role": self.reporter_role,
            "respondents": [person(p, "respondents") for p in self.respondents],
            "complainants": [person(p, "complainants") for p in self.complainants],
            "allegations": [AllegationInput(a.id, a.rule, a.summary) for a in self.allegations],
            "account": self.account,
            "unit": unit,
        }


class ComplaintAcknowledgeIn(ActionIn):
    note: LongText = ""


class JurisdictionAssessIn(ActionIn):
    accepted: bool
    reasons: LongText = ""


class CaseOpenIn(DeviableIn):
    body: Key
    reference: CaseReference = ""


# --- bodies ------------------------------------------------------------------------------


class CaseReferIn(DeviableIn):
    to_body: Key
    reasons: LongText = ""
    hand_over: bool = True
    withheld: list[int] = Field([], max_length=1000)


class ReinvestigationOrderIn(DeviableIn):
    to_body: Key
    reasons: LongText = ""
    without_prejudice: bool = True
    hand_over: bool = True
    withheld: list[int] = Field([], max_length=1000)


class RecordHandOverIn(DeviableIn):
    to_body: Key
    withheld: list[int] = Field([], max_length=1000)


class PanelNameIn(DeviableIn):
    body: Key
    members: list[PublicId] = Field(min_length=1, max_length=30)
    chair: PublicId | None = None
    PERSONS = ("members", "chair")


class ConflictDeclareIn(ActionIn):
    person: PublicId | None = None
    reasons: LongText = ""
    recuse: bool = True
    PERSONS = ("person",)


class InvestigatorAppointIn(ActionIn):
    person: PublicId
    PERSONS = ("person",)


# --- decisions ---------------------------------------------------------------------------


class FindingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    allegation: LocalId
    finding: Literal["established", "not_established", "not_decided"]


class DecisionIssueIn(DeviableIn):
    decision_id: LocalId
    vote_id: LocalId | None = None
    outcome: Literal["sanction", "no_sanction", "dismissed"]
    rationale: Required
    findings: list[FindingIn] = Field([], max_length=50)
    sanctions: list[Key] = Field([], max_length=10)
    standard: Key | None = None
    recommendation: bool = False

    def to_kwargs(self, person: Resolver) -> dict[str, Any]:
        values = super().to_kwargs(person)
        values["findings"] = [FindingInput(f.allegation, f.finding) for f in self.findings]
        return values


class DecisionRatifyIn(ActionIn):
    decision_id: LocalId


class DecisionOverruleIn(ActionIn):
    decision_id: LocalId
    grounds: Clauses = Field(min_length=1, max_length=20)
    explanation: Required


class SanctionApplyIn(DeviableIn):
    decision_id: LocalId
    sanction: Key
    subject: PublicId
    PERSONS = ("subject",)


class AppealFileIn(DeviableIn):
    appeal_id: LocalId
    party: PartyRole
    decision_id: LocalId
    grounds: Clauses = Field(min_length=1, max_length=20)
    explanation: Required


class AppealDecideIn(ActionIn):
    appeal_id: LocalId
    outcome: Literal["upheld", "dismissed", "remanded", "varied"]
    reasons: Required


class ObjectionFileIn(ActionIn):
    objection_id: LocalId
    to_body: Key
    clauses: Clauses = Field([], max_length=20)
    grounds: Required


class ObjectionAnswerIn(ActionIn):
    objection_id: LocalId
    upheld: bool
    reasons: Required


class MistrialDeclareIn(ActionIn):
    grounds: Clauses = Field(min_length=1, max_length=20)
    reasons: Required


class ProceedingAnnulIn(ActionIn):
    grounds: Clauses = Field(min_length=1, max_length=20)
    reasons: Required


# --- hearings ----------------------------------------------------------------------------


class HearingScheduleIn(DeviableIn):
    hearing_id: LocalId
    at: AwareDatetime
    notice_to: list[PartyRole] = Field(["complainant", "respondent"], max_length=2)


class HearingHoldIn(DeviableIn):
    hearing_id: LocalId
    attendance: list[PublicId] = Field([], max_length=50)
    record: LongText = ""
    PERSONS = ("attendance",)


class HearingAdjournIn(ActionIn):
    hearing_id: LocalId
    until: AwareDatetime | None = None
    reasons: LongText = ""


class HearingWaiveIn(ActionIn):
    party: PartyRole
    waiver: LongText = ""


# --- lifecycle ---------------------------------------------------------------------------


class AccessGrantIn(ActionIn):
    person: PublicId
    until: AwareDatetime
    reason: GrantReason
    PERSONS = ("person",)


class AccessRevokeIn(ActionIn):
    person: PublicId
    PERSONS = ("person",)


class CaseCloseIn(ActionIn):
    disposition: Literal[
        "decided", "withdrawn", "not_proceeded", "informal_resolution", "dismissed", "reviewed"
    ]
    reasons: LongText = ""


class DeviationGrantIn(ActionIn):
    rules: list[Key] = Field(min_length=1, max_length=20)
    justification: Required


class CaseLinkIn(ActionIn):
    other: PublicId
    relation: Literal["same_respondent", "same_events", "related"] = "related"


class CaseReopenIn(ActionIn):
    to_body: Key
    purpose: Literal["corrective_review", "new_evidence", "appeal_out_of_time"]
    reasons: Required


class ReviewConcludeIn(ActionIn):
    findings: Required
    corrective_actions: list[ShortText] = Field([], max_length=50)


# --- measures ----------------------------------------------------------------------------


class MeasureImposeIn(DeviableIn):
    measure_id: LocalId
    kind: Literal[
        "suspension", "no_contact", "removal_from_office", "emergency_removal", "support", "other"
    ]
    subject: PublicId
    reasons: Required
    until: AwareDatetime | None = None
    supportive: bool = False
    PERSONS = ("subject",)


class MeasureChallengeIn(ActionIn):
    measure_id: LocalId
    grounds: Required


class MeasureReviewIn(ActionIn):
    measure_id: LocalId
    outcome: Literal["continued", "varied", "lifted"]
    reasons: LongText = ""


class MeasureLiftIn(ActionIn):
    measure_id: LocalId
    reasons: LongText = ""


class SupportOfferIn(ActionIn):
    measure_id: LocalId
    party_person: PublicId
    description: Required
    PERSONS = ("party_person",)


# --- parties -----------------------------------------------------------------------------


class AdvocateNameIn(ActionIn):
    party: PartyRole
    advocate: PublicId
    replaces: PublicId | None = None
    PERSONS = ("advocate", "replaces")
    FOR_PART = ("advocate",)


class ParticipationChooseIn(ActionIn):
    party: PartyRole
    choice: Literal["take_part", "statement_only", "step_back", "withdraw"]


class InformalProposeIn(ActionIn):
    kind: Literal["mediation", "agreement"]
    terms: LongText = ""


class InformalConsentIn(ActionIn):
    party: PartyRole
    consent: Required


class InformalConsentWithdrawIn(ActionIn):
    party: PartyRole


class InformalAgreeIn(ActionIn):
    agreement: Required


# --- record ------------------------------------------------------------------------------


class ChargesServeIn(ActionIn):
    respondent: PublicId
    allegations: Ids = Field(min_length=1, max_length=50)
    notice: Required
    PERSONS = ("respondent",)


class StatementRecordIn(DeviableIn):
    author: PublicId
    role: Literal["complainant", "respondent", "witness"]
    label: LocalId
    text: Required
    PERSONS = ("author",)
    FOR_PART = ("author",)


class StatementCorrectIn(ActionIn):
    item: PublicId
    text: Required


class StatementWithdrawIn(ActionIn):
    item: PublicId


# Base64 of at most 1 MiB: larger files go through the website's upload form.
EVIDENCE_MAX_BASE64 = 1_398_104


class EvidenceRecordIn(DeviableIn):
    label: LocalId
    content_base64: Annotated[
        str,
        StringConstraints(
            min_length=4, max_length=EVIDENCE_MAX_BASE64, pattern=r"^[A-Za-z0-9+/]*={0,2}$"
        ),
    ] = Field(description="The file, base64-encoded (at most 1 MiB).")
    filename: (
        Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00/\\]+$")]
        | None
    ) = None
    provided_by: PublicId | None = None
    PERSONS = ("provided_by",)

    def to_kwargs(self, person: Resolver) -> dict[str, Any]:
        values = super().to_kwargs(person)
        try:
            values["data"] = base64.b64decode(values.pop("content_base64"), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput(
                "The file is not valid base64.", data={"field": "content_base64"}
            ) from None
        return values


class ReportPrepareIn(ActionIn):
    label: LocalId
    text: Required


class MaterialDiscloseIn(DeviableIn):
    to: PartyRole
    items: list[PublicId] = Field(min_length=1, max_length=200)


class ResponseReceiveIn(ActionIn):
    party: PartyRole
    text: Required
    to_items: list[PublicId] = Field([], max_length=200)


class ParallelProceedingNoteIn(ActionIn):
    forum: Forum
    outcome: ShortText = ""
    details: LongText = ""


class NoteAddIn(ActionIn):
    text: Required
    label: OptionalLabel = ""


class CorrespondenceReceiveIn(ActionIn):
    to_body: Key
    text: Required
    sender: PublicId | None = None
    PERSONS = ("sender",)


class IdentityRecordIn(Schema):
    model_config = ConfigDict(extra="forbid")
    person: PublicId
    identity: Identity


# --- votes -------------------------------------------------------------------------------


class VoteOpenIn(DeviableIn):
    vote_id: LocalId
    motion: Motion
    sanction: Key | None = None


class VoteCastIn(ActionIn):
    vote_id: LocalId
    choice: Literal["yes", "no", "abstain"]
    dissent: LongText = ""


class VoteCloseIn(ActionIn):
    vote_id: LocalId
