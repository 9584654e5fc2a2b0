"""A cap on the size of a whole request, checked before its body is read (issue 24,
finding 7).

Upload limits were per file: an anonymous POST to ``/report/`` with six 25 MiB files was
read into memory whole before the form refused it. ``RequestSizeMiddleware`` comes
first in ``MIDDLEWARE`` and answers 413 to any request whose ``Content-Length`` is
above ``DOCKET_MAX_REQUEST_BYTES``, without reading a byte of the body; Django's parser
stops at ``DATA_UPLOAD_MAX_NUMBER_FILES`` files (400). A body without a
``Content-Length`` (chunked) is not read by Django at all. The reverse proxy should
refuse larger bodies itself (nginx ``client_max_body_size``), so they never reach a
worker: docs/operations.md.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def max_request_bytes() -> int:
    return int(settings.DOCKET_MAX_REQUEST_BYTES)


def declared_length(request: HttpRequest) -> int | None:
    """The body length the client declared; ``None`` when absent, -1 when unreadable."""
    raw = request.META.get("CONTENT_LENGTH")
    if raw in (None, ""):
        return None
    try:
        return int(str(raw))
    except ValueError:
        return -1


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = declared_length(request)
        limit = max_request_bytes()
        if length is not None and (length < 0 or length > limit):
            return _too_large(limit, length)
        return self.get_response(request)


def _too_large(limit: int, length: int) -> HttpResponse:
    megabytes = limit // (1024 * 1024)
    response = HttpResponse(
        f"This request is too large ({max(length, 0):,} bytes). Everything sent at once "
        f"(all files together) may be at most {megabytes} MiB; send large files one at a "
        "time, you can add more later.\n",
        status=413 if length >= 0 else 400,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
