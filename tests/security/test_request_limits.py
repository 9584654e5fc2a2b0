"""Issue 24, finding 7: upload limits were per file, not per request. An anonymous POST
to ``/report/`` with six 25 MiB files took a worker from 176 to 344 MB before the form
refused it (Django allows 100 files). Now a request whose declared length is over
``DOCKET_MAX_REQUEST_BYTES`` is answered 413 before a byte of its body is read, and
Django's parser stops at ``DATA_UPLOAD_MAX_NUMBER_FILES`` files; nothing is stored.

The sizes are scaled down (1 MiB per file, 3 MiB per request) so the test stays light;
the attack is the same."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from tests.intake.test_views import FORM

from docket.crypto.models import ContentItem
from docket.crypto.uploads import BoundedMemoryUploadHandler
from docket.intake.models import IntakeReport
from docket.web.limits import RequestSizeMiddleware

from .test_proxies import PROXY

MiB = 1024 * 1024


@pytest.fixture
def small_limits(settings):
    settings.DOCKET_MAX_UPLOAD_BYTES = 1 * MiB
    settings.DOCKET_MAX_REQUEST_BYTES = 3 * MiB
    settings.DOCKET_TRUSTED_PROXIES = [PROXY]


@pytest.fixture
def received(monkeypatch):
    """How many files and bytes the upload handler was given (i.e. held in memory)."""
    seen = {"files": 0, "bytes": 0}
    new_file = BoundedMemoryUploadHandler.new_file
    receive = BoundedMemoryUploadHandler.receive_data_chunk

    def counting_new_file(self, *args, **kwargs):
        seen["files"] += 1
        return new_file(self, *args, **kwargs)

    def counting_receive(self, raw_data, start):
        seen["bytes"] += len(raw_data)
        return receive(self, raw_data, start)

    monkeypatch.setattr(BoundedMemoryUploadHandler, "new_file", counting_new_file)
    monkeypatch.setattr(BoundedMemoryUploadHandler, "receive_data_chunk", counting_receive)
    return seen


def files(n: int, size: int) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"notes-{i}.txt", b"a" * size, "text/plain") for i in range(n)]


def nothing_stored() -> bool:
    return IntakeReport.objects.count() == 0 and ContentItem.objects.count() == 0


@pytest.mark.django_db
def test_six_large_files_are_refused_before_the_body_is_read(
    client, officers, small_limits, received
):
    response = client.post(
        reverse("intake:report"), {**FORM, "attachments": files(6, 1 * MiB)}, REMOTE_ADDR=PROXY
    )
    assert response.status_code == 413
    assert "no-store" in response["Cache-Control"]
    assert received == {"files": 0, "bytes": 0}
    assert nothing_stored()


@pytest.mark.django_db
def test_too_many_files_are_refused_at_the_sixth(client, officers, small_limits, received):
    response = client.post(
        reverse("intake:report"), {**FORM, "attachments": files(7, 1000)}, REMOTE_ADDR=PROXY
    )
    assert response.status_code == 400
    assert received["files"] <= 5
    assert nothing_stored()


@pytest.mark.django_db
def test_within_the_limits_a_report_with_files_is_taken(client, officers, small_limits):
    response = client.post(
        reverse("intake:report"), {**FORM, "attachments": files(2, 1000)}, REMOTE_ADDR=PROXY
    )
    assert response.status_code == 302  # received; the receipt page follows (PRG)
    assert IntakeReport.objects.count() == 1


class Untouchable(io.RawIOBase):
    def read(self, *args):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the body was read")

    readline = read


def test_the_middleware_never_reads_the_body(settings):
    settings.DOCKET_MAX_REQUEST_BYTES = 3 * MiB
    request = RequestFactory().post("/report/", data=b"", content_type="multipart/form-data")
    request.META["CONTENT_LENGTH"] = str(150 * MiB)
    request.META["wsgi.input"] = Untouchable()
    request._stream = Untouchable()  # type: ignore[attr-defined]

    def view(_request):  # pragma: no cover - reaching it is the failure
        raise AssertionError("the view ran")

    assert RequestSizeMiddleware(view)(request).status_code == 413
    request.META["CONTENT_LENGTH"] = "lots"
    assert RequestSizeMiddleware(view)(request).status_code == 400
