"""The administration start page and the organization itself."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from docket.accounts.models import Invitation
from docket.cases.models import ProtocolVersion
from docket.core.errors import DocketError
from docket.org.models import Body, Membership, Organization, Person, Unit
from docket.org.services import organization_create
from docket.org.services.organization import organization_update
from docket.web.manage.access import CAPACITY, actor, administrator_required
from docket.web.manage.forms import OrganizationEditForm, OrganizationForm, apply_error


@administrator_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    counts = {
        "units": Unit.objects.count(),
        "members": Membership.objects.count(),
        "non_members": Person.objects.filter(membership__isnull=True).count(),
        "bodies": Body.objects.count(),
        "protocols": ProtocolVersion.objects.count(),
        "invitations": Invitation.objects.filter(
            accepted_at__isnull=True, revoked_at__isnull=True
        ).count(),
    }
    return render(
        request,
        "manage/index.html",
        {"org": Organization.objects.first(), "counts": counts, "section": "index"},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def organization(request: HttpRequest) -> HttpResponse:
    """Set the organization up, or (once it is) change its name or time zone."""
    org = Organization.objects.first()
    data = request.POST if request.method == "POST" else None
    form: OrganizationForm
    if org is None:
        form = OrganizationForm(data)
    else:
        form = OrganizationEditForm(data, initial={"name": org.name, "time_zone": org.time_zone})
    if data is not None and form.is_valid():
        try:
            if org is None:
                organization_create(
                    actor=actor(request),
                    capacity=CAPACITY,
                    name=form.cleaned_data["name"],
                    time_zone=form.cleaned_data["time_zone"],
                )
                done = _("The organization is set up.")
            else:
                organization_update(
                    actor=actor(request),
                    capacity=CAPACITY,
                    name=form.cleaned_data["name"],
                    time_zone=form.cleaned_data["time_zone"],
                    reason=form.cleaned_data["reason"],
                )
                done = _("The organization is changed.")
        except DocketError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("manage:organization")
    return render(
        request,
        "manage/organization.html",
        {"org": org, "form": form, "section": "organization"},
    )
