"""Every error the API gives is JSON ``{code, message, data}`` with its HTTP status.

``DocketError`` keeps its own code and status (ProtocolRefusal and Conflict 409 with
the engine's reasons, NotFound 404, InvalidInput 400, PermissionDenied 403). Requests
that do not fit the schema are 422 with the fields at fault. Anything unexpected is
logged and answered 500 with a code only: no traceback, no internals, ever.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from docket.core.errors import DocketError

log = logging.getLogger("docket.api")

# The statuses an operation may answer with an error, for the OpenAPI document.
READ_ERRORS = (400, 401, 403, 404, 410, 422)
WRITE_ERRORS = (400, 401, 403, 404, 409, 410, 413, 415, 422)


def _json(api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _error(code: str, message: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "data": data or {}}


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Location and message only: never the offending input echoed back, nor internals.
    return [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


def install(api: NinjaAPI) -> None:
    def docket_error(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, DocketError)
        status = exc.status if 400 <= exc.status < 500 else 500
        if status == 500:
            log.error("API %s: %s (%s)", request.path, exc.code, type(exc).__name__)
            return _json(api, request, 500, _error(exc.code, "The server could not do this."))
        return _json(api, request, status, exc.as_dict())

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return _json(
            api,
            request,
            422,
            _error(
                "input.invalid",
                "Some of the request does not fit; nothing was changed.",
                {"errors": _field_errors(list(exc.errors))},
            ),
        )

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        response = _json(
            api,
            request,
            401,
            _error(
                "auth.required",
                "Send a valid API token: Authorization: Bearer <token>.",
            ),
        )
        response["WWW-Authenticate"] = 'Bearer realm="docket"'
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        status = exc.status_code if 400 <= exc.status_code < 600 else 400
        return _json(api, request, status, _error(f"http.{status}", str(exc.message)))

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return _json(api, request, 404, _error("not_found", "Not found."))

    def too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        return _json(
            api,
            request,
            413,
            _error("input.too_large", "The request is larger than the API accepts."),
        )

    def suspicious(request: HttpRequest, exc: Any) -> HttpResponse:
        return _json(api, request, 400, _error("input.invalid", "The request was refused."))

    def unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        log.exception("API %s %s failed", request.method, request.path)
        return _json(
            api,
            request,
            500,
            _error("server.error", "Something went wrong on our side."),
        )

    api.add_exception_handler(DocketError, docket_error)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(RequestDataTooBig, too_big)
    api.add_exception_handler(SuspiciousOperation, suspicious)
    api.add_exception_handler(Exception, unexpected)


def answers(out: Any, errors: tuple[int, ...], status: int = 200) -> dict[int, Any]:
    """The ``response=`` of an operation: its success shape and its documented errors."""
    from .schemas import ErrorOut

    return {status: out, **dict.fromkeys(errors, ErrorOut)}
