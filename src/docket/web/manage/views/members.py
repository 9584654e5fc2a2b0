"""Members: list and search, admit, transfer, standing, offices, roster import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from docket.accounts.models import AccountChange, Invitation
from docket.core.errors import DocketError
from docket.org.models import Membership, OfficeHeld, Person
from docket.org.selectors import (
    members_at,
    office_history,
    standing_at,
    standing_history,
    unit_at,
    unit_history,
)
from docket.org.services import (
    member_admit_new,
    member_office_begin,
    member_office_end,
    member_standing_change,
    member_transfer,
)
from docket.org.services.member_import import member_import_apply, member_import_plan
from docket.web.manage.access import CAPACITY, actor, administrator_required
from docket.web.manage.forms import (
    AdmitForm,
    ImportConfirmForm,
    ImportForm,
    MemberSearchForm,
    OfficeBeginForm,
    OfficeEndForm,
    StandingForm,
    TransferForm,
)
from docket.web.manage.views.form_action import carry_out

PAGE_SIZE = 50


@administrator_required
@require_GET
def members(request: HttpRequest) -> HttpResponse:
    search = MemberSearchForm(request.GET or None)
    rows = []
    if not request.GET or search.is_valid():
        data = search.cleaned_data if search.is_bound else {}
        rows = members_at(unit=data.get("unit"))
        needle = (data.get("q") or "").strip().casefold()
        if needle:
            rows = [
                r
                for r in rows
                if needle in r.membership.member_number.casefold()
                or needle in r.membership.person.display_name.casefold()
            ]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "manage/members.html",
        {
            "search": search,
            "page": page,
            "total": len(rows),
            "query": query.urlencode(),
            "section": "members",
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def member_admit_view(request: HttpRequest) -> HttpResponse:
    form = AdmitForm(request.POST or None)
    admitted = carry_out(
        request,
        form,
        lambda data: member_admit_new(
            actor=actor(request),
            capacity=CAPACITY,
            display_name=data["name"],
            member_number=data["member_number"],
            joined_on=data["joined_on"],
            unit=data["unit"],
            reason=data["reason"],
        ),
        done=lambda m: _("%(name)s is admitted.") % {"name": m.person.display_name},
    )
    if admitted is not None:
        return redirect("manage:member", person=admitted.person.public_id)
    return render(request, "manage/member_admit.html", {"form": form, "section": "members"})


def _member(public_id: str) -> Person:
    person = (
        Person.objects.filter(public_id=public_id, membership__isnull=False)
        .select_related("membership", "user")
        .first()
    )
    if person is None:
        raise Http404
    return person


def _member_page(request: HttpRequest, person: Person, **bound: forms.Form) -> HttpResponse:
    context: dict[str, Any] = {
        "person": person,
        "membership": person.membership,
        "standing": standing_at(person),
        "unit": unit_at(person),
        "standing_history": standing_history(person),
        "unit_history": unit_history(person),
        "transfer_form": TransferForm(prefix="transfer"),
        "standing_form": StandingForm(prefix="standing"),
        "office_form": OfficeBeginForm(prefix="office"),
        "invitations": Invitation.objects.filter(person=person)[:5],
        "account_changes": AccountChange.objects.filter(account_id=person.user_id)
        if person.user_id
        else [],
        "section": "members",
    }
    context.update(bound)
    ending = context.pop("office_end_form", None)
    context["offices"] = [
        (
            office,
            ending
            if ending is not None and ending.prefix == _end_prefix(office)
            else OfficeEndForm(prefix=_end_prefix(office)),
        )
        for office in office_history(person).order_by("starts_at", "id")
    ]
    return render(request, "manage/member.html", context)


def _end_prefix(office: OfficeHeld) -> str:
    return f"end-{office.public_id}"


@administrator_required
@require_GET
def member(request: HttpRequest, person: str) -> HttpResponse:
    return _member_page(request, _member(person))


@administrator_required
@require_POST
def member_transfer_view(request: HttpRequest, person: str) -> HttpResponse:
    who = _member(person)
    form = TransferForm(request.POST, prefix="transfer")
    if carry_out(
        request,
        form,
        lambda data: member_transfer(
            actor=actor(request),
            capacity=CAPACITY,
            person=who,
            to_unit=data["to_unit"],
            effective=data["effective"],
            reason=data["reason"],
        ),
        done=_("The transfer is recorded."),
    ):
        return redirect("manage:member", person=who.public_id)
    return _member_page(request, who, transfer_form=form)


@administrator_required
@require_POST
def member_standing_view(request: HttpRequest, person: str) -> HttpResponse:
    who = _member(person)
    form = StandingForm(request.POST, prefix="standing")
    if carry_out(
        request,
        form,
        lambda data: member_standing_change(
            actor=actor(request),
            capacity=CAPACITY,
            person=who,
            status=data["status"],
            effective=data["effective"],
            until=data["until"],
            proceeding=data["proceeding"],
            reason=data["reason"],
        ),
        done=_("The change of standing is recorded."),
    ):
        return redirect("manage:member", person=who.public_id)
    return _member_page(request, who, standing_form=form)


@administrator_required
@require_POST
def office_begin_view(request: HttpRequest, person: str) -> HttpResponse:
    who = _member(person)
    form = OfficeBeginForm(request.POST, prefix="office")
    if carry_out(
        request,
        form,
        lambda data: member_office_begin(
            actor=actor(request),
            capacity=CAPACITY,
            person=who,
            title=data["title"],
            unit=data["unit"],
            body=data["body"],
            starts=data["starts"],
            ends=data["ends"],
            reason=data["reason"],
        ),
        done=_("The office is recorded."),
    ):
        return redirect("manage:member", person=who.public_id)
    return _member_page(request, who, office_form=form)


@administrator_required
@require_POST
def office_end_view(request: HttpRequest, person: str, office: str) -> HttpResponse:
    who = _member(person)
    held = OfficeHeld.objects.filter(public_id=office, membership__person=who).first()
    if held is None:
        raise Http404
    form = OfficeEndForm(request.POST, prefix=_end_prefix(held))
    if carry_out(
        request,
        form,
        lambda data: member_office_end(
            actor=actor(request),
            capacity=CAPACITY,
            office=held,
            ends=data["ends"],
            reason=data["reason"],
        ),
        done=_("The end of the office is recorded."),
    ):
        return redirect("manage:member", person=who.public_id)
    return _member_page(request, who, office_end_form=form)


@administrator_required
@require_http_methods(["GET", "POST"])
def member_import(request: HttpRequest) -> HttpResponse:
    """Upload a roster and see what it would do (line-numbered errors); confirm to apply."""
    context: dict[str, Any] = {"section": "members"}
    if request.method == "POST" and "content" in request.POST:
        confirm = ImportConfirmForm(request.POST)
        if confirm.is_valid():
            plan = member_import_plan(confirm.cleaned_data["content"])
            try:
                member_import_apply(
                    actor=actor(request),
                    capacity=CAPACITY,
                    plan=plan,
                    source=confirm.cleaned_data["source"],
                )
            except DocketError as exc:
                context.update(form=ImportForm(), plan=plan, failure=exc.message)
                return render(request, "manage/member_import.html", context)
            messages.success(
                request,
                _(
                    "Roster imported: %(admit)s admitted, %(rename)s renamed, "
                    "%(transfer)s transferred, %(same)s unchanged."
                )
                % {
                    "admit": plan.count("admit"),
                    "rename": plan.count("rename"),
                    "transfer": plan.count("transfer"),
                    "same": plan.count("unchanged"),
                },
            )
            return redirect("manage:members")
        context["form"] = ImportForm()
        return render(request, "manage/member_import.html", context)
    form = ImportForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "manage/member_import.html", context)
        text = form.cleaned_data["file"]
        source = getattr(request.FILES.get("file"), "name", "roster.csv")[:200]
        plan = member_import_plan(text)
        context["plan"] = plan
        if not plan.errors:
            context["confirm"] = ImportConfirmForm(initial={"content": text, "source": source})
        context["source"] = source
        if plan.errors:
            return render(request, "manage/member_import.html", context, status=400)
    return render(request, "manage/member_import.html", context)


def membership_for_number(number: str) -> Membership | None:
    return (
        Membership.objects.filter(member_number=(number or "").strip())
        .select_related("person")
        .first()
    )
