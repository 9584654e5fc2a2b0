"""Intake pages (thin): parse, call a service, render.

Public: ``/report/`` (the form), ``/report/follow/`` (enter a receipt code), and the
reporter's own page ``/report/follow/report/`` with its actions. The report a reporter
opened is remembered in their session for 30 minutes of activity; the code itself is
never put in a URL, a session or a log. Pages that show a code or a report's content are
sent with ``Cache-Control: no-store``.

Officers (signed in): ``/intake/`` (the queue), ``/intake/notices/`` (repeat subjects),
``/intake/r/<id>/`` (a report) and its actions.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from docket.core import clock
from docket.core.errors import DocketError, NotFound
from docket.crypto.downloads import content_download_response
from docket.crypto.uploads import evidence_prepare
from docket.intake import forms, handoff, services
from docket.intake.models import IntakeReport
from docket.intake.ratelimit import RateLimited
from docket.intake.routing import (
    IntakeClosed,
    intake_protocol,
    officer_bodies,
    receiving_bodies,
    report_for,
    reports_visible_to,
)
from docket.intake.subjects import case_url, notices_about, notices_for
from docket.org.models import Membership, Organization, Person
from docket.org.selectors import person_for_user
from docket.web.client import client_ip
from docket.web.mfa import mfa_required

SESSION_REPORT = "intake.report"
SESSION_SEEN = "intake.seen"
REPORTER_IDLE_SECONDS = 30 * 60


def _client(request: HttpRequest) -> str:
    return client_ip(request)


def _zone() -> ZoneInfo:
    org = Organization.objects.first()
    return ZoneInfo(org.time_zone if org else "UTC")


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    with timezone.override(_zone()):
        response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


def _refused(request: HttpRequest, error: RateLimited) -> HttpResponse:
    response = _page(request, "intake/too_many.html", {"error": error}, status=429)
    response["Retry-After"] = str(error.data.get("retry_after", 900))
    return response


def _form_error(form: Any, error: DocketError) -> None:
    field = error.data.get("field")
    form.add_error(field if field in form.fields else None, error.message)


def _bodies_text() -> list[str]:
    try:
        from docket.cases.protocols import parsed

        protocol = parsed(intake_protocol())
    except NotFound:
        return []
    return [protocol.bodies[k].name for k in receiving_bodies(protocol) if k in protocol.bodies]


# --- public ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    try:
        intake_protocol()
    except IntakeClosed:
        return _page(request, "intake/closed.html", {}, status=503)
    form = forms.ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            prepared = [evidence_prepare(f) for f in data["attachments"]]
            done = services.report_submit(
                client=_client(request),
                reporter_role=data["reporter_role"],
                what=data["what"],
                wants=data["wants"],
                contact=data["contact"],
                subject_name=data["subject_name"],
                subject_number=data["subject_number"],
                subject_description=data["subject_description"],
                when=data["when"],
                where=data["where"],
                reporter_name=data["reporter_name"],
                contact_details=data["contact_details"],
                unit=data["unit"],
                attachments=prepared,
            )
        except RateLimited as exc:
            return _refused(request, exc)
        except DocketError as exc:
            if exc.data.get("field") is None and exc.code.startswith("content."):
                form.add_error("attachments", exc.message)
            else:
                _form_error(form, exc)
        else:
            # Post/redirect/get: a refresh of the receipt page never files again.
            response = HttpResponseRedirect(reverse("intake:received"))
            handoff.hand_over(request, response, code=done.code, report=done.report.public_id)
            return response
    return _page(
        request,
        "intake/report_form.html",
        {"form": form, "bodies": _bodies_text()},
        status=400 if form.errors else 200,
    )


@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """The receipt page: the code once, right after the report was filed."""
    placeholder = HttpResponse()
    code, report = handoff.take(request, placeholder)
    response: HttpResponse
    found = IntakeReport.objects.filter(public_id=report).first() if report else None
    if found is None:
        response = HttpResponseRedirect(reverse("intake:report"))
    else:
        context = {"code": code, "report": found, "bodies": _bodies_text()}
        response = _page(request, "intake/received.html", context)
    for cookie in placeholder.cookies.values():  # the key's cookie, dropped
        response.cookies[cookie.key] = cookie
    return response


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    form = forms.FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.receipt_check(code=form.cleaned_data["code"], client=_client(request))
        except RateLimited as exc:
            return _refused(request, exc)
        except services.ReceiptUnknown as exc:
            form.add_error("code", exc.message)
        else:
            request.session.cycle_key()
            request.session[SESSION_REPORT] = report
            request.session[SESSION_SEEN] = int(time.time())
            return HttpResponseRedirect(reverse("intake:reporter_report"))
    return _page(request, "intake/follow.html", {"form": form}, status=400 if form.errors else 200)


def _reporter_report(request: HttpRequest) -> str | None:
    report = request.session.get(SESSION_REPORT)
    seen = request.session.get(SESSION_SEEN, 0)
    if not report or time.time() - seen > REPORTER_IDLE_SECONDS:
        request.session.pop(SESSION_REPORT, None)
        return None
    request.session[SESSION_SEEN] = int(time.time())
    return str(report)


def _reporter_page(
    request: HttpRequest, report: str, *, status: int = 200, **forms_: Any
) -> HttpResponse:
    view = services.reporter_view(report=report)
    context = {
        "view": view,
        "report": view.report,
        "bodies": _bodies_text(),
        "message_form": forms_.get("message_form") or forms.MessageForm(),
        "material_form": forms_.get("material_form") or forms.MaterialForm(),
        "overdue": view.report.acknowledged_at is None
        and view.report.acknowledge_due < clock.now(),
    }
    return _page(request, "intake/reporter_report.html", context, status=status)


@require_GET
def reporter_report(request: HttpRequest) -> HttpResponse:
    report = _reporter_report(request)
    if report is None:
        return HttpResponseRedirect(reverse("intake:follow"))
    return _reporter_page(request, report)


@require_POST
def reporter_message(request: HttpRequest) -> HttpResponse:
    report = _reporter_report(request)
    if report is None:
        return HttpResponseRedirect(reverse("intake:follow"))
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        try:
            services.reporter_message_send(report=report, text=form.cleaned_data["text"])
        except RateLimited as exc:
            return _refused(request, exc)
        except DocketError as exc:
            _form_error(form, exc)
        else:
            return HttpResponseRedirect(reverse("intake:reporter_report") + "#messages")
    return _reporter_page(request, report, status=400, message_form=form)


@require_POST
def reporter_material(request: HttpRequest) -> HttpResponse:
    report = _reporter_report(request)
    if report is None:
        return HttpResponseRedirect(reverse("intake:follow"))
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reporter_material_add(
                report=report, upload=evidence_prepare(form.cleaned_data["file"])
            )
        except RateLimited as exc:
            return _refused(request, exc)
        except DocketError as exc:
            form.add_error("file", exc.message)
        else:
            return HttpResponseRedirect(reverse("intake:reporter_report") + "#materials")
    return _reporter_page(request, report, status=400, material_form=form)


@require_POST
def reporter_formal(request: HttpRequest) -> HttpResponse:
    report = _reporter_report(request)
    if report is None:
        return HttpResponseRedirect(reverse("intake:follow"))
    # Already formal or decided: the page shows the state as it is.
    with contextlib.suppress(DocketError):
        services.report_make_formal(report=report)
    return HttpResponseRedirect(reverse("intake:reporter_report"))


@require_POST
def reporter_leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_REPORT, None)
    request.session.pop(SESSION_SEEN, None)
    request.session.cycle_key()
    return HttpResponseRedirect(reverse("intake:follow") + "?left=1")


# --- officers -------------------------------------------------------------------------------


def _person(request: HttpRequest) -> Person | None:
    return person_for_user(request.user)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    reports = list(reports_visible_to(person).select_related("unit").order_by("acknowledge_due"))
    now = clock.now()
    open_reports = [r for r in reports if r.status in ("new", "acknowledged")]
    decided = [r for r in reports if r.status not in ("new", "acknowledged")]
    context = {
        "bodies": officer_bodies(person),
        "open_reports": open_reports,
        "decided": decided,
        "now": now,
        "notice_count": len(notices_for(person)),
    }
    return _page(request, "intake/queue.html", context)


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    return _page(request, "intake/notices.html", {"notices": notices_for(_person(request))})


def _officer_page(
    request: HttpRequest, report: str, *, status: int = 200, **forms_: Any
) -> HttpResponse:
    person = _person(request)
    try:
        access, view = services.officer_view(by=person, report=report) if person else (None, None)
    except NotFound:
        raise Http404(_("No such report.")) from None
    if access is None or view is None:
        raise Http404(_("No such report."))
    subject = view.document.get("subject", {})
    matched = None
    if subject.get("matched_member"):
        matched = (
            Membership.objects.filter(person__public_id=subject["matched_member"])
            .select_related("person")
            .first()
        )
    convert = forms_.get("convert_form") or forms.ConvertForm(
        initial={"respondent_number": matched.member_number if matched else ""}
    )
    context = {
        "access": access,
        "view": view,
        "report": view.report,
        "subject": subject,
        "matched": matched,
        "notices": notices_about(person, "report", report),
        "case_url": case_url(view.report.case_public_id) if view.report.case_public_id else None,
        "message_form": forms_.get("message_form") or forms.MessageForm(),
        "decline_form": forms_.get("decline_form") or forms.DeclineForm(),
        "convert_form": convert,
        "error": forms_.get("error"),
        "is_open": view.report.status in ("new", "acknowledged"),
        "overdue": view.report.acknowledged_at is None
        and view.report.acknowledge_due < clock.now(),
    }
    return _page(request, "intake/officer_report.html", context, status=status)


@mfa_required
@require_GET
def officer_report(request: HttpRequest, report: str) -> HttpResponse:
    return _officer_page(request, report)


def _officer_action(request: HttpRequest, report: str, action: Any, **forms_: Any) -> HttpResponse:
    try:
        action()
    except NotFound:
        raise Http404(_("No such report.")) from None
    except DocketError as exc:
        return _officer_page(request, report, status=exc.status, error=exc, **forms_)
    return HttpResponseRedirect(reverse("intake:officer_report", args=[report]))


@mfa_required
@require_POST
def officer_acknowledge(request: HttpRequest, report: str) -> HttpResponse:
    person = _person(request)
    if person is None:
        raise Http404
    return _officer_action(
        request, report, lambda: services.report_acknowledge(by=person, report=report)
    )


@mfa_required
@require_POST
def officer_message(request: HttpRequest, report: str) -> HttpResponse:
    person = _person(request)
    if person is None:
        raise Http404
    form = forms.MessageForm(request.POST)
    if not form.is_valid():
        return _officer_page(request, report, status=400, message_form=form)
    text = form.cleaned_data["text"]
    return _officer_action(
        request,
        report,
        lambda: services.officer_message_send(by=person, report=report, text=text),
        message_form=form,
    )


@mfa_required
@require_POST
def officer_decline(request: HttpRequest, report: str) -> HttpResponse:
    person = _person(request)
    if person is None:
        raise Http404
    form = forms.DeclineForm(request.POST)
    if not form.is_valid():
        return _officer_page(request, report, status=400, decline_form=form)
    reasons = form.cleaned_data["reasons"]
    return _officer_action(
        request,
        report,
        lambda: services.report_decline(by=person, report=report, reasons=reasons),
        decline_form=form,
    )


@mfa_required
@require_POST
def officer_convert(request: HttpRequest, report: str) -> HttpResponse:
    person = _person(request)
    if person is None:
        raise Http404
    form = forms.ConvertForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        membership = (
            Membership.objects.filter(member_number__iexact=data["respondent_number"].strip())
            .select_related("person")
            .first()
        )
        if membership is None:
            form.add_error("respondent_number", _("No member has that number."))
    if not form.is_valid():
        return _officer_page(request, report, status=400, convert_form=form)
    assert membership is not None
    return _officer_action(
        request,
        report,
        lambda: services.report_convert(
            by=person,
            report=report,
            respondent=membership.person,
            category=data["category"],
            rule=data["rule"],
            summary=data["summary"],
        ),
        convert_form=form,
    )


@mfa_required
@require_GET
def officer_material(request: HttpRequest, report: str, item: str) -> HttpResponse:
    person = _person(request)
    try:
        access = report_for(person, report)
    except NotFound:
        raise Http404(_("No such report.")) from None
    row: IntakeReport = access.report
    from docket.crypto.models import ContentItem

    found = ContentItem.objects.filter(public_id=item, stream=row.stream, kind="evidence").first()
    if found is None or person is None:
        raise Http404(_("No such file."))
    response = content_download_response(
        item=found, reader=person.public_id, capacity=access.capacity
    )
    # A streamed response; typed as HttpResponse for the decorators' signatures.
    return cast(HttpResponse, response)
