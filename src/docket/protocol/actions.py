"""The fixed vocabulary of actions a protocol can govern.

Each action is one service and produces one event type. Protocols say who may take an
action, in which stages, and which rules guard it; they cannot invent new actions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str
    event: str
    title: str  # plain words, for refusals and the "what can I do" panel
    # The payload field naming the sanction the step proposes or imposes, if it names one.
    sanction_field: str = ""


_ACTIONS = [
    Action("receive_complaint", "complaint.received", "receive a complaint"),
    Action("acknowledge_complaint", "complaint.acknowledged", "acknowledge the complaint"),
    Action("assess_jurisdiction", "jurisdiction.assessed", "decide whether the process applies"),
    Action("open_case", "case.opened", "open the case"),
    Action("refer_case", "case.referred", "hand the case to another body"),
    Action(
        "order_reinvestigation", "reinvestigation.ordered", "call in a body to investigate again"
    ),
    Action("hand_over_record", "record.handed_over", "hand over the earlier record"),
    Action("name_panel", "panel.named", "name a panel"),
    Action("declare_conflict", "conflict.declared", "declare a conflict of interest"),
    Action("appoint_investigator", "investigator.appointed", "appoint an investigator"),
    Action("name_advocate", "advocate.named", "name an advocate"),
    Action("impose_measure", "measure.imposed", "put an interim measure in place"),
    Action("challenge_measure", "measure.challenged", "challenge an interim measure"),
    Action("review_measure", "measure.reviewed", "review an interim measure"),
    Action("lift_measure", "measure.lifted", "end an interim measure"),
    Action("propose_informal", "informal.proposed", "propose informal resolution"),
    Action("consent_informal", "informal.consented", "consent to informal resolution"),
    Action("withdraw_consent", "informal.consent_withdrawn", "withdraw consent"),
    Action("sign_agreement", "informal.agreed", "sign the informal resolution agreement"),
    Action("serve_charges", "charges.served", "give written notice of the allegations"),
    Action("record_statement", "statement.recorded", "record a statement"),
    Action("withdraw_statement", "statement.withdrawn", "withdraw a statement"),
    Action("record_evidence", "evidence.recorded", "add evidence"),
    Action("prepare_report", "report.prepared", "prepare the investigation report"),
    Action("disclose_material", "material.disclosed", "give material to a party"),
    Action("receive_response", "response.received", "record a party's answer"),
    Action("choose_participation", "participation.chosen", "record a choice about taking part"),
    Action("note_parallel_proceeding", "parallel_proceeding.noted", "note an outside proceeding"),
    Action("schedule_hearing", "hearing.scheduled", "schedule a hearing"),
    Action("hold_hearing", "hearing.held", "hold the hearing"),
    Action("adjourn_hearing", "hearing.adjourned", "adjourn the hearing"),
    Action("waive_hearing", "hearing.waived", "waive the hearing"),
    Action("open_vote", "vote.opened", "open a vote", sanction_field="sanction"),
    Action("cast_vote", "vote.cast", "cast a vote"),
    Action("close_vote", "vote.closed", "close the vote"),
    Action("issue_decision", "decision.issued", "issue the decision", sanction_field="sanctions"),
    Action("ratify_decision", "decision.ratified", "ratify the decision"),
    Action("overrule_decision", "decision.overruled", "overrule the decision"),
    Action("apply_sanction", "sanction.applied", "apply the sanction", sanction_field="sanction"),
    Action("file_appeal", "appeal.filed", "file an appeal"),
    Action("decide_appeal", "appeal.decided", "decide the appeal"),
    Action("file_objection", "objection.filed", "file a formal objection"),
    Action("answer_objection", "objection.answered", "answer a formal objection"),
    Action("declare_mistrial", "mistrial.declared", "declare a mistrial"),
    Action("annul_proceeding", "proceeding.annulled", "annul the proceeding"),
    Action("receive_correspondence", "correspondence.received", "record a letter about the case"),
    Action("close_case", "case.closed", "close the case"),
    Action("reopen_case", "case.reopened", "reopen the case for review"),
    Action("conclude_review", "review.concluded", "conclude the review"),
    Action("link_case", "case.linked", "link a related case"),
    Action("grant_access", "access.granted", "give someone time-limited access"),
    Action("revoke_access", "access.revoked", "end someone's access"),
    Action("export_record", "record.exported", "export the case file"),
    Action("add_note", "note.added", "add a procedural note"),
    Action(
        "grant_deviation",
        "deviation.granted",
        "allow, with a written justification, steps the protocol's rules would refuse",
    ),
]

ACTIONS: dict[str, Action] = {a.name: a for a in _ACTIONS}
ACTION_FOR_EVENT: dict[str, Action] = {a.event: a for a in _ACTIONS}
# The only steps a sanction_among condition can hold for, by the field that names it.
SANCTION_FIELDS: dict[str, str] = {a.name: a.sanction_field for a in _ACTIONS if a.sanction_field}
