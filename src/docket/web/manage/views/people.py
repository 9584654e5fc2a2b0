"""People who are not members, invitations, and disabling or enabling accounts.

Non-members appear by their pseudonymous label only; their real identities are kept
encrypted by the case layer and are never shown here. An invitation's email address is
shown for named people only: next to a label it would say who the label is.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from docket.accounts.models import Invitation, User
from docket.accounts.services import (
    account_disable,
    account_enable,
    invitation_create,
    invitation_revoke,
)
from docket.core.clock import now
from docket.core.errors import DocketError
from docket.org.models import Person
from docket.org.services import person_create
from docket.web.manage.access import CAPACITY, actor, administrator_required
from docket.web.manage.forms import AccountChangeForm, InvitationForm, PersonForm
from docket.web.manage.views.form_action import carry_out

PAGE_SIZE = 50


def _back(person: Person) -> str:
    from django.urls import reverse

    if hasattr(person, "membership"):
        return reverse("manage:member", kwargs={"person": person.public_id})
    return reverse("manage:people")


def _person(public_id: str) -> Person:
    person = Person.objects.filter(public_id=public_id).select_related("user").first()
    if person is None:
        raise Http404
    return person


@administrator_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if carry_out(
        request,
        form,
        lambda data: person_create(
            actor=actor(request),
            capacity=CAPACITY,
            display_name=data["display_name"],
            pseudonymous=data["pseudonymous"],
        ),
        done=lambda person: _("“%(name)s” is recorded.") % {"name": person.display_name},
    ):
        return redirect("manage:people")
    listed = (
        Person.objects.filter(membership__isnull=True)
        .select_related("user")
        .only("public_id", "display_name", "pseudonymous", "user__is_active", "created_at")
        .order_by("display_name", "id")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "manage/people.html",
        {"page": page, "form": form, "section": "people"},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def person_invite(request: HttpRequest, person: str) -> HttpResponse:
    who = _person(person)
    form = InvitationForm(request.POST or None)
    if carry_out(
        request,
        form,
        lambda data: invitation_create(
            actor=actor(request), capacity=CAPACITY, person=who, email=data["email"]
        ),
        done=_("The invitation link was sent. It works once, for seven days."),
    ):
        return redirect("manage:invitations")
    return render(
        request,
        "manage/person_invite.html",
        {"person": who, "form": form, "back": _back(who), "section": "invitations"},
    )


@administrator_required
@require_GET
def invitations(request: HttpRequest) -> HttpResponse:
    listed = Invitation.objects.select_related("person").order_by("-created_at", "-id")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    moment = now()
    rows = [(inv, inv.state_at(moment)) for inv in page]
    return render(
        request,
        "manage/invitations.html",
        {"page": page, "rows": rows, "section": "invitations"},
    )


@administrator_required
@require_POST
def invitation_revoke_view(request: HttpRequest, invitation: str) -> HttpResponse:
    found = Invitation.objects.filter(public_id=invitation).first()
    if found is None:
        raise Http404
    try:
        invitation_revoke(actor=actor(request), invitation=found)
    except DocketError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation is withdrawn; its link no longer works."))
    return redirect("manage:invitations")


def _account_change(request: HttpRequest, person: str, *, disable: bool) -> HttpResponse:
    who = _person(person)
    if who.user is None:
        raise Http404
    account: User = who.user
    form = AccountChangeForm(request.POST or None)

    def change(data: dict[str, Any]) -> User:
        if disable:
            return account_disable(
                actor=actor(request),
                account=account,
                reason=data["reason"],
                by=request.user,  # type: ignore[arg-type]
            )
        return account_enable(actor=actor(request), account=account, reason=data["reason"])

    done = (
        _("The account is disabled; its sessions have ended.")
        if disable
        else _("The account is enabled again.")
    )
    if carry_out(request, form, change, done=done):
        return redirect(_back(who))
    context: dict[str, Any] = {
        "person": who,
        "account": account,
        "form": form,
        "disable": disable,
        "back": _back(who),
        "section": "members" if hasattr(who, "membership") else "people",
    }
    return render(request, "manage/account_change.html", context)


@administrator_required
@require_http_methods(["GET", "POST"])
def account_disable_view(request: HttpRequest, person: str) -> HttpResponse:
    return _account_change(request, person, disable=True)


@administrator_required
@require_http_methods(["GET", "POST"])
def account_enable_view(request: HttpRequest, person: str) -> HttpResponse:
    return _account_change(request, person, disable=False)
