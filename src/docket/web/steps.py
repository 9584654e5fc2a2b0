"""The remaining steps of the protocol as forms (measures reviewed and challenged,
statements withdrawn and corrected, informal resolution, sanctions, links between cases,
access, the case file, jurisdiction, investigators, reports, identities), and the
registry of every form the case pages offer.

Same pattern as :mod:`docket.web.actions`: each form parses what a person typed and
calls the one service for its step; choices come from the case as the viewer sees it.
Two steps are not actions of their own in the protocol: correcting a statement is
judged by the engine as recording one (``engine_action``), and recording a non-member's
identity is decided by the service alone (``standalone``).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from docket.access.selectors import visible_cases
from docket.cases import services as s
from docket.ledger.models import LedgerEvent
from docket.org.models import Person
from docket.reports.casefile import CaseFile, case_file_export

from .actions import CONFIRM as FIRST_CONFIRM
from .actions import FORMS as FIRST_FORMS
from .actions import (
    ActionForm,
    Common,
    _decisions,
    _people_choices,
    _person,
    _side_choices,
)
from .forms import PersonRefField, textarea

if TYPE_CHECKING:
    from .casepage import CasePage


def _active_measures(page: CasePage, *, mine: bool = False) -> list[tuple[str, str]]:
    """Measures in force; with ``mine``, only those on the viewer's side of the case."""
    state = page.state
    side_people: set[str] = set()
    if mine and page.side:
        side_people = state.complainants if page.side == "complainant" else state.respondents
    return [
        (m.id, f"{m.id}: {m.kind.replace('_', ' ')} ({page.name(m.subject)})")
        for m in state.measures.values()
        if m.active and (not mine or not page.side or m.subject in side_people)
    ]


def statement_choices(page: CasePage) -> list[tuple[str, str]]:
    """Statements on the record the viewer knows of and that are not withdrawn (labels
    only); a party sees their own side's statements here, never the other side's."""
    docs = [d for d in page.documents if d.kind.endswith("_statement") and not d.withdrawn]
    if page.side is not None or not page.full_record:
        me = page.person.public_id
        docs = [d for d in docs if d.author == me or page.own_side(d.author)]
    return [(d.item, f"{d.label} ({d.kind_title})") for d in docs]


def current_grants(page: CasePage) -> set[str]:
    """People holding a time-limited grant to the case that has not been ended."""
    held: set[str] = set()
    for e in page.ctx.events:
        if e.type == "access.granted":
            until = e.payload.get("until")
            if isinstance(until, str):
                until = datetime.fromisoformat(until)
            if until is None or until > page.at:
                held.add(str(e.payload["person"]))
            else:
                held.discard(str(e.payload["person"]))
        elif e.type == "access.revoked":
            held.discard(str(e.payload["person"]))
    return held


def pseudonymous_people(page: CasePage) -> list[Person]:
    """Non-members taking part in the case under a label (complainants, witnesses)."""
    state = page.state
    ids = state.complainants | state.respondents | state.witnesses
    return sorted(
        (p for pid, p in page.people.items() if pid in ids and p.pseudonymous),
        key=lambda p: p.display_name,
    )


# --- jurisdiction, investigators, reports ----------------------------------------------


class JurisdictionForm(ActionForm):
    action = "assess_jurisdiction"
    accepted = forms.ChoiceField(
        label=_("Does the process apply to this complaint?"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes, the process applies")), ("no", _("No, it does not apply"))],
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=textarea(4))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.jurisdiction_assess(
            by=by, case=case, accepted=d["accepted"] == "yes", reasons=d["reasons"], **options
        )


class InvestigatorForm(ActionForm):
    action = "appoint_investigator"
    person = PersonRefField(label=_("Investigator"))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.investigator_appoint(
            by=by, case=case, person=self.cleaned_data["person"], **options
        )


class ReportForm(ActionForm):
    action = "prepare_report"
    label = forms.CharField(
        label=_("Label"), max_length=40, help_text=_("How everyone will refer to it, e.g. IR1.")
    )
    text = forms.CharField(label=_("The report"), widget=textarea(12))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.report_prepare(by=by, case=case, label=d["label"], text=d["text"], **options)


# --- measures -------------------------------------------------------------------------


class ChallengeMeasureForm(ActionForm):
    action = "challenge_measure"
    measure_id = forms.ChoiceField(label=_("Measure"))
    grounds = forms.CharField(
        label=_("Why the measure should end or change"),
        widget=textarea(5),
        help_text=_("The body that imposed it must review it; your grounds go on the record."),
    )

    def setup(self, page: CasePage) -> None:
        self.fields["measure_id"].choices = _active_measures(page, mine=True)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.measure_challenge(
            by=by, case=case, measure_id=d["measure_id"], grounds=d["grounds"], **options
        )


class ReviewMeasureForm(ActionForm):
    action = "review_measure"
    measure_id = forms.ChoiceField(label=_("Measure"))
    outcome = forms.ChoiceField(
        label=_("Outcome of the review"),
        widget=forms.RadioSelect,
        choices=[
            ("continued", _("It continues as it is")),
            ("varied", _("It continues, changed")),
            ("lifted", _("It ends now")),
        ],
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=textarea(4))

    def setup(self, page: CasePage) -> None:
        self.fields["measure_id"].choices = _active_measures(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.measure_review(
            by=by,
            case=case,
            measure_id=d["measure_id"],
            outcome=d["outcome"],
            reasons=d["reasons"],
            **options,
        )


# --- statements --------------------------------------------------------------------------


class WithdrawStatementForm(ActionForm):
    action = "withdraw_statement"
    item = forms.ChoiceField(
        label=_("Statement"),
        help_text=_("It stays sealed on the record, marked as withdrawn."),
    )

    def setup(self, page: CasePage) -> None:
        self.fields["item"].choices = statement_choices(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.statement_withdraw(by=by, case=case, item=self.cleaned_data["item"], **options)


class CorrectStatementForm(ActionForm):
    action = "correct_statement"
    engine_action = "record_statement"
    title = _("correct a statement")
    item = forms.ChoiceField(
        label=_("Statement"),
        help_text=_("The earlier version stays on the record, sealed; this one replaces it."),
    )
    text = forms.CharField(label=_("The corrected statement, in full"), widget=textarea(10))

    def setup(self, page: CasePage) -> None:
        self.fields["item"].choices = statement_choices(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.statement_correct(by=by, case=case, item=d["item"], text=d["text"], **options)


# --- informal resolution ------------------------------------------------------------------


class ProposeInformalForm(ActionForm):
    action = "propose_informal"
    kind = forms.ChoiceField(
        label=_("Kind"),
        widget=forms.RadioSelect,
        choices=[("mediation", _("Mediation")), ("agreement", _("A written agreement"))],
    )
    terms = forms.CharField(
        label=_("What is proposed"),
        required=False,
        widget=textarea(5),
        help_text=_("Both parties must consent in writing; either may withdraw consent."),
    )

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.informal_propose(by=by, case=case, kind=d["kind"], terms=d["terms"], **options)


class ConsentInformalForm(ActionForm):
    action = "consent_informal"
    party = forms.ChoiceField(label=_("Consent of"))
    consent = forms.CharField(
        label=_("Your written consent"),
        widget=textarea(4),
        help_text=_("Taking part is voluntary. You may withdraw your consent until it is signed."),
    )

    def setup(self, page: CasePage) -> None:
        self.fields["party"].choices = _side_choices(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.informal_consent(
            by=by, case=case, party=d["party"], consent=d["consent"], **options
        )


class WithdrawConsentForm(ActionForm):
    action = "withdraw_consent"
    party = forms.ChoiceField(label=_("Consent of"))

    def setup(self, page: CasePage) -> None:
        self.fields["party"].choices = _side_choices(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.informal_consent_withdraw(
            by=by, case=case, party=self.cleaned_data["party"], **options
        )


class SignAgreementForm(ActionForm):
    action = "sign_agreement"
    agreement = forms.CharField(label=_("The agreement as signed"), widget=textarea(8))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.informal_agree(
            by=by, case=case, agreement=self.cleaned_data["agreement"], **options
        )


# --- sanctions, links, access, the case file ----------------------------------------------


class ApplySanctionForm(ActionForm):
    action = "apply_sanction"
    deviable = True
    decision_id = forms.ChoiceField(label=_("Decision"))
    sanction = forms.ChoiceField(label=_("Sanction"))
    subject = forms.ChoiceField(label=_("Applied to"))

    def setup(self, page: CasePage) -> None:
        self.fields["decision_id"].choices = _decisions(page)  # type: ignore[attr-defined]
        decided = {x for d in page.state.decisions.values() for x in d.sanctions}
        self.fields["sanction"].choices = [  # type: ignore[attr-defined]
            (k, v.title) for k, v in page.protocol.sanctions.items() if k in decided
        ]
        self.fields["subject"].choices = _people_choices(page, page.state.respondents)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.sanction_apply(
            by=by,
            case=case,
            decision_id=d["decision_id"],
            sanction=d["sanction"],
            subject=_person(d["subject"]),
            **options,
        )


LINK_LIMIT = 200


class LinkCaseForm(ActionForm):
    action = "link_case"
    other = forms.ChoiceField(
        label=_("Related case"), help_text=_("Only cases you may see yourself are listed.")
    )
    relation = forms.ChoiceField(
        label=_("How they are related"),
        choices=[
            ("related", _("Related")),
            ("same_respondent", _("The same respondent")),
            ("same_events", _("The same events")),
        ],
    )

    def setup(self, page: CasePage) -> None:
        others = (
            visible_cases(page.person, page.at)
            .exclude(pk=page.case.pk)
            .order_by("reference", "public_id")
            .only("public_id", "reference")[:LINK_LIMIT]
        )
        self.fields["other"].choices = [  # type: ignore[attr-defined]
            (c.public_id, c.reference or _("a case not yet opened")) for c in others
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.case_link(by=by, case=case, other=d["other"], relation=d["relation"], **options)


class RevokeAccessForm(ActionForm):
    action = "revoke_access"
    person = forms.ChoiceField(
        label=_("Whose access ends"),
        help_text=_("They are signed out at once and no longer see the case."),
    )

    def setup(self, page: CasePage) -> None:
        self.fields["person"].choices = _people_choices(page, current_grants(page))  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.access_revoke(
            by=by, case=case, person=_person(self.cleaned_data["person"]), **options
        )


class ExportForm(ActionForm):
    """The case file (PDF, the events as stored, a receipt), downloaded as one zip; the
    export is itself on the record. It decrypts statements: an authenticator is needed."""

    action = "export_record"
    reads_content = True
    for_body = forms.ChoiceField(label=_("For"))

    def setup(self, page: CasePage) -> None:
        self.fields["for_body"].choices = [  # type: ignore[attr-defined]
            (k, b.name) for k, b in page.protocol.bodies.items()
        ]
        self.fields["for_body"].initial = page.state.holding_body

    def perform(self, by: Person, case: str, options: Common) -> CaseFile:
        # The export records the head it reflects; it takes no expected head of its own.
        return case_file_export(by=by, case=case, for_body=self.cleaned_data["for_body"])

    def respond(self, result: Any) -> HttpResponse | None:
        assert isinstance(result, CaseFile)
        name = f"casefile-{self.page.case.public_id}-{result.export_event.seq}"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{name}/casefile.pdf", result.pdf)
            archive.writestr(f"{name}/bundle.json", json.dumps(result.bundle, indent=1))
            archive.writestr(f"{name}/receipt.json", json.dumps(result.receipt, indent=1))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- identities of non-members ----------------------------------------------------------


class IdentityForm(ActionForm):
    """Keep a non-member's real identity encrypted with the case; only the body holding
    the case (its panel, its investigator) may, and the service decides."""

    action = "record_identity"
    standalone = True
    title = _("record a non-member's identity")
    person = forms.ChoiceField(label=_("Who"))
    identity = forms.CharField(
        label=_("Their identity (name and contact)"),
        max_length=500,
        widget=textarea(3),
        help_text=_(
            "Kept encrypted with this case. Everyone else keeps seeing only their label; "
            "each reading of it is recorded."
        ),
    )

    def setup(self, page: CasePage) -> None:
        people = pseudonymous_people(page) if page.full_record else []
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (p.public_id, page.name(p.public_id)) for p in people
        ]

    def perform(self, by: Person, case: str, options: Common) -> str:
        d = self.cleaned_data
        return s.identity_record(
            by=by, case=case, person=_person(d["person"]), identity=d["identity"]
        )


MORE_FORMS: tuple[type[ActionForm], ...] = (
    JurisdictionForm, InvestigatorForm, ReportForm, ChallengeMeasureForm, ReviewMeasureForm,
    WithdrawStatementForm, CorrectStatementForm, ProposeInformalForm, ConsentInformalForm,
    WithdrawConsentForm, SignAgreementForm, ApplySanctionForm, LinkCaseForm, RevokeAccessForm,
    ExportForm, IdentityForm,
)  # fmt: skip

# Every form of the case pages, by step name.
FORMS: dict[str, type[ActionForm]] = {**FIRST_FORMS, **{f.action: f for f in MORE_FORMS}}

# Steps that cannot be undone: the page asks the person to confirm first.
CONFIRM = FIRST_CONFIRM | {"withdraw_statement", "sign_agreement", "apply_sanction"}

# Steps offered on the case page that are not actions of the protocol themselves.
EXTRA_STEPS = ("correct_statement", "record_identity")
