"""Report pages (thin): fetch through the access selector, call the report functions."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from docket.access.selectors import case_for
from docket.core import clock
from docket.core.csvsafe import safe_rows
from docket.web.overview import Scope
from docket.web.views.common import viewer_or_404, with_org_zone

from . import charts, pdf
from .compliance import compliance_report
from .overview import needs_attention, other_open
from .transparency import INTEGRITY, TransparencyReport, transparency_report


def _full_record_case(request: HttpRequest, public_id: str) -> Any:
    standing = case_for(viewer_or_404(request), public_id)
    if not standing.full_record:
        raise Http404(_("No such case."))
    return standing.case


@with_org_zone
def case_compliance(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _full_record_case(request, public_id)
    report = compliance_report(case)
    return render(
        request, "reports/compliance.html", {"case": case, "report": report, "text": None}
    )


@with_org_zone
def case_compliance_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _full_record_case(request, public_id)
    body = pdf.compliance_pdf(compliance_report(case))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="compliance.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@with_org_zone
def overview(request: HttpRequest) -> HttpResponse:
    """Open cases the viewer follows as a whole: those with violations or overdue duties
    first (every one of them, a page at a time), then the others a page at a time."""
    scope = Scope.of(viewer_or_404(request), clock.now())
    attention = needs_attention(scope, _number(request, "attention"))
    others = other_open(scope, _number(request, "page"))
    return render(
        request,
        "reports/overview.html",
        {
            "attention": attention,
            "others": others,
            # Each list's pager keeps the other list's page.
            "keep_others": f"&page={others.number}" if others.number > 1 else "",
            "keep_attention": f"&attention={attention.number}" if attention.number > 1 else "",
        },
    )


def _number(request: HttpRequest, key: str) -> int:
    raw = request.GET.get(key, "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1


def _period(request: HttpRequest) -> tuple[date, date, str | None]:
    today = timezone.localdate()
    default = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    raw_from, raw_to = request.GET.get("from", ""), request.GET.get("to", "")
    if not raw_from and not raw_to:
        return default[0], default[1], None
    try:
        start, end = date.fromisoformat(raw_from), date.fromisoformat(raw_to)
    except ValueError:
        return default[0], default[1], _("Please give both dates as YYYY-MM-DD.")
    if end < start:
        return default[0], default[1], _("The end of the period is before its start.")
    if end - start > timedelta(days=366 * 20):
        return default[0], default[1], _("Please choose a period of at most 20 years.")
    return start, end, None


OUTCOME_WORDS = {
    "sanction": "a sanction",
    "no_sanction": "no sanction",
    "dismissed": "dismissed",
    "other": "other",
}


def _charts(report: TransparencyReport) -> dict[str, Any]:
    def of(t: Any, title: str) -> Any:
        return charts.bar_chart(
            title,
            [c.replace("_", " ") for c in t.cols],
            [t.shown((0, i)) for i in range(len(t.cols))],
            hidden=_("fewer than %(n)s or not shown") % {"n": t.threshold},
        )

    return {
        "received": of(report.received, _("Cases received, by category")),
        "ended": of(report.ended, _("Cases closed, by how they ended")),
        "durations": of(report.durations, _("Time from report to decision")),
        "integrity": of(report.integrity, _("Violations and deviations")),
    }


@with_org_zone
def transparency(request: HttpRequest) -> HttpResponse:
    start, end, error = _period(request)
    report = transparency_report(start, end)
    single = [
        (key, title, report.__dict__[attr])
        for key, title, attr in (
            ("received", _("Cases received, by category"), "received"),
            ("sanctions", _("Sanctions in decisions of the period"), "sanctions"),
            ("ended", _("Cases closed, by how they ended"), "ended"),
            ("durations", _("Time from report to decision"), "durations"),
            ("appeals", _("Decisions appealed"), "appeals"),
            ("appeal_outcomes", _("Outcomes of those appeals"), "appeal_outcomes"),
            ("integrity", _("Cases active in the period: violations and deviations"), "integrity"),
        )
    ]
    return render(
        request,
        "reports/transparency.html",
        {
            "report": report,
            "error": error,
            "start": start,
            "end": end,
            "charts": _charts(report),
            "singles": [(k, t, _single(tab)) for k, t, tab in single],
            "decided": _cross(report.decided),
            "integrity_labels": INTEGRITY,
        },
    )


def _label(t: Any, cell: tuple[int, int]) -> str:
    return str(
        t.label(cell, small=_("fewer than %(n)s") % {"n": t.threshold}, hidden=_("not shown"))
    )


def _single(t: Any) -> list[tuple[str, str]]:
    return [(c.replace("_", " "), _label(t, (0, i))) for i, c in enumerate(t.cols)] + [
        (_("total"), _label(t, (0, -1)))
    ]


def _cross(t: Any) -> tuple[list[str], list[list[str]]]:
    head = [_("Category"), *(c.replace("_", " ") for c in t.cols), _("total")]
    rows = []
    for r in [*range(len(t.rows)), -1]:
        name = t.rows[r] if r >= 0 else _("total")
        rows.append([name, *(_label(t, (r, c)) for c in [*range(len(t.cols)), -1])])
    return head, rows


@with_org_zone
def transparency_pdf_view(request: HttpRequest) -> HttpResponse:
    start, end, _error = _period(request)
    response = HttpResponse(
        pdf.transparency_pdf(transparency_report(start, end)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="transparency-{start}-{end}.pdf"'
    return response


@with_org_zone
def transparency_csv(request: HttpRequest) -> HttpResponse:
    start, end, _error = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="transparency-{start}-{end}.csv"'
    writer = csv.writer(response)
    for row in safe_rows(transparency_report(start, end).csv_rows()):
        writer.writerow(row)
    return response
