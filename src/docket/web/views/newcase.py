"""An officer records a complaint given to their body: the case file begins."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from docket.cases import services as s
from docket.cases.models import ProtocolVersion
from docket.cases.protocols import parsed
from docket.core import clock
from docket.core.errors import InvalidInput, ProtocolRefusal

from ..forms import NewComplaintForm
from .common import viewer, with_org_zone
from .oversight import _my_bodies


@require_http_methods(["GET", "POST"])
@with_org_zone
def new_case(request: HttpRequest) -> HttpResponse:
    person = viewer(request)
    if person is None:
        raise Http404("No such page.")
    bodies = list(_my_bodies(person, clock.now()))
    versions = list(ProtocolVersion.objects.order_by("protocol_id", "-version"))
    latest: dict[str, ProtocolVersion] = {}
    for v in versions:
        latest.setdefault(v.protocol_id, v)
    receiving = {
        key
        for v in latest.values()
        for key in parsed(v).actions.get("receive_complaint", _none()).by
        if key.startswith("body:")
    }
    mine = [b for b in bodies if f"body:{b.key}" in receiving]
    if not mine:
        raise Http404("No such page.")
    form = NewComplaintForm(
        request.POST or None,
        protocols=[(k, v.title) for k, v in latest.items()],
        bodies=[(str(b.public_id), b.name) for b in mine],
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            body = next(b for b in mine if str(b.public_id) == d["received_by"])
            try:
                case = s.complaint_receive(
                    by=person,
                    protocol_id=d["protocol_id"],
                    received_by=body.key,
                    category=d["category"],
                    channel=d["channel"],
                    reporter_role=d["reporter_role"],
                    complainants=[d["complainant"]] if d["complainant"] else [],
                    respondents=[d["respondent"]],
                    allegations=[
                        s.AllegationInput("A1", d["allegation_rule"], d["allegation_summary"])
                    ],
                    account=d["account"],
                    unit=body.unit if body.unit.kind != "national" else None,
                )
            except ProtocolRefusal as refused:
                form.add_error(None, refused.message)
                status = 409
            except InvalidInput as bad:
                form.add_error(None, bad.message)
            else:
                messages.success(request, _("The complaint is on record."))
                return redirect(reverse("web:case", args=[case.public_id]))
    return render(request, "web/new_case.html", {"form": form}, status=status)


class _none:
    by: tuple[str, ...] = ()
