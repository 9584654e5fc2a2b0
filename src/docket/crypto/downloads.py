"""Streamed downloads of confidential content that a browser will not render.

The view (written with the case pages) checks access, then returns
:func:`content_download_response`. Whatever the file holds, it is served as an
attachment, with ``nosniff`` and a sandboxing CSP, and anything that could be active
content (HTML, SVG, XML, scripts…) as ``application/octet-stream``: an uploaded page
cannot run in Docket's origin.
"""

from __future__ import annotations

import re

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from docket.crypto.models import ContentItem
from docket.crypto.services import content_open_stream

# Types a browser shows passively; everything else is sent as opaque bytes.
PASSIVE_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "application/pdf",
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
        "audio/x-wav",
        "audio/x-flac",
        "audio/aac",
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }
)
TEXT = "text/plain; charset=utf-8"
OPAQUE = "application/octet-stream"
SANDBOX_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"
_EXTENSIONS = {"text/plain": "txt", "application/pdf": "pdf", "image/jpeg": "jpg"}


def safe_media_type(media_type: str) -> str:
    base = media_type.split(";", 1)[0].strip().lower()
    if base == "text/plain":
        return TEXT
    return base if base in PASSIVE_TYPES else OPAQUE


def safe_download_name(filename: str | None, item: ContentItem) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"';=]", "", name).strip(" .")
    if not name:
        base = item.media_type.split(";", 1)[0]
        ext = _EXTENSIONS.get(base) or base.rsplit("/", 1)[-1].split("+")[0][:8] or "bin"
        name = f"{item.kind}-{item.public_id}.{ext}"
    return name[:200]


def content_download_response(
    *, item: ContentItem | str, reader: str, capacity: str
) -> StreamingHttpResponse:
    """Journal the download and stream the decrypted, authenticated bytes."""
    opened = content_open_stream(item=item, reader=reader, capacity=capacity, action="download")
    response = StreamingHttpResponse(opened.chunks, content_type=safe_media_type(opened.media_type))
    response["Content-Length"] = str(opened.size)
    response["Content-Disposition"] = (
        content_disposition_header(True, safe_download_name(opened.filename, opened.item))
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Frame-Options"] = "DENY"
    return response
