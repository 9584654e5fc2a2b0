"""The API's documentation page under the site's strict CSP.

django-ninja's own page loads Swagger UI from a CDN unless ``ninja`` is an installed
app. Docket serves the Swagger UI files that ship inside the installed django-ninja
package from its own origin (``/api/v1/docs/assets/<name>``), and the page has no
inline script or style: the settings travel in a JSON data block that the (same-origin)
init script reads. The site's CSP is not loosened. The OpenAPI document at
``/api/v1/openapi.json`` is the canonical description; the page is a reader for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-init.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}


class SameOriginSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "persistAuthorization": False,
        }
        return render(
            request,
            "api/docs.html",
            {"title": api.title, "swagger_settings": settings},
        )


@require_GET
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    media_type = ASSETS.get(name)
    if media_type is None:
        raise Http404("No such file.")
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=media_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def docs_asset_url(name: str) -> str:
    return reverse("api:docs-asset", kwargs={"name": name})
