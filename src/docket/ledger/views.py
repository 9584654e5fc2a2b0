"""Public pages of the ledger: the organization's key and its latest checkpoint.

Anyone may read them (they name no case): a party, an appeal body or a court fetches the
key once and checks receipts and case files with it offline (docs/verify.md).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from docket.ledger.checkpoints import published_key
from docket.ledger.log import latest_note


def _text(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def key(request: HttpRequest) -> HttpResponse:
    published = published_key()
    if published is None:
        raise Http404("This deployment has no signing key.")
    return _text(
        "Docket: this organization's public key\n\n"
        f"verifier key: {published.vkey}\n"
        f"fingerprint: {published.fingerprint}\n"
        f"log: {published.origin}\n\n"
        "Check a receipt or case file with it: docs/verify.md, or\n"
        f"  python docket_verify.py receipt receipt.json --key {published.vkey}\n"
    )


@require_GET
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint (a C2SP tlog-checkpoint note), verbatim."""
    latest = latest_note()
    if latest is None:
        raise Http404("No checkpoint yet.")
    return _text(latest.note)
