"""Docket's REST API (django-ninja), mounted at /api/v1/.

Endpoints are thin: they parse typed input, check access through the case selector,
call a service and shape the answer. See docs/api.md.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.parser import Parser

from . import actions, bodies, cases, members, tokens
from .docs import SameOriginSwagger
from .errors import install

DESCRIPTION = """\
Due-process case management. Authenticate with a personal API token
(`Authorization: Bearer <token>`, made with `docket tokens create`). Each operation
needs a scope; case operations also need the account to have a second sign-in factor
enrolled. Errors are JSON `{code, message, data}`; a protocol refusal is 409 with the
engine's reasons and the clauses they cite. A case you may not see answers 404,
exactly like a case that does not exist.
"""


class ObjectBodyParser(Parser):
    """Request bodies are JSON objects. django-ninja would read a bare string or number
    as an object with every field left at its default; refuse them instead (400)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


def build() -> NinjaAPI:
    api = NinjaAPI(
        title="Docket API",
        version="1",
        description=DESCRIPTION,
        urls_namespace="api",
        docs=SameOriginSwagger(),
        docs_url="/docs",
        openapi_url="/openapi.json",
        parser=ObjectBodyParser(),
    )
    install(api)
    api.add_router("/cases", cases.router)
    api.add_router("/cases", actions.router)
    api.add_router("/complaints", actions.intake)
    api.add_router("/members", members.router)
    api.add_router("/bodies", bodies.router)
    api.add_router("", tokens.router)
    return api


api = build()
