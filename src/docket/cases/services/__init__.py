"""Case services: one typed function per action, each one transaction that checks
access, asks the protocol engine, appends to the ledger and updates the case tables.
A refused action raises ``ProtocolRefusal`` with the engine's reasons and clauses."""

from .bodies import (
    case_refer,
    conflict_declare,
    investigator_appoint,
    panel_name,
    record_hand_over,
    reinvestigation_order,
)
from .decisions import (
    FindingInput,
    appeal_decide,
    appeal_file,
    decision_issue,
    decision_overrule,
    decision_ratify,
    mistrial_declare,
    objection_answer,
    objection_file,
    proceeding_annul,
    sanction_apply,
)
from .hearings import hearing_adjourn, hearing_hold, hearing_schedule, hearing_waive
from .intake import (
    AllegationInput,
    case_open,
    complaint_acknowledge,
    complaint_receive,
    jurisdiction_assess,
)
from .lifecycle import (
    access_grant,
    access_revoke,
    case_close,
    case_link,
    case_reopen,
    deviation_grant,
    review_conclude,
)
from .measures import (
    measure_challenge,
    measure_impose,
    measure_lift,
    measure_review,
    support_offer,
)
from .parties import (
    advocate_name,
    informal_agree,
    informal_consent,
    informal_consent_withdraw,
    informal_propose,
    participation_choose,
)
from .record import (
    charges_serve,
    correspondence_receive,
    evidence_record,
    identity_record,
    material_disclose,
    note_add,
    parallel_proceeding_note,
    report_prepare,
    response_receive,
    statement_correct,
    statement_record,
    statement_withdraw,
)
from .votes import vote_cast, vote_close, vote_open

__all__ = [
    "AllegationInput", "FindingInput", "access_grant", "access_revoke", "advocate_name",
    "appeal_decide", "appeal_file", "case_close", "case_link", "case_open", "case_refer",
    "case_reopen", "charges_serve", "complaint_acknowledge", "complaint_receive",
    "conflict_declare", "correspondence_receive", "decision_issue", "decision_overrule",
    "decision_ratify", "deviation_grant", "evidence_record", "hearing_adjourn", "hearing_hold",
    "hearing_schedule", "hearing_waive", "identity_record", "informal_agree", "informal_consent",
    "informal_consent_withdraw", "informal_propose", "investigator_appoint",
    "jurisdiction_assess", "material_disclose", "measure_challenge", "measure_impose",
    "measure_lift", "measure_review", "mistrial_declare", "note_add", "objection_answer",
    "objection_file", "panel_name", "parallel_proceeding_note", "participation_choose",
    "proceeding_annul", "record_hand_over", "reinvestigation_order", "report_prepare",
    "response_receive", "review_conclude", "sanction_apply", "statement_correct",
    "statement_record", "statement_withdraw", "support_offer", "vote_cast", "vote_close",
    "vote_open",
]  # fmt: skip
