"""Form pieces shared by the case pages: fields that name people, clauses, lists, and the
base of every action form (the head the page was rendered at, an optional deviation)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from docket.org.models import Membership, Person

PARTY_CHOICES = [("complainant", _("Complainant")), ("respondent", _("Respondent"))]


class PersonRefField(forms.CharField):
    """A person named by member number or Docket person id.

    ``for_part=True``: the person is to be given a part in the case (an advocate, a
    statement's author). A reference that names no one on record then cleans to ``None``
    and goes to the service, whose engine refuses it exactly as it refuses anyone who
    may not be given the part: the answer never tells whether a member number exists."""

    default_error_messages = {
        "unknown": _("No one with that member number or person id is on record."),
    }

    def __init__(self, *, for_part: bool = False, **kwargs: Any) -> None:
        self.for_part = for_part
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "help_text", _("Their member number (for example L-0877) or their Docket person id.")
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Person | None:
        text = super().clean(value)
        if not text:
            return None
        text = str(text).strip()
        member = Membership.objects.filter(member_number=text).select_related("person").first()
        if member is not None:
            return member.person
        person = Person.objects.filter(public_id=text).first()
        if person is None and self.for_part:
            return None
        if person is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return person


class ListField(forms.CharField):
    """Comma- or line-separated short items (clauses, grounds, corrective actions)."""

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        items = [p.strip() for chunk in str(text).splitlines() for p in chunk.split(",")]
        return [i for i in items if i]


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the organization's time zone (the active zone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)


class LocalDateField(forms.DateField):
    """A day in the organization's time zone, meaning the end of that day."""

    widget = forms.DateInput(attrs={"type": "date"})

    def clean(self, value: Any) -> datetime | None:
        day = super().clean(value)
        if day is None:
            return None
        return datetime.combine(day, time(23, 59), tzinfo=timezone.get_current_timezone())


def textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class NewComplaintForm(forms.Form):
    """An officer records a complaint given to them (intake by a body, not the public)."""

    protocol_id = forms.ChoiceField(label=_("Protocol"))
    received_by = forms.ChoiceField(label=_("Received by"))
    category = forms.CharField(label=_("Category"), max_length=80)
    channel = forms.ChoiceField(
        label=_("How it was given"),
        choices=[
            ("in_person", _("In person")),
            ("written", _("In writing")),
            ("online", _("Online")),
        ],
    )
    reporter_role = forms.ChoiceField(
        label=_("Who reported it"),
        choices=[
            ("affected", _("The person affected")),
            ("witness", _("A witness")),
            ("third_party", _("Someone else")),
        ],
    )
    complainant = PersonRefField(label=_("Complainant"), required=False)
    respondent = PersonRefField(label=_("Respondent"))
    allegation_rule = forms.CharField(
        label=_("Rule alleged broken"),
        max_length=200,
        help_text=_("The organization's rule, for example “Code of Conduct s.2”."),
    )
    allegation_summary = forms.CharField(
        label=_("What is alleged, in a sentence"), max_length=2000, widget=textarea(3)
    )
    account = forms.CharField(
        label=_("The account as given"),
        required=False,
        widget=textarea(6),
        help_text=_("Kept encrypted; only those the protocol allows can read it."),
    )

    def __init__(
        self,
        *args: Any,
        protocols: list[tuple[str, str]],
        bodies: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["protocol_id"].choices = protocols  # type: ignore[attr-defined]
        self.fields["received_by"].choices = bodies  # type: ignore[attr-defined]
