"""One form per step of the protocol. Each form parses what a person typed and calls the
one service for that step; the service checks access and asks the engine. Choices come
from the case as the viewer sees it (the page), never from the request.

``FORMS`` maps the engine's action name to its form. ``CONFIRM`` lists the steps that
cannot be undone: the page asks for confirmation before taking them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from docket.cases import services as s
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from .forms import (
    PARTY_CHOICES,
    ListField,
    LocalDateField,
    LocalDateTimeField,
    PersonRefField,
    textarea,
)

if TYPE_CHECKING:
    from .casepage import CasePage

Common = dict[str, Any]


class ActionForm(forms.Form):
    """Base: every action form carries the head of the record the page was rendered at,
    and (for empowered bodies) an optional deviation with its justification."""

    action = ""
    deviable = False  # the service accepts a deviation
    # The protocol action the engine judges this step as (default: ``action``).
    engine_action = ""
    # Not an action of the protocol: the service alone decides (no engine verdict shown).
    standalone = False
    # The step's title when it is not the engine action's own title.
    title: Any = None
    # The step decrypts content: an enrolled authenticator is needed first.
    reads_content = False
    expect_seq = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    deviation_body = forms.ChoiceField(
        label=_("Deviate from the protocol as"), required=False, choices=[("", "—")]
    )
    deviation_justification = forms.CharField(
        label=_("Justification for the deviation"),
        required=False,
        widget=textarea(4),
        help_text=_(
            "Only if the protocol refuses this step and your body is empowered to take it "
            "anyway. The deviation and its justification stay visible in every report."
        ),
    )

    def __init__(self, *args: Any, page: CasePage, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["expect_seq"].initial = page.head
        mine = [b for b in page.my_bodies() if self.deviable]
        if mine:
            self.fields["deviation_body"].choices = [("", "—")] + [  # type: ignore[attr-defined]
                (b, page.body_name(b)) for b in mine
            ]
        else:
            del self.fields["deviation_body"]
            del self.fields["deviation_justification"]
        self.setup(page)

    def setup(self, page: CasePage) -> None:
        """Fill choices from the case."""

    @property
    def action_fields(self) -> list[forms.BoundField]:
        skip = {"expect_seq", "deviation_body", "deviation_justification"}
        return [self[name] for name in self.fields if name not in skip]

    @property
    def deviation_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("deviation_body", "deviation_justification") if n in self.fields]

    def common(self) -> Common:
        data = self.cleaned_data
        options: Common = {"expect_seq": data["expect_seq"]}
        body = data.get("deviation_body")
        if self.deviable:
            options["deviation"] = (
                {"body": body, "justification": data.get("deviation_justification", "")}
                if body
                else None
            )
        return options

    @classmethod
    def judged_as(cls) -> str | None:
        """The protocol action the engine judges, or None for a standalone step."""
        return None if cls.standalone else (cls.engine_action or cls.action)

    def perform(self, by: Person, case: str, options: Common) -> Any:
        raise NotImplementedError

    def respond(self, result: Any) -> HttpResponse | None:
        """A response of its own (a download), instead of going back to the case."""
        return None


def _next_id(prefix: str, existing: Any) -> str:
    n = len(list(existing)) + 1
    while f"{prefix}{n}" in set(existing):
        n += 1
    return f"{prefix}{n}"


def _people_choices(page: CasePage, ids: Any) -> list[tuple[str, str]]:
    return [(pid, page.name(pid)) for pid in sorted(ids, key=page.name)]


def _person(pid: str) -> Person:
    return Person.objects.get(public_id=pid)


def _side_choices(page: CasePage) -> list[tuple[str, Any]]:
    if page.side:
        return [c for c in PARTY_CHOICES if c[0] == page.side]
    return list(PARTY_CHOICES)


# --- intake and bodies ---------------------------------------------------------------


class AcknowledgeForm(ActionForm):
    action = "acknowledge_complaint"
    note = forms.CharField(label=_("Note to the reporter"), required=False, widget=textarea(3))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.complaint_acknowledge(by=by, case=case, note=self.cleaned_data["note"], **options)


class ReferForm(ActionForm):
    action = "refer_case"
    deviable = True
    to_body = forms.ChoiceField(label=_("Hand the case to"))
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=textarea(3))

    def setup(self, page: CasePage) -> None:
        self.fields["to_body"].choices = [  # type: ignore[attr-defined]
            (k, b.name) for k, b in page.protocol.bodies.items() if k != page.state.holding_body
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.case_refer(by=by, case=case, to_body=d["to_body"], reasons=d["reasons"], **options)


class OpenCaseForm(ActionForm):
    action = "open_case"
    deviable = True
    body = forms.ChoiceField(label=_("Opened by"))
    reference = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to number it automatically."),
    )

    def setup(self, page: CasePage) -> None:
        self.fields["body"].choices = [(b, page.body_name(b)) for b in page.my_bodies()]  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.case_open(by=by, case=case, body=d["body"], reference=d["reference"], **options)


class PanelForm(ActionForm):
    action = "name_panel"
    deviable = True
    members = forms.MultipleChoiceField(
        label=_("Members of the panel"), widget=forms.CheckboxSelectMultiple
    )
    chair = forms.ChoiceField(label=_("Chair"), required=False)

    def setup(self, page: CasePage) -> None:
        from docket.org.selectors import body_members

        from .casepage import org_body

        body = org_body(page, page.state.holding_body or "")
        people = list(body_members(body, page.at)) if body else []
        choices = [(p.public_id, p.display_name) for p in people]
        self.fields["members"].choices = choices  # type: ignore[attr-defined]
        self.fields["chair"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chair = data.get("chair")
        if chair and chair not in data.get("members", []):
            self.add_error("chair", _("The chair must be one of the members."))
        return data

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        members = list(Person.objects.filter(public_id__in=d["members"]))
        return s.panel_name(
            by=by,
            case=case,
            body=self.page.state.holding_body or "",
            members=members,
            chair=_person(d["chair"]) if d["chair"] else None,
            **options,
        )


class ConflictForm(ActionForm):
    action = "declare_conflict"
    person = forms.ChoiceField(label=_("Who has the conflict"))
    reasons = forms.CharField(label=_("Reasons"), widget=textarea(3))

    def setup(self, page: CasePage) -> None:
        current = page.state.proceeding
        ids = set(current.sitting()) if current else set()
        ids.add(page.person.public_id)
        self.fields["person"].choices = _people_choices(page, ids)  # type: ignore[attr-defined]
        self.fields["person"].initial = page.person.public_id

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.conflict_declare(
            by=by, case=case, person=_person(d["person"]), reasons=d["reasons"], **options
        )


class ReinvestigationForm(ActionForm):
    action = "order_reinvestigation"
    deviable = True
    to_body = forms.ChoiceField(label=_("Body called in"))
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=textarea(3))
    without_prejudice = forms.BooleanField(
        label=_("Without prejudice"), required=False, initial=True
    )
    hand_over = forms.BooleanField(
        label=_("Hand over the earlier record now"),
        required=False,
        initial=True,
        help_text=_("The protocol may require the whole record before the body works."),
    )

    def setup(self, page: CasePage) -> None:
        self.fields["to_body"].choices = [  # type: ignore[attr-defined]
            (k, b.name) for k, b in page.protocol.bodies.items()
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.reinvestigation_order(
            by=by,
            case=case,
            to_body=d["to_body"],
            reasons=d["reasons"],
            without_prejudice=d["without_prejudice"],
            hand_over=d["hand_over"],
            **options,
        )


class HandOverForm(ActionForm):
    action = "hand_over_record"
    to_body = forms.ChoiceField(label=_("Hand the whole record to"))

    def setup(self, page: CasePage) -> None:
        holding = page.state.holding_body
        self.fields["to_body"].choices = [  # type: ignore[attr-defined]
            (k, b.name) for k, b in page.protocol.bodies.items()
        ]
        self.fields["to_body"].initial = holding

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.record_hand_over(by=by, case=case, to_body=self.cleaned_data["to_body"], **options)


# --- parties -------------------------------------------------------------------------


class AdvocateForm(ActionForm):
    action = "name_advocate"
    party = forms.ChoiceField(label=_("Advocate for"))
    advocate = PersonRefField(label=_("Advocate"), for_part=True)

    def setup(self, page: CasePage) -> None:
        self.fields["party"].choices = _side_choices(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.advocate_name(
            by=by, case=case, party=d["party"], advocate=d["advocate"], **options
        )


class ParticipationForm(ActionForm):
    action = "choose_participation"
    party = forms.ChoiceField(label=_("For"))
    choice = forms.ChoiceField(
        label=_("How to take part"),
        widget=forms.RadioSelect,
        choices=[
            ("take_part", _("Take part in the process (interviews, the hearing)")),
            ("statement_only", _("Give a written statement only, and take no further part")),
            ("step_back", _("Step back for now")),
            ("withdraw", _("Withdraw from the process")),
        ],
    )

    def setup(self, page: CasePage) -> None:
        self.fields["party"].choices = _side_choices(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.participation_choose(
            by=by, case=case, party=d["party"], choice=d["choice"], **options
        )


class WaiveHearingForm(ActionForm):
    action = "waive_hearing"
    party = forms.ChoiceField(label=_("For"))
    waiver = forms.CharField(label=_("Written waiver"), required=False, widget=textarea(3))

    def setup(self, page: CasePage) -> None:
        self.fields["party"].choices = _side_choices(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.hearing_waive(by=by, case=case, party=d["party"], waiver=d["waiver"], **options)


# --- the record ------------------------------------------------------------------------


class ChargesForm(ActionForm):
    action = "serve_charges"
    respondent = forms.ChoiceField(label=_("To"))
    allegations = forms.MultipleChoiceField(
        label=_("Allegations"), widget=forms.CheckboxSelectMultiple
    )
    notice = forms.CharField(label=_("Written notice"), widget=textarea(6))

    def setup(self, page: CasePage) -> None:
        self.fields["respondent"].choices = _people_choices(page, page.state.respondents)  # type: ignore[attr-defined]
        self.fields["allegations"].choices = [  # type: ignore[attr-defined]
            (a["id"], f"{a['id']}: {a['rule']}") for a in page.allegations
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.charges_serve(
            by=by,
            case=case,
            respondent=_person(d["respondent"]),
            allegations=d["allegations"],
            notice=d["notice"],
            **options,
        )


class StatementForm(ActionForm):
    action = "record_statement"
    deviable = True
    role = forms.ChoiceField(
        label=_("Statement of"),
        choices=[
            ("witness", _("A witness")),
            ("complainant", _("The complainant")),
            ("respondent", _("The respondent")),
        ],
    )
    author = PersonRefField(
        label=_("Witness"),
        required=False,
        for_part=True,
        help_text=_("For a witness: their member number or Docket person id."),
    )
    label = forms.CharField(
        label=_("Label"), max_length=40, help_text=_("How everyone will refer to it, e.g. W4.")
    )
    text = forms.CharField(label=_("Statement"), widget=textarea(10))

    def setup(self, page: CasePage) -> None:
        if page.side:
            self.fields["role"].choices = [(page.side, _("Your side's statement"))]  # type: ignore[attr-defined]
            del self.fields["author"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        typed = str(self.data.get(self.add_prefix("author"), "") or "").strip()
        if role == "witness" and "author" in self.fields and not typed:
            self.add_error("author", _("Say who the witness is."))
        return data

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        role = d["role"]
        author: Person | None
        if role == "witness":
            # The engine decides whether this person may be a witness here; the form
            # only names them.
            author = d.get("author")
        else:
            group = (
                self.page.state.complainants
                if role == "complainant"
                else self.page.state.respondents
            )
            # A party's own statement is theirs; anyone else records it for the first
            # party of that side (the engine checks the part).
            mine = by.public_id if by.public_id in group else None
            author = _person(mine or sorted(group)[0]) if group else None
        return s.statement_record(
            by=by, case=case, author=author, role=role, label=d["label"], text=d["text"], **options
        )


class EvidenceForm(ActionForm):
    action = "record_evidence"
    deviable = True
    label = forms.CharField(label=_("Label"), max_length=40)
    file = forms.FileField(label=_("File"))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        upload = d["file"]
        return s.evidence_record(
            by=by,
            case=case,
            label=d["label"],
            data=upload.read(),
            filename=upload.name,
            **options,
        )


class DiscloseForm(ActionForm):
    action = "disclose_material"
    deviable = True
    to = forms.ChoiceField(label=_("Give to"), choices=PARTY_CHOICES)
    items = forms.MultipleChoiceField(label=_("Material"), widget=forms.CheckboxSelectMultiple)

    def setup(self, page: CasePage) -> None:
        self.fields["items"].choices = [  # type: ignore[attr-defined]
            (d.item, f"{d.label} ({d.kind_title})") for d in page.documents if not d.withdrawn
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.material_disclose(by=by, case=case, to=d["to"], items=d["items"], **options)


class ResponseForm(ActionForm):
    action = "receive_response"
    party = forms.ChoiceField(label=_("Answer of"))
    to_items = forms.MultipleChoiceField(
        label=_("In answer to"), required=False, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(label=_("The answer"), widget=textarea(8))

    def setup(self, page: CasePage) -> None:
        self.fields["party"].choices = _side_choices(page)  # type: ignore[attr-defined]
        sides = [page.side] if page.side else ["complainant", "respondent"]
        self.fields["to_items"].choices = [  # type: ignore[attr-defined]
            (d.item, d.label) for d in page.documents if any(x in d.disclosed for x in sides)
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.response_receive(
            by=by, case=case, party=d["party"], text=d["text"], to_items=d["to_items"], **options
        )


class ParallelForm(ActionForm):
    # All three are sealed with the case's content (issue 24, finding 6).
    action = "note_parallel_proceeding"
    forum = forms.CharField(label=_("Where"), max_length=2000)
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000)
    details = forms.CharField(label=_("Details"), required=False, widget=textarea(3))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.parallel_proceeding_note(
            by=by,
            case=case,
            forum=d["forum"],
            outcome=d["outcome"],
            details=d["details"],
            **options,
        )


class NoteForm(ActionForm):
    action = "add_note"
    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=40,
        help_text=_("A short code to refer to it, e.g. N1; write the rest in the note."),
    )
    text = forms.CharField(label=_("Note"), widget=textarea(5))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.note_add(by=by, case=case, text=d["text"], label=d["label"], **options)


class CorrespondenceForm(ActionForm):
    action = "receive_correspondence"
    to_body = forms.ChoiceField(label=_("Addressed to"))
    sender = PersonRefField(label=_("From"), required=False)
    text = forms.CharField(label=_("The letter"), widget=textarea(6))

    def setup(self, page: CasePage) -> None:
        self.fields["to_body"].choices = [(b, page.body_name(b)) for b in page.my_bodies()]  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.correspondence_receive(
            by=by, case=case, to_body=d["to_body"], text=d["text"], sender=d["sender"], **options
        )


# --- measures --------------------------------------------------------------------------


class MeasureForm(ActionForm):
    action = "impose_measure"
    deviable = True
    kind = forms.ChoiceField(
        label=_("Measure"),
        choices=[
            ("suspension", _("Suspension of membership")),
            ("no_contact", _("No contact")),
            ("removal_from_office", _("Removal from office")),
            ("emergency_removal", _("Emergency removal")),
            ("support", _("Support")),
            ("other", _("Other")),
        ],
    )
    subject = forms.ChoiceField(label=_("For"))
    until = LocalDateField(
        label=_("Until"),
        required=False,
        help_text=_("Leave empty for the duration of the proceeding."),
    )
    reasons = forms.CharField(label=_("Reasons"), widget=textarea(3))

    def setup(self, page: CasePage) -> None:
        self.fields["subject"].choices = _people_choices(page, page.state.parties())  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.measure_impose(
            by=by,
            case=case,
            measure_id=_next_id("M", self.page.state.measures),
            kind=d["kind"],
            subject=_person(d["subject"]),
            reasons=d["reasons"],
            until=d["until"],
            **options,
        )


class LiftMeasureForm(ActionForm):
    action = "lift_measure"
    measure_id = forms.ChoiceField(label=_("Measure"))
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=textarea(3))

    def setup(self, page: CasePage) -> None:
        self.fields["measure_id"].choices = [  # type: ignore[attr-defined]
            (m.id, f"{m.id}: {m.kind.replace('_', ' ')}")
            for m in page.state.measures.values()
            if m.active
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.measure_lift(
            by=by, case=case, measure_id=d["measure_id"], reasons=d["reasons"], **options
        )


# --- hearings ------------------------------------------------------------------------


class ScheduleHearingForm(ActionForm):
    action = "schedule_hearing"
    deviable = True
    at = LocalDateTimeField(label=_("Date and time"))
    notice_to = forms.MultipleChoiceField(
        label=_("Notice to"),
        choices=PARTY_CHOICES,
        initial=["complainant", "respondent"],
        widget=forms.CheckboxSelectMultiple,
    )

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        hearings = [
            e.payload["hearing_id"] for e in self.page.ctx.events if e.type == "hearing.scheduled"
        ]
        return s.hearing_schedule(
            by=by,
            case=case,
            hearing_id=_next_id("H", hearings),
            at=d["at"],
            notice_to=d["notice_to"],
            **options,
        )


def _hearing_ids(page: CasePage) -> list[tuple[str, str]]:
    return [
        (str(e.payload["hearing_id"]), str(e.payload["hearing_id"]))
        for e in page.ctx.events
        if e.type == "hearing.scheduled"
    ]


class HoldHearingForm(ActionForm):
    action = "hold_hearing"
    deviable = True
    hearing_id = forms.ChoiceField(label=_("Hearing"))
    attendance = forms.MultipleChoiceField(
        label=_("Present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    record = forms.CharField(label=_("Record of the hearing"), required=False, widget=textarea(8))

    def setup(self, page: CasePage) -> None:
        self.fields["hearing_id"].choices = _hearing_ids(page)  # type: ignore[attr-defined]
        state = page.state
        ids = set(state.proceeding.sitting() if state.proceeding else ())
        ids |= state.parties() | state.advocates["complainant"] | state.advocates["respondent"]
        self.fields["attendance"].choices = _people_choices(page, ids)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.hearing_hold(
            by=by,
            case=case,
            hearing_id=d["hearing_id"],
            attendance=list(Person.objects.filter(public_id__in=d["attendance"])),
            record=d["record"],
            **options,
        )


class AdjournHearingForm(ActionForm):
    action = "adjourn_hearing"
    hearing_id = forms.ChoiceField(label=_("Hearing"))
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=textarea(3))

    def setup(self, page: CasePage) -> None:
        self.fields["hearing_id"].choices = _hearing_ids(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.hearing_adjourn(
            by=by, case=case, hearing_id=d["hearing_id"], reasons=d["reasons"], **options
        )


# --- votes and decisions -----------------------------------------------------------------


class OpenVoteForm(ActionForm):
    action = "open_vote"
    deviable = True
    motion = forms.CharField(label=_("Motion"), max_length=2000)
    sanction = forms.ChoiceField(label=_("Sanction the motion would recommend"), required=False)

    def setup(self, page: CasePage) -> None:
        self.fields["sanction"].choices = [("", _("None"))] + [  # type: ignore[attr-defined]
            (k, v.title) for k, v in page.protocol.sanctions.items()
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.vote_open(
            by=by,
            case=case,
            vote_id=_next_id("V", self.page.state.votes),
            motion=d["motion"],
            sanction=d["sanction"] or None,
            **options,
        )


def _open_votes(page: CasePage) -> list[tuple[str, str]]:
    return [(v.id, v.title) for v in page.state.votes.values() if not v.closed]


class CastVoteForm(ActionForm):
    action = "cast_vote"
    vote_id = forms.ChoiceField(label=_("Vote"))
    choice = forms.ChoiceField(
        label=_("Your vote"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Yes")), ("no", _("No")), ("abstain", _("Abstain"))],
    )
    dissent = forms.CharField(
        label=_("Reasons or dissent (kept sealed)"), required=False, widget=textarea(3)
    )

    def setup(self, page: CasePage) -> None:
        self.fields["vote_id"].choices = _open_votes(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.vote_cast(
            by=by,
            case=case,
            vote_id=d["vote_id"],
            choice=d["choice"],
            dissent=d["dissent"],
            **options,
        )


class CloseVoteForm(ActionForm):
    action = "close_vote"
    vote_id = forms.ChoiceField(label=_("Vote"))

    def setup(self, page: CasePage) -> None:
        self.fields["vote_id"].choices = _open_votes(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.vote_close(by=by, case=case, vote_id=self.cleaned_data["vote_id"], **options)


FINDINGS = [
    ("established", _("Established")),
    ("not_established", _("Not established")),
    ("not_decided", _("Not decided")),
]


class DecisionForm(ActionForm):
    action = "issue_decision"
    deviable = True
    vote_id = forms.ChoiceField(label=_("On the vote"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("no_sanction", _("No sanction")),
            ("sanction", _("Sanction")),
            ("dismissed", _("Dismissed")),
        ],
    )
    sanctions = forms.MultipleChoiceField(
        label=_("Sanctions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    recommendation = forms.BooleanField(
        label=_("A recommendation that another body must ratify"), required=False
    )
    rationale = forms.CharField(label=_("Reasons for the decision"), widget=textarea(8))

    def setup(self, page: CasePage) -> None:
        self.fields["vote_id"].choices = [("", _("None"))] + [  # type: ignore[attr-defined]
            (v.id, v.title) for v in page.state.votes.values() if v.closed
        ]
        self.fields["sanctions"].choices = [  # type: ignore[attr-defined]
            (k, v.title) for k, v in page.protocol.sanctions.items()
        ]
        for allegation in page.allegations:
            self.fields[f"finding_{allegation['id']}"] = forms.ChoiceField(
                label=_("Finding on %(id)s (%(rule)s)") % allegation,
                choices=FINDINGS,
                widget=forms.RadioSelect,
            )

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        findings = [s.FindingInput(a["id"], d[f"finding_{a['id']}"]) for a in self.page.allegations]
        return s.decision_issue(
            by=by,
            case=case,
            decision_id=_next_id("D", self.page.state.decisions),
            vote_id=d["vote_id"] or None,
            outcome=d["outcome"],
            rationale=d["rationale"],
            findings=findings,
            sanctions=d["sanctions"],
            recommendation=d["recommendation"],
            **options,
        )


def _decisions(page: CasePage) -> list[tuple[str, str]]:
    return [(d.id, f"{d.id}: {d.outcome.replace('_', ' ')}") for d in page.state.decisions.values()]


class RatifyForm(ActionForm):
    action = "ratify_decision"
    decision_id = forms.ChoiceField(label=_("Decision"))

    def setup(self, page: CasePage) -> None:
        self.fields["decision_id"].choices = _decisions(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        return s.decision_ratify(
            by=by, case=case, decision_id=self.cleaned_data["decision_id"], **options
        )


class OverruleForm(ActionForm):
    action = "overrule_decision"
    decision_id = forms.ChoiceField(label=_("Decision"))
    grounds = ListField(label=_("Clauses broken"), help_text=_("For example: s.4.2, s.4.3"))
    explanation = forms.CharField(label=_("Explanation"), widget=textarea(5))

    def setup(self, page: CasePage) -> None:
        self.fields["decision_id"].choices = _decisions(page)  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.decision_overrule(
            by=by,
            case=case,
            decision_id=d["decision_id"],
            grounds=d["grounds"],
            explanation=d["explanation"],
            **options,
        )


class AppealForm(ActionForm):
    action = "file_appeal"
    deviable = True
    party = forms.ChoiceField(label=_("Appeal of"))
    decision_id = forms.ChoiceField(label=_("Decision"))
    grounds = forms.MultipleChoiceField(label=_("Grounds"), widget=forms.CheckboxSelectMultiple)
    explanation = forms.CharField(label=_("Explanation"), widget=textarea(6))

    def setup(self, page: CasePage) -> None:
        self.fields["party"].choices = _side_choices(page)  # type: ignore[attr-defined]
        self.fields["decision_id"].choices = _decisions(page)  # type: ignore[attr-defined]
        self.fields["grounds"].choices = [  # type: ignore[attr-defined]
            (g, g.replace("_", " ")) for g in page.protocol.appeal_grounds
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.appeal_file(
            by=by,
            case=case,
            appeal_id=_next_id("AP", self.page.state.appeals),
            party=d["party"],
            decision_id=d["decision_id"],
            grounds=d["grounds"],
            explanation=d["explanation"],
            **options,
        )


class DecideAppealForm(ActionForm):
    action = "decide_appeal"
    appeal_id = forms.ChoiceField(label=_("Appeal"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("upheld", _("Upheld")),
            ("dismissed", _("Dismissed")),
            ("remanded", _("Sent back")),
            ("varied", _("Varied")),
        ],
    )
    reasons = forms.CharField(label=_("Reasons"), widget=textarea(5))

    def setup(self, page: CasePage) -> None:
        self.fields["appeal_id"].choices = [  # type: ignore[attr-defined]
            (a, a) for a, status in page.state.appeals.items() if status == "filed"
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.appeal_decide(
            by=by,
            case=case,
            appeal_id=d["appeal_id"],
            outcome=d["outcome"],
            reasons=d["reasons"],
            **options,
        )


# --- oversight ---------------------------------------------------------------------------


class ObjectionForm(ActionForm):
    action = "file_objection"
    to_body = forms.ChoiceField(label=_("To"))
    clauses = ListField(
        label=_("Clauses you say were broken"), required=False, help_text=_("For example: s.4.2")
    )
    grounds = forms.CharField(label=_("Your objection"), widget=textarea(6))

    def setup(self, page: CasePage) -> None:
        self.fields["to_body"].choices = [  # type: ignore[attr-defined]
            (k, b.name) for k, b in page.protocol.bodies.items() if k != page.state.holding_body
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        filed = [
            e.payload["objection_id"] for e in self.page.ctx.events if e.type == "objection.filed"
        ]
        return s.objection_file(
            by=by,
            case=case,
            objection_id=_next_id("O", filed),
            to_body=d["to_body"],
            clauses=d["clauses"],
            grounds=d["grounds"],
            **options,
        )


class AnswerObjectionForm(ActionForm):
    action = "answer_objection"
    objection_id = forms.ChoiceField(label=_("Objection"))
    upheld = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[("yes", _("Upheld")), ("no", _("Not upheld"))],
    )
    reasons = forms.CharField(label=_("Reasons"), widget=textarea(4))

    def setup(self, page: CasePage) -> None:
        answered = {
            e.payload["objection_id"] for e in page.ctx.events if e.type == "objection.answered"
        }
        self.fields["objection_id"].choices = [  # type: ignore[attr-defined]
            (e.payload["objection_id"], e.payload["objection_id"])
            for e in page.ctx.events
            if e.type == "objection.filed" and e.payload["objection_id"] not in answered
        ]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.objection_answer(
            by=by,
            case=case,
            objection_id=d["objection_id"],
            upheld=d["upheld"] == "yes",
            reasons=d["reasons"],
            **options,
        )


class MistrialForm(ActionForm):
    action = "declare_mistrial"
    grounds = ListField(label=_("Clauses broken"), help_text=_("For example: s.4.2, s.4.3"))
    reasons = forms.CharField(label=_("Reasons"), widget=textarea(4))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.mistrial_declare(
            by=by, case=case, grounds=d["grounds"], reasons=d["reasons"], **options
        )

    def clean_grounds(self) -> list[str]:
        grounds: list[str] = self.cleaned_data["grounds"]
        if not grounds:
            raise forms.ValidationError(_("Name at least one clause."))
        return grounds


class AnnulForm(MistrialForm):
    action = "annul_proceeding"

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.proceeding_annul(
            by=by, case=case, grounds=d["grounds"], reasons=d["reasons"], **options
        )


class CloseForm(ActionForm):
    action = "close_case"
    disposition = forms.ChoiceField(
        label=_("How it ends"),
        choices=[
            ("decided", _("Decided")),
            ("withdrawn", _("Withdrawn")),
            ("not_proceeded", _("Not proceeded with")),
            ("informal_resolution", _("Informal resolution")),
            ("dismissed", _("Dismissed")),
            ("reviewed", _("Reviewed")),
        ],
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=textarea(3))

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.case_close(
            by=by, case=case, disposition=d["disposition"], reasons=d["reasons"], **options
        )


class ReopenForm(ActionForm):
    action = "reopen_case"
    to_body = forms.ChoiceField(label=_("Reopened by"))
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[
            ("corrective_review", _("Review and correct the process")),
            ("new_evidence", _("New evidence")),
            ("appeal_out_of_time", _("An appeal out of time")),
        ],
    )
    reasons = forms.CharField(label=_("Reasons"), widget=textarea(4))

    def setup(self, page: CasePage) -> None:
        self.fields["to_body"].choices = [(b, page.body_name(b)) for b in page.my_bodies()]  # type: ignore[attr-defined]

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.case_reopen(
            by=by,
            case=case,
            to_body=d["to_body"],
            purpose=d["purpose"],
            reasons=d["reasons"],
            **options,
        )


class ConcludeReviewForm(ActionForm):
    action = "conclude_review"
    findings = forms.CharField(label=_("Findings of the review"), widget=textarea(6))
    corrective_actions = ListField(
        label=_("Corrective actions"),
        required=False,
        widget=textarea(3),
        help_text=_("One per line."),
    )

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.review_conclude(
            by=by,
            case=case,
            findings=d["findings"],
            corrective_actions=d["corrective_actions"],
            **options,
        )


class GrantAccessForm(ActionForm):
    action = "grant_access"
    person = PersonRefField(label=_("Person"))
    until = LocalDateField(label=_("Until"))
    reason = forms.CharField(label=_("Why they need it"), max_length=2000)

    def perform(self, by: Person, case: str, options: Common) -> LedgerEvent:
        d = self.cleaned_data
        return s.access_grant(
            by=by, case=case, person=d["person"], until=d["until"], reason=d["reason"], **options
        )


FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        AcknowledgeForm, ReferForm, OpenCaseForm, PanelForm, ConflictForm, ReinvestigationForm,
        HandOverForm, AdvocateForm, ParticipationForm, WaiveHearingForm, ChargesForm,
        StatementForm, EvidenceForm, DiscloseForm, ResponseForm, ParallelForm, NoteForm,
        CorrespondenceForm, MeasureForm, LiftMeasureForm, ScheduleHearingForm, HoldHearingForm,
        AdjournHearingForm, OpenVoteForm, CastVoteForm, CloseVoteForm, DecisionForm, RatifyForm,
        OverruleForm, AppealForm, DecideAppealForm, ObjectionForm, AnswerObjectionForm,
        MistrialForm, AnnulForm, CloseForm, ReopenForm, ConcludeReviewForm, GrantAccessForm,
    )
}  # fmt: skip

# Steps that cannot be undone: the page asks the person to confirm first.
CONFIRM = frozenset(
    {
        "cast_vote", "close_vote", "issue_decision", "ratify_decision", "overrule_decision",
        "decide_appeal", "declare_mistrial", "annul_proceeding", "close_case", "reopen_case",
        "conclude_review",
    }
)  # fmt: skip
