"""A URL used only by the download tests (the real views come with the case pages)."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path

from docket.crypto.downloads import content_download_response


def download(request: HttpRequest, public: str) -> StreamingHttpResponse:
    return content_download_response(item=public, reader="person:T1", capacity="investigator")


urlpatterns = [path("content/<str:public>/download", download, name="test-download")]
