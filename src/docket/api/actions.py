"""One POST endpoint per case service: the whole lifecycle of a case.

Each endpoint checks the case is visible to the caller (``case_for``), turns the typed
request into the service's arguments and calls the service, which asks the protocol
engine and appends to the record in one transaction. A refusal is 409 with the
engine's reasons and clauses; ``expect_seq`` guards against acting on a stale view
(409 ``case.changed``); ``deviation`` lets an empowered body take a refused step with a
written justification.
"""

# No ``from __future__ import annotations`` here: the endpoints are made in a loop and
# django-ninja must see each one's request schema as a real class, not a string.

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router

from docket.access.selectors import case_for
from docket.cases import services as s
from docket.cases.models import Case
from docket.core.errors import InvalidInput, NotFound
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from . import action_schemas as a
from .auth import CASES_ACT, caller_of
from .errors import WRITE_ERRORS, answers
from .presenters import event_out
from .schemas import ActionOut, IdentityOut, PublicId

router = Router(tags=["actions"], auth=CASES_ACT)

# (service, request shape). The path is /cases/{case_id}/actions/<service-name>.
SERVICES: list[tuple[Callable[..., LedgerEvent], type[a.ActionIn]]] = [
    (s.complaint_acknowledge, a.ComplaintAcknowledgeIn),
    (s.jurisdiction_assess, a.JurisdictionAssessIn),
    (s.case_open, a.CaseOpenIn),
    (s.case_refer, a.CaseReferIn),
    (s.reinvestigation_order, a.ReinvestigationOrderIn),
    (s.record_hand_over, a.RecordHandOverIn),
    (s.panel_name, a.PanelNameIn),
    (s.conflict_declare, a.ConflictDeclareIn),
    (s.investigator_appoint, a.InvestigatorAppointIn),
    (s.advocate_name, a.AdvocateNameIn),
    (s.participation_choose, a.ParticipationChooseIn),
    (s.measure_impose, a.MeasureImposeIn),
    (s.measure_challenge, a.MeasureChallengeIn),
    (s.measure_review, a.MeasureReviewIn),
    (s.measure_lift, a.MeasureLiftIn),
    (s.support_offer, a.SupportOfferIn),
    (s.informal_propose, a.InformalProposeIn),
    (s.informal_consent, a.InformalConsentIn),
    (s.informal_consent_withdraw, a.InformalConsentWithdrawIn),
    (s.informal_agree, a.InformalAgreeIn),
    (s.charges_serve, a.ChargesServeIn),
    (s.statement_record, a.StatementRecordIn),
    (s.statement_correct, a.StatementCorrectIn),
    (s.statement_withdraw, a.StatementWithdrawIn),
    (s.evidence_record, a.EvidenceRecordIn),
    (s.report_prepare, a.ReportPrepareIn),
    (s.material_disclose, a.MaterialDiscloseIn),
    (s.response_receive, a.ResponseReceiveIn),
    (s.parallel_proceeding_note, a.ParallelProceedingNoteIn),
    (s.note_add, a.NoteAddIn),
    (s.correspondence_receive, a.CorrespondenceReceiveIn),
    (s.hearing_schedule, a.HearingScheduleIn),
    (s.hearing_hold, a.HearingHoldIn),
    (s.hearing_adjourn, a.HearingAdjournIn),
    (s.hearing_waive, a.HearingWaiveIn),
    (s.vote_open, a.VoteOpenIn),
    (s.vote_cast, a.VoteCastIn),
    (s.vote_close, a.VoteCloseIn),
    (s.decision_issue, a.DecisionIssueIn),
    (s.decision_ratify, a.DecisionRatifyIn),
    (s.decision_overrule, a.DecisionOverruleIn),
    (s.sanction_apply, a.SanctionApplyIn),
    (s.appeal_file, a.AppealFileIn),
    (s.appeal_decide, a.AppealDecideIn),
    (s.objection_file, a.ObjectionFileIn),
    (s.objection_answer, a.ObjectionAnswerIn),
    (s.mistrial_declare, a.MistrialDeclareIn),
    (s.proceeding_annul, a.ProceedingAnnulIn),
    (s.case_close, a.CaseCloseIn),
    (s.case_reopen, a.CaseReopenIn),
    (s.review_conclude, a.ReviewConcludeIn),
    (s.case_link, a.CaseLinkIn),
    (s.access_grant, a.AccessGrantIn),
    (s.access_revoke, a.AccessRevokeIn),
    (s.deviation_grant, a.DeviationGrantIn),
]


def person_by_id(public: str, field: str) -> Person:
    found = Person.objects.filter(public_id=public).first()
    if found is None:
        raise InvalidInput("No such person.", code="person.unknown", data={"field": field})
    return found


def acting_person(request: HttpRequest, case_id: str) -> Person:
    """The caller's person, once the case is known to be visible to them (else 404)."""
    standing = case_for(caller_of(request).person, case_id)
    return standing.person


def action_out(case_id: str, event: LedgerEvent) -> dict[str, Any]:
    case = Case.objects.only("public_id", "head_seq", "stage").get(public_id=case_id)
    return {
        "case": case.public_id,
        "event": event_out(event),
        "head_seq": case.head_seq,
        "stage": case.stage,
    }


def _summary(service: Callable[..., Any]) -> str:
    doc = (service.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(doc.split()) or service.__name__.replace("_", " ").capitalize()


def _register(service: Callable[..., LedgerEvent], shape: type[a.ActionIn]) -> None:
    name = service.__name__

    def endpoint(request: HttpRequest, case_id: PublicId, payload: shape) -> dict[str, Any]:  # type: ignore[valid-type]
        by = acting_person(request, case_id)
        kwargs = payload.to_kwargs(person_by_id)  # type: ignore[attr-defined]
        if name == "case_link":
            _require_visible_other(by, kwargs["other"])
        return action_out(case_id, service(by=by, case=case_id, **kwargs))

    endpoint.__name__ = name
    router.post(
        f"/{{case_id}}/actions/{name.replace('_', '-')}",
        response=answers(ActionOut, WRITE_ERRORS),
        operation_id=name,
        summary=name.replace("_", " "),
        description=_summary(service),
    )(endpoint)


def _require_visible_other(by: Person, other: str) -> None:
    # Linking names another case: it must be one the caller may see, and an invisible
    # case gets the same answer as a missing one.
    try:
        case_for(by, other)
    except NotFound:
        raise InvalidInput("No such other case.", data={"field": "other"}) from None


for _service, _shape in SERVICES:
    _register(_service, _shape)


@router.post(
    "/{case_id}/actions/identity-record",
    response=answers(IdentityOut, WRITE_ERRORS),
    operation_id="identity_record",
    summary="identity record",
    description=_summary(s.identity_record),
)
def identity_record(
    request: HttpRequest, case_id: PublicId, payload: a.IdentityRecordIn
) -> dict[str, Any]:
    by = acting_person(request, case_id)
    item = s.identity_record(
        by=by,
        case=case_id,
        person=person_by_id(payload.person, "person"),
        identity=payload.identity,
    )
    return {"case": case_id, "item": item}


intake = Router(tags=["actions"], auth=CASES_ACT)


@intake.post(
    "",
    response=answers(ActionOut, WRITE_ERRORS),
    operation_id="complaint_receive",
    summary="complaint receive",
    description=_summary(s.complaint_receive),
)
def complaint_receive(request: HttpRequest, payload: a.ComplaintReceiveIn) -> dict[str, Any]:
    caller = caller_of(request)
    if caller.person is None:
        raise InvalidInput(
            "This account is not linked to a person in the organization.",
            code="person.unlinked",
        )
    case = s.complaint_receive(by=caller.person, **payload.to_kwargs(person_by_id))
    first = LedgerEvent.objects.filter(stream=case.stream).order_by("seq").first()
    assert first is not None
    return action_out(case.public_id, first)
