"""Docket's URLs plus one page nobody gave an access rule: the matrix must notice it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from docket.urls import urlpatterns as docket_urlpatterns


def new_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("new")


extra = ([path("new-page/", new_page, name="new_page_nobody_ruled_on")], "web")

urlpatterns = [path("", include(extra)), *docket_urlpatterns]
