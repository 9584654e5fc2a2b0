"""Protocols: upload and check a YAML file, read it as text, adopt a version.

Checking changes nothing. A file with problems is shown line by line, each problem
next to the line it names. A good file is shown as readable text with a confirmed
"adopt" button; adopted versions are immutable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from docket.cases.models import ProtocolVersion
from docket.cases.protocols import parsed, protocol_adopt
from docket.core.clock import now
from docket.core.errors import DocketError
from docket.org.models import Organization
from docket.protocol.loader import ProtocolInvalid, parse_protocol
from docket.protocol.render import sections
from docket.web.manage.access import actor, administrator_required
from docket.web.manage.forms import ProtocolAdoptForm, ProtocolUploadForm, newlines

MAX_SOURCE_NAME = 200


@dataclass
class Line:
    number: int
    text: str
    problems: list[str] = field(default_factory=list)


def numbered(text: str, problems: list[Any] | None = None) -> tuple[list[Line], list[str]]:
    """The file's lines with each problem attached to its line; problems with no line
    (or past the end) are returned separately."""
    lines = [Line(i, t) for i, t in enumerate(text.splitlines(), start=1)]
    loose: list[str] = []
    for problem in problems or []:
        message = f"{problem.field}: {problem.message}" if problem.field else problem.message
        if 1 <= problem.line <= len(lines):
            lines[problem.line - 1].problems.append(message)
        else:
            loose.append(message)
    return lines, loose


def _today() -> date:
    org = Organization.objects.only("time_zone").first()
    zone = ZoneInfo(org.time_zone if org else "UTC")
    return now().astimezone(zone).date()


@administrator_required
@require_GET
def protocols(request: HttpRequest) -> HttpResponse:
    today = _today()
    groups = []
    versions = ProtocolVersion.objects.defer("text").order_by("protocol_id", "-version")
    for protocol_id, items in groupby(versions, key=lambda v: v.protocol_id):
        listed = list(items)
        in_force = next((v for v in listed if v.adopted_on <= today), None)
        groups.append({"protocol_id": protocol_id, "versions": listed, "in_force": in_force})
    return render(
        request,
        "manage/protocols.html",
        {"groups": groups, "form": ProtocolUploadForm(), "section": "protocols"},
    )


@administrator_required
@require_POST
def protocol_check(request: HttpRequest) -> HttpResponse:
    form = ProtocolUploadForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form, "section": "protocols"}
    if not form.is_valid():
        return render(request, "manage/protocol_check.html", context)
    text = form.cleaned_data["file"]
    source = str(getattr(request.FILES.get("file"), "name", "protocol.yaml"))[:MAX_SOURCE_NAME]
    context["source"] = source
    try:
        protocol = parse_protocol(text, source)
    except ProtocolInvalid as exc:
        lines, loose = numbered(text, exc.problems)
        context.update(lines=lines, loose=loose, problem_count=len(exc.problems))
        return render(request, "manage/protocol_check.html", context, status=400)
    lines, _loose = numbered(text)
    context.update(
        protocol=protocol,
        sections=sections(protocol),
        lines=lines,
        adopt=ProtocolAdoptForm(initial={"text": text, "source": source}),
        existing=ProtocolVersion.objects.filter(
            protocol_id=protocol.protocol.id, version=protocol.protocol.version
        ).first(),
    )
    return render(request, "manage/protocol_check.html", context)


@administrator_required
@require_POST
def protocol_adopt_view(request: HttpRequest) -> HttpResponse:
    form = ProtocolAdoptForm(request.POST)
    if not form.is_valid():
        # Only the confirmation can be missing here: show the check page again.
        text = newlines(request.POST.get("text", ""))
        source = request.POST.get("source", "protocol.yaml")[:MAX_SOURCE_NAME]
        context: dict[str, Any] = {
            "form": ProtocolUploadForm(),
            "section": "protocols",
            "source": source,
            "adopt": form,
        }
        try:
            protocol = parse_protocol(text, source)
        except ProtocolInvalid as exc:
            lines, loose = numbered(text, exc.problems)
            context.update(lines=lines, loose=loose, problem_count=len(exc.problems))
        else:
            context.update(protocol=protocol, sections=sections(protocol), lines=numbered(text)[0])
        return render(request, "manage/protocol_check.html", context)
    try:
        version = protocol_adopt(
            text=form.cleaned_data["text"],
            source=form.cleaned_data["source"],
            actor=actor(request),
        )
    except DocketError as exc:
        messages.error(request, exc.message)
        return redirect("manage:protocols")
    messages.success(
        request,
        _("%(title)s version %(version)s is adopted.")
        % {"title": version.title, "version": version.version},
    )
    return redirect("manage:protocol", protocol_id=version.protocol_id, version=version.version)


@administrator_required
@require_GET
def protocol(request: HttpRequest, protocol_id: str, version: int) -> HttpResponse:
    found = ProtocolVersion.objects.filter(protocol_id=protocol_id, version=version).first()
    if found is None:
        raise Http404
    today = _today()
    in_force = (
        ProtocolVersion.objects.filter(protocol_id=protocol_id, adopted_on__lte=today)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return render(
        request,
        "manage/protocol.html",
        {
            "version": found,
            "sections": sections(parsed(found)),
            "lines": numbered(found.text)[0],
            "in_force": in_force == found.version,
            "section": "protocols",
        },
    )
