"""Receipts, verification of the record, and who read what (the access journal)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from docket.core.errors import NotFound
from docket.ledger.checkpoints import org_public_key, receipt_for
from docket.ledger.journal import journal_for_stream
from docket.ledger.models import LedgerHead
from docket.ledger.verify import verify_ledger
from docket.org.models import Person

from ..casepage import case_page
from ..portal import readable_items
from .common import viewer_or_404, with_org_zone

JOURNAL_LIMIT = 500


@require_http_methods(["GET", "POST"])
@with_org_zone
def verify(request: HttpRequest, public_id: str) -> HttpResponse:
    """The record's head, a receipt to keep, and a check that nothing was altered."""
    page = case_page(viewer_or_404(request), public_id)
    head = LedgerHead.objects.filter(stream=page.case.stream).first()
    context = {"page": page, "case": page.case, "head": head, "result": None, "error": ""}
    if request.method == "POST":
        receipts = []
        text = request.POST.get("receipt", "").strip()
        if text:
            try:
                doc = json.loads(text)
                if not isinstance(doc, dict) or doc.get("stream") != page.case.stream:
                    raise ValueError
                receipts.append(doc)
            except ValueError:
                context["error"] = _("That is not a receipt for this case.")
                context["receipt"] = text
                return render(request, "web/verify.html", context, status=400)
        report = verify_ledger(receipts=receipts, org_public_key=org_public_key())
        mine = [
            f
            for f in report.faults
            if f.where in (page.case.stream, "journal", "checkpoint", "receipt", "export")
        ]
        context["result"] = {"ok": not mine, "faults": mine, "receipt_checked": bool(receipts)}
    return render(request, "web/verify.html", context)


@require_GET
@with_org_zone
def receipt(request: HttpRequest, public_id: str) -> HttpResponse:
    """A signed receipt for the record as it stands: keep it to prove it later."""
    page = case_page(viewer_or_404(request), public_id)
    try:
        doc = receipt_for(stream=page.case.stream)
    except NotFound:
        raise Http404("No receipt yet.") from None
    response = HttpResponse(
        json.dumps(doc, indent=2, sort_keys=True), content_type="application/json"
    )
    name = f"receipt-{page.case.reference or page.case.public_id}-{doc['seq']}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
@with_org_zone
def journal(request: HttpRequest, public_id: str) -> HttpResponse:
    """Who read what of this case: for the members of the bodies that hold it or to which
    it was addressed (its authorized reviewers)."""
    page = case_page(viewer_or_404(request), public_id)
    if not (page.full_record and page.standing.bodies):
        raise Http404("No such case.")
    entries = list(journal_for_stream(page.case.stream).order_by("-seq")[:JOURNAL_LIMIT])
    readers = {
        p.public_id: p.display_name
        for p in Person.objects.filter(public_id__in={e.reader for e in entries})
    }
    labels = {r.item: r.label or r.title for r in readable_items(page)}
    for person in page.people.values():
        if person.identity_ref:
            labels[person.identity_ref] = _("identity of %(label)s") % {
                "label": person.display_name
            }
    rows = [
        {
            "entry": e,
            "reader": readers.get(e.reader, e.reader),
            "what": labels.get(e.item.split("#")[0], _("a sealed item")),
        }
        for e in entries
    ]
    return render(request, "web/journal.html", {"page": page, "case": page.case, "rows": rows})
