"""Reading confidential content: statements, evidence, notices, identities. Every page
here decrypts, so each needs an enrolled authenticator (``mfa_required``); every read is
journaled by ``docket.crypto`` in the same transaction."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from docket.access import disclosure
from docket.crypto.downloads import content_download_response
from docket.crypto.models import ContentItem
from docket.crypto.services import content_read, content_read_many
from docket.org.models import Person

from ..casepage import CasePage, case_page
from ..mfa import mfa_required
from ..portal import readable_items
from .common import viewer_or_404, with_org_zone

TEXT_TYPES = ("text/plain",)


def reading_capacity(page: CasePage) -> str:
    """The capacity in which the person reads (for the access journal)."""
    return disclosure.reading_capacity(page.standing)


@require_GET
@mfa_required
@with_org_zone
def documents(request: HttpRequest, public_id: str) -> HttpResponse:
    page = case_page(viewer_or_404(request), public_id)
    readable = readable_items(page)
    items = list(
        ContentItem.objects.filter(
            public_id__in=[r.item for r in readable], stream=page.case.stream
        )
    )
    texts = [i for i in items if i.media_type.split(";")[0] in TEXT_TYPES and not i.shredded]
    plain = content_read_many(
        items=texts, reader=page.person.public_id, capacity=reading_capacity(page)
    )
    by_id = {i.public_id: i for i in items}
    rows = [
        {
            "readable": r,
            "item": by_id.get(r.item),
            "text": plain[r.item].decode("utf-8", "replace") if r.item in plain else None,
        }
        for r in readable
        if r.item in by_id
    ]
    return render(request, "web/documents.html", {"page": page, "case": page.case, "rows": rows})


@require_GET
@mfa_required
@with_org_zone
def download(request: HttpRequest, public_id: str, item: str) -> HttpResponse:
    page = case_page(viewer_or_404(request), public_id)
    found = ContentItem.objects.filter(public_id=item, stream=page.case.stream).first()
    if found is None or not disclosure.may_read(page.standing, page.state, page.ctx.events, item):
        raise Http404("No such document.")
    response: HttpResponse = content_download_response(  # type: ignore[assignment]
        item=found, reader=page.person.public_id, capacity=reading_capacity(page)
    )
    return response


@require_GET
@mfa_required
@with_org_zone
def identity(request: HttpRequest, public_id: str, person: str) -> HttpResponse:
    """A non-member's real identity, kept with this case: full-record viewers only."""
    page = case_page(viewer_or_404(request), public_id)
    if not page.full_record:
        raise Http404("No such case.")
    subject = Person.objects.filter(public_id=person, pseudonymous=True).first()
    if subject is None or subject.public_id not in page.people or not subject.identity_ref:
        raise Http404("No such person in this case.")
    item = ContentItem.objects.filter(
        public_id=subject.identity_ref, stream=page.case.stream
    ).first()
    if item is None:
        raise Http404("No such person in this case.")
    name = content_read(
        item=item, reader=page.person.public_id, capacity=reading_capacity(page)
    ).decode("utf-8", "replace")
    return render(
        request,
        "web/identity.html",
        {"page": page, "case": page.case, "subject": subject, "identity": name},
    )
