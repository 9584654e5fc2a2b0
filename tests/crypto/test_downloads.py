"""Downloads: streamed, journaled, and never rendered by the browser."""

from __future__ import annotations

import pytest
from tests.crypto.conftest import needs_journal

from docket.crypto.errors import DecryptionFailed
from docket.crypto.store import DirectoryContentStore
from docket.crypto.uploads import evidence_prepare_bytes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.crypto.urls"),
    needs_journal,
]

HTML = b"<!doctype html><html><body><script>fetch('/api/cases').then(r=>r.text())</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'


def fetch(client, item):
    return client.get(f"/content/{item.public_id}/download")


def assert_not_renderable(response):
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert csp.startswith("sandbox")
    assert "default-src 'none'" in csp
    assert response["Cache-Control"] == "no-store, private"


@pytest.mark.parametrize(
    ("data", "claimed", "name"),
    [
        (HTML, "text/html", "evil.html"),
        (SVG, "image/svg+xml", "logo.svg"),
        (HTML, "text/html; charset=utf-8", None),
        (SVG, "application/xhtml+xml", "x.xhtml"),
    ],
)
def test_html_and_svg_are_served_as_opaque_attachments(client, put, data, claimed, name):
    # Even if active content got in (an import, a future bug), it cannot render.
    item = put(data, kind="evidence", media_type=claimed, filename=name)
    response = fetch(client, item)
    assert_not_renderable(response)
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == data
    if name:
        assert f'filename="{name}"' in response["Content-Disposition"]
    else:
        assert f"evidence-{item.public_id}" in response["Content-Disposition"]


def test_uploaded_image_keeps_its_type_and_is_journaled(client, put):
    from tests.crypto.test_uploads import jpeg_with_gps

    from docket.ledger.models import JournalEntry

    prepared = evidence_prepare_bytes(data=jpeg_with_gps(), filename="IMG_1.jpg")
    item = put(
        prepared.data, kind="evidence", media_type=prepared.media_type, filename=prepared.filename
    )
    response = fetch(client, item)
    assert_not_renderable(response)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Length"] == str(len(prepared.data))
    assert b"".join(response.streaming_content) == prepared.data
    entry = JournalEntry.objects.get(stream=item.stream)
    assert (entry.reader, entry.capacity, entry.item, entry.action) == (
        "person:T1",
        "investigator",
        item.public_id,
        "download",
    )


def test_hostile_filenames_are_neutralised(client, put):
    item = put(b"plain", kind="evidence", filename='a"; filename=evil.html\r\nX-Injected: 1')
    response = fetch(client, item)
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert "X-Injected" not in response.headers
    assert disposition.count("filename=") == 1
    assert disposition.endswith('.htmlX-Injected: 1"')  # one quoted, inert name
    item = put(b"plain", kind="evidence", filename="déclaration témoin.txt")
    assert "filename*=utf-8''d%C3%A9claration" in fetch(client, item)["Content-Disposition"]
    assert fetch(client, item)["Content-Type"] == "text/plain; charset=utf-8"


def test_tampered_blob_fails_before_any_byte_is_sent(client, put, dirs):
    from docket.ledger.models import JournalEntry

    item = put(b"x" * 300_000, kind="evidence", media_type="application/pdf")
    path = DirectoryContentStore(dirs.content).path(item.blob)
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 1  # only the last chunk is damaged
    path.write_bytes(bytes(raw))
    with pytest.raises(DecryptionFailed):
        fetch(client, item)
    assert not JournalEntry.objects.filter(stream=item.stream).exists()
