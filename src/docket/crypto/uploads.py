"""Evidence uploads: size limit, type from content, metadata stripped, all in memory.

:func:`evidence_prepare` turns an upload into bytes ready for
:func:`~docket.crypto.services.content_put` (kind ``evidence``). Plaintext never
touches the disk: :class:`BoundedMemoryUploadHandler` keeps uploads in memory (install it
in ``FILE_UPLOAD_HANDLERS``; Django's default handler spools large uploads to a
temporary file), and everything here works on bytes.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass
from typing import Any, NamedTuple

import filetype
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from PIL import Image, ImageOps, UnidentifiedImageError

from docket.crypto.errors import ContentInvalid, ContentTooLarge, ContentTypeRefused

# Media types accepted as evidence, detected from the bytes (never from the name).
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
OTHER_TYPES = frozenset(
    {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
        "audio/mpeg",
        "audio/mp4",
        "audio/ogg",
        "audio/x-wav",
        "audio/x-flac",
        "audio/aac",
        "video/mp4",
        "video/quicktime",
        "video/webm",
    }
)
TEXT_TYPE = "text/plain; charset=utf-8"
ALLOWED_TYPES = frozenset({*IMAGE_TYPES, *OTHER_TYPES, TEXT_TYPE})

# Text that a browser (or an office suite) would treat as markup is refused as text.
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe")


class PreparedEvidence(NamedTuple):
    data: bytes
    media_type: str
    filename: str | None


def _limit() -> int:
    from django.conf import settings

    return int(settings.DOCKET_MAX_UPLOAD_BYTES)


def _too_large(size: int) -> ContentTooLarge:
    limit = _limit()
    return ContentTooLarge(
        f"The file is {size:,} bytes; the largest accepted is {limit:,} bytes.",
        data={"size": size, "limit": limit},
    )


def evidence_prepare(upload: UploadedFile) -> PreparedEvidence:
    """Check and clean an uploaded file; returns (bytes, media type, original filename)."""
    limit = _limit()
    if upload.size is not None and upload.size > limit:
        raise _too_large(upload.size)
    buf = bytearray()
    for chunk in upload.chunks():
        buf += chunk
        if len(buf) > limit:
            raise _too_large(len(buf))
    return evidence_prepare_bytes(data=bytes(buf), filename=upload.name)


def evidence_prepare_bytes(*, data: bytes, filename: str | None) -> PreparedEvidence:
    if len(data) > _limit():
        raise _too_large(len(data))
    if not data:
        raise ContentInvalid("The file is empty.", code="content.empty")
    media_type = detect_media_type(data)
    if media_type in IMAGE_TYPES:
        data, media_type = strip_image_metadata(data, media_type)
    return PreparedEvidence(data, media_type, clean_filename(filename))


def detect_media_type(data: bytes) -> str:
    """The media type from the content, or ``content.type_refused``."""
    kind = filetype.guess(data[:8192])
    if kind is not None:
        if kind.mime in IMAGE_TYPES or kind.mime in OTHER_TYPES:
            return str(kind.mime)
        raise ContentTypeRefused(
            f"Files of type {kind.mime} are not accepted as evidence.",
            data={"detected": kind.mime, "allowed": sorted(ALLOWED_TYPES)},
        )
    if _is_plain_text(data):
        return TEXT_TYPE
    raise ContentTypeRefused(
        "This kind of file is not accepted as evidence (its content is not a recognised "
        "image, document, audio or video format, nor plain text).",
        data={"detected": None, "allowed": sorted(ALLOWED_TYPES)},
    )


def _is_plain_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not any(head.startswith(tag) for tag in _MARKUP) and b"<script" not in data.lower()


def strip_image_metadata(data: bytes, media_type: str) -> tuple[bytes, str]:
    """Re-encode the pixels only: EXIF (GPS, camera, time), XMP, IPTC, comments and
    embedded thumbnails are dropped. The EXIF orientation is applied first, so the image
    still shows the right way up. Static GIFs come back as PNG (lossless)."""
    expected = IMAGE_TYPES[media_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                if im.format != expected:
                    raise ContentTypeRefused(
                        "The image's content does not match its type.",
                        data={"detected": media_type, "decoded": im.format},
                    )
                if getattr(im, "n_frames", 1) > 1:
                    raise ContentTypeRefused(
                        "Animated images are not accepted; upload a still or a video.",
                        code="content.animated_image",
                    )
                upright = ImageOps.exif_transpose(im)
                upright.load()
                pixels = _pixels_only(upright, expected)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ContentTypeRefused(
            "The image could not be read (damaged or disguised file).",
            code="content.bad_image",
        ) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ContentTooLarge(
            "The image has too many pixels to be processed safely.",
            code="content.image_too_large",
        ) from exc
    out = io.BytesIO()
    save: dict[str, Any]
    if expected == "JPEG":
        fmt, save, media_type = "JPEG", {"quality": 92}, "image/jpeg"
    elif expected == "WEBP":
        fmt, save, media_type = "WEBP", {"quality": 90}, "image/webp"
    else:
        fmt, save, media_type = "PNG", {}, "image/png"
    pixels.save(out, format=fmt, **save)
    return out.getvalue(), media_type


def _pixels_only(im: Image.Image, fmt: str) -> Image.Image:
    if fmt == "JPEG":
        if im.mode not in ("L", "RGB", "CMYK"):
            im = im.convert("RGB")
    elif im.mode not in ("1", "L", "LA", "RGB", "RGBA", "I", "I;16"):
        im = im.convert("RGBA")
    # A new image from raw pixels carries no info dict: no metadata can survive.
    return Image.frombytes(im.mode, im.size, im.tobytes())


def clean_filename(name: str | None) -> str | None:
    """Keep the user's name for the file, without path, control or bidi characters."""
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C"
    ).strip(" .")
    return name[:200] or None


@dataclass
class _Spool:
    buffer: io.BytesIO
    seen: int = 0


class BoundedMemoryUploadHandler(FileUploadHandler):
    """Keep every uploaded file in memory, never in a temporary file.

    Bytes beyond ``DOCKET_MAX_UPLOAD_BYTES`` are counted and dropped; the file then
    reports its real ``size`` so :func:`evidence_prepare` refuses it with
    ``content.too_large``. (The front proxy should cap request bodies as well.)
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._spool = _Spool(io.BytesIO())

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        spool = self._spool
        room = _limit() + 1 - spool.buffer.tell()
        if room > 0:
            spool.buffer.write(raw_data[:room])
        spool.seen += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        spool = self._spool
        spool.buffer.seek(0)
        return InMemoryUploadedFile(
            file=spool.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=spool.seen,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
