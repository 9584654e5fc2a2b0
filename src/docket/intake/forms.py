"""Forms of the intake pages: they parse and bound input; the services decide.

The reporting form is fixed for now (the protocol language has no intake section yet):
who is reporting, about whom (a name, an optional member number, a description —
there is no public list of members to pick from, which would let anyone enumerate the
membership), what happened, when and where, files, what the reporter wants, and how we
may reach them. The member number and name are matched against the roll server side;
the reporter is never told whether they matched.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from docket.intake.services import LIMITS, MAX_FILES_PER_SUBMISSION
from docket.org.models import Unit

ROLE_CHOICES = [
    ("affected", _("It happened to me")),
    ("witness", _("I saw or heard it happen")),
    ("third_party", _("Someone told me about it, or I am reporting for someone else")),
]
WISH_CHOICES = [
    ("record_only", _("Only keep it on record for now. Nothing is done unless I ask later.")),
    ("contact", _("I would like someone to contact me first, to talk about my options.")),
    ("formal", _("I want to make a formal complaint.")),
]
CONTACT_CHOICES = [
    ("this_page", _("Only through this website, with my receipt code (anonymous)")),
    ("email", _("By email")),
    ("phone", _("By phone")),
    ("none", _("Please do not contact me")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _text(label: Any, field: str, *, required: bool = False, rows: int = 0, help: Any = "") -> Any:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=LIMITS[field],
        widget=widget,
        help_text=help,
        strip=True,
    )


class ReportForm(forms.Form):
    reporter_role = forms.ChoiceField(
        label=_("How do you know about what happened?"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
    )
    subject_name = _text(
        _("Their name"),
        "subject_name",
        help=_("As you know it. Leave it empty if you do not know."),
    )
    subject_number = _text(
        _("Their member number, if you know it"),
        "subject_number",
        help=_("Optional. It helps us find the right person."),
    )
    subject_description = _text(
        _("Anything else that helps us know who they are"),
        "subject_description",
        rows=2,
        help=_("For example their role, or the branch or group they belong to."),
    )
    unit = forms.ModelChoiceField(
        label=_("Which part of the organization is this about?"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("I don't know"),
    )
    what = _text(
        _("What happened?"),
        "what",
        required=True,
        rows=8,
        help=_("In your own words. Write as much or as little as you are comfortable with."),
    )
    when = _text(_("When did it happen?"), "when", help=_("A date or a rough time is fine."))
    where = _text(_("Where did it happen?"), "where")
    attachments = MultipleFileField(
        label=_("Files (optional)"),
        required=False,
        help_text=_(
            "Up to %(n)s files: pictures, documents, audio or video. Location and camera "
            "details are removed from pictures."
        )
        % {"n": MAX_FILES_PER_SUBMISSION},
    )
    wants = forms.ChoiceField(
        label=_("What would you like to happen?"),
        choices=WISH_CHOICES,
        widget=forms.RadioSelect,
    )
    contact = forms.ChoiceField(
        label=_("How may we reach you?"),
        choices=CONTACT_CHOICES,
        widget=forms.RadioSelect,
        initial="this_page",
    )
    reporter_name = _text(
        _("Your name (optional)"),
        "reporter_name",
        help=_("Leave it empty to stay anonymous."),
    )
    contact_details = _text(
        _("Your email address or phone number (only if you chose email or phone)"),
        "contact_details",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["unit"]
        assert isinstance(units, forms.ModelChoiceField)
        units.queryset = Unit.objects.order_by("id")


class FollowForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=60,
        help_text=_("The 25 letters and numbers you were given, for example 7K2QH-M9XRT-…"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class MessageForm(forms.Form):
    text = _text(_("Your message"), "message", required=True, rows=4)


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("Add a file"))


class DeclineForm(forms.Form):
    reasons = _text(
        _("Reasons"),
        "reasons",
        required=True,
        rows=4,
        help=_("The reporter will read these reasons. Write them plainly and kindly."),
    )


class ConvertForm(forms.Form):
    respondent_number = forms.CharField(
        label=_("Member number of the person the complaint is about"), max_length=40
    )
    category = _text(_("Category"), "category", required=True)
    rule = _text(_("Rule alleged broken"), "rule", required=True)
    summary = _text(_("Summary of the allegation"), "summary", rows=3)
