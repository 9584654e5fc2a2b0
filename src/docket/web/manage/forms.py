"""Forms of the administration pages: they parse input; services decide."""

from __future__ import annotations

from typing import Any, cast
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from docket.core.errors import DocketError
from docket.org.models import Body, Seat, Standing, Unit, UnitKind

MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_PROTOCOL_BYTES = 512 * 1024


def apply_error(form: forms.Form, exc: DocketError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    field = exc.data.get("field")
    if isinstance(field, str) and field in form.fields:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, exc.message)


def newlines(text: str) -> str:
    """One kind of line ending. Browsers send the text of a form field back with CRLF, so
    a file checked on one page and adopted from the next must be normalized the same way
    both times (an adopted protocol's digest is over its text)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _reason(label: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label or _("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept on the record with this change."),
    )


def _text_file(upload: Any, *, limit: int, what: Any) -> str:
    if upload is None:
        raise forms.ValidationError(_("Choose a file."))
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is larger than %(size)s kB.") % {"size": limit // 1024}
        )
    try:
        return newlines(upload.read().decode("utf-8"))
    except UnicodeDecodeError:
        raise forms.ValidationError(
            _("The %(what)s must be a UTF-8 text file.") % {"what": what}
        ) from None


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="UTC")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = [
            (z, z) for z in sorted(available_timezones())
        ]


class OrganizationEditForm(OrganizationForm):
    """Change the name or time zone; the reason goes on the record."""

    reason = _reason()


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    key = forms.SlugField(
        label=_("Short key"),
        max_length=60,
        help_text=_("Lowercase letters, digits and hyphens; used in member imports."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(none: this is the national unit)"),
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.order_by("id")  # type: ignore[attr-defined]


class MemberSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or member number"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
        to_field_name="key",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("id")  # type: ignore[attr-defined]


class AdmitForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    member_number = forms.CharField(label=_("Member number"), max_length=40)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), to_field_name="public_id"
    )
    reason = _reason()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("id")  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label=_("New unit"), queryset=Unit.objects.none(), to_field_name="public_id"
    )
    effective = forms.DateField(label=_("From"), widget=DateInput())
    reason = _reason()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = Unit.objects.order_by("id")  # type: ignore[attr-defined]


class StandingForm(forms.Form):
    status = forms.ChoiceField(label=_("New standing"), choices=Standing.choices)
    effective = forms.DateField(label=_("From"), widget=DateInput())
    until = forms.DateField(
        label=_("Until"),
        widget=DateInput(),
        required=False,
        help_text=_("For a suspension or leave with an end date."),
    )
    proceeding = forms.CharField(
        label=_("For the duration of proceeding"),
        required=False,
        max_length=64,
        help_text=_("For an open-ended suspension: the case reference it lasts for."),
    )
    reason = _reason()


class OfficeBeginForm(forms.Form):
    title = forms.CharField(label=_("Office"), max_length=200)
    unit = forms.ModelChoiceField(
        label=_("In unit"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("(not a unit office)"),
    )
    body = forms.ModelChoiceField(
        label=_("Or in body"),
        queryset=Body.objects.none(),
        required=False,
        to_field_name="public_id",
        empty_label=_("(not a body office)"),
    )
    starts = forms.DateField(label=_("From"), widget=DateInput())
    ends = forms.DateField(label=_("Until"), widget=DateInput(), required=False)
    reason = _reason()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("id")  # type: ignore[attr-defined]
        self.fields["body"].queryset = Body.objects.order_by("id")  # type: ignore[attr-defined]


class OfficeEndForm(forms.Form):
    ends = forms.DateField(label=_("Ends on"), widget=DateInput())
    reason = _reason()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member roster (CSV)"),
        help_text=_("Columns: member_number, name, joined_on (YYYY-MM-DD), unit (unit key)."),
    )

    def clean_file(self) -> str:
        return _text_file(self.cleaned_data.get("file"), limit=MAX_CSV_BYTES, what=_("roster"))


class ImportConfirmForm(forms.Form):
    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_CSV_BYTES, strip=False)
    source = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean_content(self) -> str:
        return newlines(self.cleaned_data["content"])


class PersonForm(forms.Form):
    display_name = forms.CharField(
        label=_("Label or name"),
        max_length=200,
        help_text=_(
            "For someone who is not a member, use a label such as “Complainant C” "
            "and tick the box below; their real identity is kept encrypted in the case."
        ),
    )
    pseudonymous = forms.BooleanField(
        label=_("This is a label, not a real name"), required=False, initial=True
    )


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    key = forms.CharField(
        label=_("Protocol key"),
        max_length=60,
        help_text=_("The body's name in the protocol, such as ndc or branch_executive."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), to_field_name="public_id"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("id")  # type: ignore[attr-defined]


class SeatForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100, required=False)


class TermBeginForm(forms.Form):
    seat = forms.ModelChoiceField(
        label=_("Seat"), queryset=Seat.objects.none(), to_field_name="public_id"
    )
    member_number = forms.CharField(label=_("Member number of the holder"), max_length=40)
    starts = forms.DateField(label=_("From"), widget=DateInput())
    ends = forms.DateField(label=_("Until"), widget=DateInput(), required=False)
    may_finish_open_cases = forms.BooleanField(
        label=_("May finish the cases the panel holds after the term ends"), required=False
    )
    reason = _reason(_("Why the term begins (election, appointment)"))

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seat"].queryset = Seat.objects.filter(body=body)  # type: ignore[attr-defined]


class TermEndForm(forms.Form):
    reason = _reason(_("Why the term ends now"))
    confirm = forms.BooleanField(
        label=_("I understand that the holder loses access to the body's cases at once."),
        required=True,
    )


class ProtocolUploadForm(forms.Form):
    file = forms.FileField(label=_("Protocol file (YAML)"))

    def clean_file(self) -> str:
        return _text_file(
            self.cleaned_data.get("file"), limit=MAX_PROTOCOL_BYTES, what=_("protocol")
        )


class ProtocolAdoptForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, max_length=MAX_PROTOCOL_BYTES, strip=False)
    source = forms.CharField(widget=forms.HiddenInput, max_length=200)
    confirm = forms.BooleanField(
        label=_("Adopt this version. An adopted version cannot be changed or removed."),
        required=True,
    )

    def clean_text(self) -> str:
        return newlines(self.cleaned_data["text"])


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))


class AccountChangeForm(forms.Form):
    reason = _reason()


class AcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("The two passwords differ."))
        return data
