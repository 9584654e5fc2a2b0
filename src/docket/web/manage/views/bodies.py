"""Bodies, their seats, and the terms people serve in them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from docket.core.clock import now
from docket.core.errors import DocketError
from docket.org.models import Body, Membership, Seat, SeatTerm
from docket.org.services import body_create, seat_create, seat_term_begin, seat_term_end
from docket.web.manage.access import CAPACITY, actor, administrator_required
from docket.web.manage.forms import (
    BodyForm,
    SeatForm,
    TermBeginForm,
    TermEndForm,
    apply_error,
)
from docket.web.manage.views.form_action import carry_out


@administrator_required
@require_http_methods(["GET", "POST"])
def bodies(request: HttpRequest) -> HttpResponse:
    form = BodyForm(request.POST or None)
    created = carry_out(
        request,
        form,
        lambda data: body_create(
            actor=actor(request),
            capacity=CAPACITY,
            key=data["key"],
            name=data["name"],
            unit=data["unit"],
        ),
        done=lambda body: _("“%(name)s” created.") % {"name": body.name},
    )
    if created is not None:
        return redirect("manage:body", body=created.public_id)
    listed = (
        Body.objects.select_related("unit")
        .annotate(seat_count=Count("seats"))
        .order_by("unit_id", "name")
    )
    return render(
        request,
        "manage/bodies.html",
        {"bodies": listed, "form": form, "section": "bodies"},
    )


def _body(public_id: str) -> Body:
    body = Body.objects.filter(public_id=public_id).select_related("unit").first()
    if body is None:
        raise Http404
    return body


def _body_page(request: HttpRequest, body: Body, **bound: forms.Form) -> HttpResponse:
    moment = now()
    seats = Seat.objects.filter(body=body).prefetch_related(
        Prefetch(
            "terms",
            queryset=SeatTerm.objects.select_related("person").order_by("-starts_at", "-id"),
        )
    )
    rows = []
    for seat in seats:
        terms = list(seat.terms.all())
        current = [
            t for t in terms if t.starts_at <= moment and (t.ends_at is None or t.ends_at > moment)
        ]
        rows.append({"seat": seat, "current": current[0] if current else None, "terms": terms})
    context: dict[str, Any] = {
        "body": body,
        "rows": rows,
        "seat_form": SeatForm(),
        "term_form": TermBeginForm(body=body),
        "now": moment,
        "section": "bodies",
    }
    context.update(bound)
    return render(request, "manage/body.html", context)


@administrator_required
@require_GET
def body(request: HttpRequest, body: str) -> HttpResponse:
    return _body_page(request, _body(body))


@administrator_required
@require_POST
def seat_create_view(request: HttpRequest, body: str) -> HttpResponse:
    found = _body(body)
    form = SeatForm(request.POST)
    if carry_out(
        request,
        form,
        lambda data: seat_create(
            actor=actor(request), capacity=CAPACITY, body=found, label=data["label"]
        ),
        done=lambda seat: _("Seat %(number)s added.") % {"number": seat.number},
    ):
        return redirect("manage:body", body=found.public_id)
    return _body_page(request, found, seat_form=form)


@administrator_required
@require_POST
def term_begin_view(request: HttpRequest, body: str) -> HttpResponse:
    found = _body(body)
    form = TermBeginForm(request.POST, body=found)
    if form.is_valid():
        data = form.cleaned_data
        membership = (
            Membership.objects.filter(member_number=data["member_number"].strip())
            .select_related("person")
            .first()
        )
        if membership is None:
            form.add_error("member_number", _("No member has this number."))
        else:
            try:
                seat_term_begin(
                    actor=actor(request),
                    capacity=CAPACITY,
                    seat=data["seat"],
                    person=membership.person,
                    starts=data["starts"],
                    ends=data["ends"],
                    may_finish_open_cases=data["may_finish_open_cases"],
                    reason=data["reason"],
                )
            except DocketError as exc:
                apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s's term is recorded.") % {"name": membership.person.display_name},
                )
                return redirect("manage:body", body=found.public_id)
    return _body_page(request, found, term_form=form)


@administrator_required
@require_http_methods(["GET", "POST"])
def term_end_view(request: HttpRequest, body: str, term: str) -> HttpResponse:
    """Ending a term now: the holder's access and sessions end with it. Confirmed first."""
    found = _body(body)
    held = (
        SeatTerm.objects.filter(public_id=term, seat__body=found)
        .select_related("person", "seat")
        .first()
    )
    if held is None:
        raise Http404
    form = TermEndForm(request.POST or None)
    if carry_out(
        request,
        form,
        lambda data: seat_term_end(
            actor=actor(request), capacity=CAPACITY, term=held, reason=data["reason"]
        ),
        done=_("%(name)s's term has ended; their access through it has ended too.")
        % {"name": held.person.display_name},
    ):
        return redirect("manage:body", body=found.public_id)
    return render(
        request,
        "manage/term_end.html",
        {"body": found, "term": held, "form": form, "section": "bodies"},
    )
