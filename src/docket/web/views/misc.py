from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@login_required
def mfa_needed(request: HttpRequest) -> HttpResponse:
    """Why a second factor is needed before reading confidential content, and where to
    set one up."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return render(
        request,
        "web/mfa_needed.html",
        {"next": target, "administration": target.startswith("/manage/")},
    )
