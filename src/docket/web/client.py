"""The address of the client of a request, for rate limits (issue 24, finding 5).

``client_ip(request)`` is what allauth's rate limits (through the account adapter) and
Docket's own limits (the public report pages) count by. See ``docket.core.clientaddr``
for the rule; the trusted proxies come from ``DOCKET_TRUSTED_PROXIES``.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from docket.core.clientaddr import client_address, trusted_networks


def client_ip(request: HttpRequest) -> str:
    entries = tuple(getattr(settings, "DOCKET_TRUSTED_PROXIES", ()) or ())
    return client_address(
        str(request.META.get("REMOTE_ADDR") or ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        trusted_networks(entries),
    )
