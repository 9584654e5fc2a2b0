"""URLs of the api area: the ninja API (operations, /openapi.json, /docs) and the
same-origin files of its documentation page."""

from django.urls import URLPattern, URLResolver, path

from .api import api
from .docs import docs_asset

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("docs/assets/<str:name>", docs_asset, name="docs-asset"),
    *api.urls[0],
]
