"""Event types of a case's ledger.

Every step of a case is one of these. Payloads carry identifiers and structured facts;
confidential content (statement text, evidence, identities of non-members, reasons
written in prose) appears only as ``*_ref`` references to encrypted content items.
Person identifiers are the public ids of ``org.Person``.

Every string is marked (issue 24, finding 6): a reference (``PersonId``, ``Ref``), or a
bounded code (``LocalId``, ``Key``, ``Citation``...: see ``registry``). Free text a
person writes is sealed by the service and only its ``Ref`` is here. Events recorded
before that rule may still carry the old plain fields (``LEGACY_TEXT``); readers accept
both, and an interchange import seals such text into content items first.

The protocol engine reads these payloads; services write them. Each action a protocol
can name (``docket.protocol.actions``) produces exactly one event type here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from docket.events.registry import (
    CaseNumber,
    Category,
    Citation,
    Key,
    LocalId,
    Payload,
    PersonId,
    PublicId,
    Published,
    Ref,
    StreamId,
    register,
)

PartyRole = Literal["complainant", "respondent"]


class Allegation(Payload):
    id: LocalId
    rule: Citation  # the organization's rule alleged broken: a citation, not a story
    summary_ref: Ref | None = None


@register("complaint.received", "A complaint was received and a case file begun")
class ComplaintReceived(Payload):
    protocol_id: Key
    protocol_version: int
    category: Category
    channel: Literal["in_person", "written", "online", "anonymous", "referral", "import"]
    reporter_role: Literal["affected", "witness", "third_party"]
    complainants: list[PersonId] = []
    respondents: list[PersonId] = Field(min_length=1)
    allegations: list[Allegation] = Field(min_length=1)
    received_by: Key  # body key
    report_ref: Ref | None = None
    intake_report: PublicId | None = None  # public id of the intake report it came from


@register("complaint.acknowledged", "Receipt of the complaint was acknowledged to the reporter")
class ComplaintAcknowledged(Payload):
    note_ref: Ref | None = None


@register("jurisdiction.assessed", "Whether the organization's process applies was assessed")
class JurisdictionAssessed(Payload):
    accepted: bool
    reasons_ref: Ref | None = None


@register("case.opened", "The case was formally opened under the protocol")
class CaseOpened(Payload):
    reference: CaseNumber
    body: Key


@register("case.referred", "The case was handed to another body")
class CaseReferred(Payload):
    to_body: Key
    kind: Literal["referral", "review", "remand"] = "referral"
    reasons_ref: Ref | None = None


@register("reinvestigation.ordered", "Another body was called in to investigate again")
class ReinvestigationOrdered(Payload):
    to_body: Key
    without_prejudice: bool = True
    reasons_ref: Ref | None = None


@register("record.handed_over", "The earlier record was handed to the body that holds the case")
class RecordHandedOver(Payload):
    to_body: Key
    through_seq: int = Field(ge=0)
    withheld: list[int] = []  # sequence numbers kept back (needs a deviation)
    manifest_ref: Ref | None = None


@register("panel.named", "A panel was named to hear the case")
class PanelNamed(Payload):
    body: Key
    members: list[PersonId] = Field(min_length=1)
    chair: PersonId | None = None


@register("conflict.declared", "A conflict of interest was declared")
class ConflictDeclared(Payload):
    person: PersonId
    recused: bool = True
    reasons_ref: Ref | None = None


@register("investigator.appointed", "An investigator was appointed")
class InvestigatorAppointed(Payload):
    person: PersonId


@register("advocate.named", "A party named an advocate")
class AdvocateNamed(Payload):
    party: PartyRole
    advocate: PersonId
    replaces: PersonId | None = None


@register("measure.imposed", "An interim or supportive measure was put in place")
class MeasureImposed(Payload):
    measure_id: LocalId
    kind: Literal[
        "suspension", "no_contact", "removal_from_office", "emergency_removal", "support", "other"
    ]
    subject: PersonId
    until: datetime | None = None  # None: for the duration of the proceeding
    supportive: bool = False
    reasons_ref: Ref | None = None


@register("measure.challenged", "A party challenged an interim measure")
class MeasureChallenged(Payload):
    measure_id: LocalId
    grounds_ref: Ref | None = None


@register("measure.reviewed", "An interim measure was reviewed")
class MeasureReviewed(Payload):
    measure_id: LocalId
    outcome: Literal["continued", "varied", "lifted"]
    reasons_ref: Ref | None = None


@register("measure.lifted", "An interim measure ended")
class MeasureLifted(Payload):
    measure_id: LocalId
    reasons_ref: Ref | None = None


@register("informal.proposed", "Informal resolution (mediation or agreement) was proposed")
class InformalProposed(Payload):
    kind: Literal["mediation", "agreement"]
    terms_ref: Ref | None = None


@register("informal.consented", "A party gave written consent to informal resolution")
class InformalConsented(Payload):
    party: PartyRole
    consent_ref: Ref | None = None


@register("informal.consent_withdrawn", "A party withdrew consent to informal resolution")
class InformalConsentWithdrawn(Payload):
    party: PartyRole


@register("informal.agreed", "The informal resolution agreement was signed")
class InformalAgreed(Payload):
    agreement_ref: Ref | None = None


@register("charges.served", "Written notice of the allegations was given to the respondent")
class ChargesServed(Payload):
    to: PersonId
    allegations: list[LocalId] = Field(min_length=1)
    notice_ref: Ref | None = None


@register("statement.recorded", "A statement was recorded")
class StatementRecorded(Payload):
    item: Ref  # the encrypted statement
    author: PersonId
    role: Literal["complainant", "respondent", "witness"]
    # How parties refer to it ("W1", "C2"): a code, since parties and the transparency
    # record see it; who said what, and when, is in the sealed statement.
    label: LocalId
    supersedes: Ref | None = None


@register("statement.withdrawn", "A statement was withdrawn by its author")
class StatementWithdrawn(Payload):
    item: Ref


@register("evidence.recorded", "Evidence was added to the record")
class EvidenceRecorded(Payload):
    item: Ref
    label: LocalId  # "E1": a code; what the evidence shows is in the sealed item
    provided_by: PersonId | None = None


@register("report.prepared", "An investigation report was prepared")
class ReportPrepared(Payload):
    item: Ref
    label: LocalId  # "IR1": a code, as for statements


@register("material.disclosed", "Material was given to a party")
class MaterialDisclosed(Payload):
    to: PartyRole
    items: list[Ref] = Field(min_length=1)
    redacted: list[Ref] = []  # items given as a redacted copy


@register("response.received", "A party answered")
class ResponseReceived(Payload):
    party: PartyRole
    item: Ref | None = None
    to_items: list[Ref] = []


@register("participation.chosen", "A party chose how to take part")
class ParticipationChosen(Payload):
    party: PartyRole
    choice: Literal["take_part", "statement_only", "step_back", "withdraw"]


@register("parallel_proceeding.noted", "A proceeding outside the organization was noted")
class ParallelProceedingNoted(Payload):
    # Sealed: where else the matter went ("R's employer") and how it ended there say who
    # is involved and what happened; retention must be able to destroy them. Events
    # recorded before issue 24 hold ``forum`` and ``outcome`` in clear (LEGACY_TEXT).
    forum_ref: Ref
    outcome_ref: Ref | None = None
    details_ref: Ref | None = None


@register("hearing.scheduled", "A hearing was scheduled and notice given")
class HearingScheduled(Payload):
    hearing_id: LocalId
    at: datetime
    notice_to: list[PartyRole] = []


@register("hearing.held", "A hearing was held")
class HearingHeld(Payload):
    hearing_id: LocalId
    attendance: list[PersonId] = []
    record_ref: Ref | None = None


@register("hearing.adjourned", "A hearing was adjourned")
class HearingAdjourned(Payload):
    hearing_id: LocalId
    until: datetime | None = None
    reasons_ref: Ref | None = None


@register("hearing.waived", "A party waived the hearing")
class HearingWaived(Payload):
    party: PartyRole
    waiver_ref: Ref | None = None


@register("vote.opened", "A vote was opened")
class VoteOpened(Payload):
    vote_id: LocalId
    # Sealed: a motion is written by the panel and may say what is alleged and of whom.
    # Events recorded before issue 24 hold ``motion`` in clear (LEGACY_TEXT).
    motion_ref: Ref
    sanction: Key | None = None  # the sanction the motion would impose or recommend


@register("vote.cast", "A vote was cast")
class VoteCast(Payload):
    vote_id: LocalId
    choice: Literal["yes", "no", "abstain"]
    dissent_ref: Ref | None = None


@register("vote.closed", "A vote was closed and counted")
class VoteClosed(Payload):
    vote_id: LocalId


class Finding(Payload):
    allegation: LocalId
    finding: Literal["established", "not_established", "not_decided"]


@register("decision.issued", "A written decision was issued")
class DecisionIssued(Payload):
    decision_id: LocalId
    vote_id: LocalId | None = None
    outcome: Literal["sanction", "no_sanction", "dismissed"]
    recommendation: bool = False  # awaits ratification by another body
    findings: list[Finding] = []
    standard: Citation | None = None  # the protocol's standard of proof, as it words it
    sanctions: list[Key] = []
    rationale_ref: Ref | None = None


@register("decision.ratified", "A decision was ratified")
class DecisionRatified(Payload):
    decision_id: LocalId


@register("decision.overruled", "A decision was overruled")
class DecisionOverruled(Payload):
    decision_id: LocalId
    grounds: list[Citation] = Field(min_length=1)  # clauses or the protocol's ground keys
    grounds_ref: Ref | None = None


@register("sanction.applied", "A sanction took effect on the member's standing")
class SanctionApplied(Payload):
    decision_id: LocalId
    sanction: Key
    subject: PersonId


@register("appeal.filed", "An appeal was filed")
class AppealFiled(Payload):
    appeal_id: LocalId
    party: PartyRole
    decision_id: LocalId
    grounds: list[Citation] = Field(min_length=1)  # clauses or the protocol's ground keys
    grounds_ref: Ref | None = None


@register("appeal.decided", "An appeal was decided")
class AppealDecided(Payload):
    appeal_id: LocalId
    outcome: Literal["upheld", "dismissed", "remanded", "varied"]
    reasons_ref: Ref | None = None


@register("objection.filed", "A formal objection about the process was filed")
class ObjectionFiled(Payload):
    objection_id: LocalId
    to_body: Key
    clauses: list[Citation] = []
    grounds_ref: Ref | None = None


@register("objection.answered", "A formal objection was answered")
class ObjectionAnswered(Payload):
    objection_id: LocalId
    upheld: bool
    reasons_ref: Ref | None = None


@register("mistrial.declared", "The proceeding was declared a mistrial")
class MistrialDeclared(Payload):
    grounds: list[Citation] = Field(min_length=1)  # clauses or the protocol's ground keys
    reasons_ref: Ref | None = None


@register("proceeding.annulled", "The proceeding was annulled for a breach of the protocol")
class ProceedingAnnulled(Payload):
    grounds: list[Citation] = Field(min_length=1)  # clauses or the protocol's ground keys
    reasons_ref: Ref | None = None


@register("correspondence.received", "A letter or message about the case was received")
class CorrespondenceReceived(Payload):
    to_body: Key
    sender: PersonId | None = None
    item: Ref | None = None


@register("case.closed", "The case was closed")
class CaseClosed(Payload):
    disposition: Literal[
        "decided", "withdrawn", "not_proceeded", "informal_resolution", "dismissed", "reviewed"
    ]
    reasons_ref: Ref | None = None


@register("case.reopened", "The case was reopened for review")
class CaseReopened(Payload):
    to_body: Key
    purpose: Literal["corrective_review", "new_evidence", "appeal_out_of_time"]
    reasons_ref: Ref | None = None


@register("review.concluded", "A review of the case concluded")
class ReviewConcluded(Payload):
    findings_ref: Ref | None = None
    # Sealed: corrective actions are written in prose and may name people. Events
    # recorded before issue 24 hold ``corrective_actions`` in clear (LEGACY_TEXT).
    corrective_actions_ref: Ref | None = None


@register("case.linked", "The case was linked to a related case")
class CaseLinked(Payload):
    other: StreamId  # the other case's stream id; who may see it is decided by access rules
    relation: Literal["same_respondent", "same_events", "related"] = "related"


@register("access.granted", "Someone was given time-limited access to the case")
class AccessGranted(Payload):
    person: PersonId
    until: datetime
    # Sealed: why someone was let into a case says something about the case. Events
    # recorded before issue 24 hold ``reason`` in clear (LEGACY_TEXT).
    reason_ref: Ref


@register("access.revoked", "A time-limited access grant was ended early")
class AccessRevoked(Payload):
    person: PersonId


@register("record.exported", "The case file was exported for a body")
class RecordExported(Payload):
    for_body: Key
    through_seq: int
    format: Literal["pdf", "bundle", "interchange"]


@register("note.added", "A procedural note was added")
class NoteAdded(Payload):
    item: Ref | None = None
    # A code ("N1") by which the note is referred to; what the note says, its title
    # included, is in the sealed item. Events recorded before issue 24 may hold a label
    # in prose, in clear; they are read as they are.
    label: LocalId | None = None


@register("deviation.granted", "An empowered body allowed steps the protocol's rules refuse")
class DeviationGranted(Payload):
    rules: list[Key] = Field(min_length=1)
    justification: Published = Field(min_length=1)


# Why the engine refused a step (``docket.protocol.engine``'s reason codes).
RefusalCode = Literal[
    "protocol.not_provided",
    "protocol.not_empowered",
    "protocol.wrong_stage",
    "protocol.rule",
    "protocol.invalid",
    "protocol.part_refused",
    "protocol.no_grant",
]


class RefusalReason(Payload):
    code: RefusalCode
    clause: Citation | None = None
    rule: Key | None = None


# A step Docket refused: who tried which step, in which capacity (the event's own actor
# and capacity), and the protocol's reasons. Nothing of what they tried to record is
# kept: a refused statement's text never reaches the record.
@register("step.refused", "Docket refused a step that would have broken the protocol")
class StepRefused(Payload):
    action: Key
    reasons: list[RefusalReason] = Field(min_length=1)


@register("content.shredded", "The case's content was destroyed under the retention rules")
class ContentShredded(Payload):
    items: int = Field(ge=0)
    reason: Literal["retention period ended"]  # the one reason Docket writes


# Fields that events recorded before issue 24 (finding 6) held in clear, and the sealed
# field that replaces each: {event type: {old field: new ``*_ref`` field}}. Readers of
# the ledger accept both shapes; ``docket case import`` seals such text from an older
# interchange file into a content item (kind "note") before validating the event.
LEGACY_TEXT: dict[str, dict[str, str]] = {
    "parallel_proceeding.noted": {"forum": "forum_ref", "outcome": "outcome_ref"},
    "access.granted": {"reason": "reason_ref"},
    "vote.opened": {"motion": "motion_ref"},
    "review.concluded": {"corrective_actions": "corrective_actions_ref"},
}
