"""``Cache-Control: no-store`` on every answer that carries decrypted content (issue 24,
low); see ``docket.crypto.released``."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from docket.crypto import released


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = released.begin()
        try:
            response = self.get_response(request)
        finally:
            carried = released.end(token)
        if carried:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        return response
