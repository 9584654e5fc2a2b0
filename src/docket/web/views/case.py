"""The case page: the full record for those the protocol gives it, the party portal for
complainants, respondents and their advocates, and a short page for witnesses. The same
URL answers each of them; what it shows comes from their standing in the case."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..casepage import CasePage, case_page
from ..portal import portal_context
from .common import viewer_or_404, with_org_zone


def base_context(page: CasePage) -> dict[str, Any]:
    return {"page": page, "case": page.case}


@require_GET
@with_org_zone
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    page = case_page(viewer_or_404(request), public_id)
    context = base_context(page)
    if page.full_record:
        context["votes"] = vote_rows(page)
        context["hearings"] = hearing_rows(page)
        return render(request, "web/case.html", context)
    if page.side is not None:
        context.update(portal_context(page))
        return render(request, "web/portal.html", context)
    return render(request, "web/case_limited.html", context)


@require_GET
@with_org_zone
def deliberation(request: HttpRequest, public_id: str) -> HttpResponse:
    """The votes of the case, counted live (refreshed by htmx on the case page)."""
    page = case_page(viewer_or_404(request), public_id)
    if not page.full_record:
        from django.http import Http404

        raise Http404("No such case.")
    return render(request, "web/partials/votes.html", {"page": page, "votes": vote_rows(page)})


def vote_rows(page: CasePage) -> list[dict[str, Any]]:
    """Each vote with its quorum and threshold, as the protocol sets them."""
    rules = page.protocol.decisions
    rows = []
    for vote in page.state.votes.values():
        eligible = len(vote.eligible)
        counts = {
            c: sum(1 for v in vote.casts.values() if v == c) for c in ("yes", "no", "abstain")
        }
        threshold = rules.threshold
        if vote.sanction and vote.sanction in page.protocol.sanctions:
            threshold = page.protocol.sanctions[vote.sanction].threshold or threshold
        rows.append(
            {
                "vote": vote,
                "eligible": eligible,
                "cast": len(vote.casts),
                "counts": counts,
                "quorum": rules.quorum,
                "threshold": threshold,
                "quorum_met": _quorum_met(str(rules.quorum), len(vote.casts), eligible),
                "voters": [page.name(p) for p in vote.eligible],
                "voted": [page.name(p) for p in vote.casts],
                "i_voted": page.person.public_id in vote.casts,
                "i_may_vote": page.person.public_id in vote.eligible and not vote.closed,
            }
        )
    return rows


def _quorum_met(quorum: str, cast: int, eligible: int) -> bool:
    if eligible == 0:
        return False
    if quorum == "all":
        return cast >= eligible
    if quorum == "majority":
        return cast * 2 > eligible
    try:
        return cast >= int(quorum)
    except ValueError:
        if "/" in quorum:
            num, den = quorum.split("/", 1)
            return cast * int(den) >= eligible * int(num)
    return False


def hearing_rows(page: CasePage) -> list[dict[str, Any]]:
    hearings: dict[str, dict[str, Any]] = {}
    for e in page.ctx.events:
        p = e.payload
        if e.type == "hearing.scheduled":
            hearings[str(p["hearing_id"])] = {
                "id": p["hearing_id"],
                "at": _parse(p["at"]),
                "notice_to": p.get("notice_to", []),
                "scheduled_seq": e.seq,
                "held": None,
                "adjourned": None,
                "attendance": [],
            }
        elif e.type == "hearing.held" and str(p["hearing_id"]) in hearings:
            row = hearings[str(p["hearing_id"])]
            row["held"] = e.occurred_at
            row["attendance"] = [page.name(a) for a in p.get("attendance", [])]
            row["has_record"] = bool(p.get("record_ref"))
        elif e.type == "hearing.adjourned" and str(p["hearing_id"]) in hearings:
            hearings[str(p["hearing_id"])]["adjourned"] = e.occurred_at
    return list(hearings.values())


def _parse(value: Any) -> Any:
    from datetime import datetime

    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value
