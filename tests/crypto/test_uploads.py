"""Evidence uploads: type from content, metadata stripped, size limit, memory only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.test import RequestFactory
from PIL import ExifTags, Image, PngImagePlugin

from docket.crypto.errors import ContentTooLarge, ContentTypeRefused
from docket.crypto.uploads import (
    TEXT_TYPE,
    clean_filename,
    evidence_prepare,
    evidence_prepare_bytes,
)

GPS_LAT = (52.0, 22.0, 12.34)


def jpeg_with_gps(size: tuple[int, int] = (40, 20), orientation: int | None = None) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Model] = "X-1000 serial 8842"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LAT
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 0.0)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes(), comment=b"taken at R's flat")
    return out.getvalue()


def test_jpeg_gps_and_exif_are_stripped():
    raw = jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as before:  # the fixture really carries GPS
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    prepared = evidence_prepare(SimpleUploadedFile("IMG_0042.jpg", raw, "image/jpeg"))
    assert prepared.media_type == "image/jpeg"
    assert prepared.filename == "IMG_0042.jpg"
    with Image.open(io.BytesIO(prepared.data)) as after:
        assert after.format == "JPEG"
        assert after.size == (40, 20)
        exif = after.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert len(exif) == 0
        assert "comment" not in after.info
        assert "exif" not in after.info
    for leaked in (b"SpyCam", b"serial 8842", b"R's flat", b"Exif\x00\x00"):
        assert leaked not in prepared.data


def test_exif_orientation_is_applied_before_stripping():
    raw = jpeg_with_gps(size=(40, 20), orientation=6)  # "rotate 90° clockwise to view"
    prepared = evidence_prepare_bytes(data=raw, filename="sideways.jpg")
    with Image.open(io.BytesIO(prepared.data)) as after:
        assert after.size == (20, 40)


def test_png_text_chunks_are_stripped():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Witness W2 home address 12 Quay St")
    img = Image.new("P", (8, 8))
    img.putpalette([0, 0, 0, 255, 255, 255] * 128)
    out = io.BytesIO()
    img.save(out, format="PNG", pnginfo=info)
    assert b"Quay St" in out.getvalue()
    prepared = evidence_prepare_bytes(data=out.getvalue(), filename="shot.png")
    assert prepared.media_type == "image/png"
    assert b"Quay St" not in prepared.data
    assert Image.open(io.BytesIO(prepared.data)).size == (8, 8)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.jpg", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"),
        ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("notes.txt", b"<?xml version='1.0'?><svg><script>alert(1)</script></svg>"),
        ("letter.txt", b"Dear panel,\n<script>fetch('/steal')</script>"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),
        ("statement.docx", b"PK\x03\x04" + b"\x00" * 300),
        ("image.jpg", b"\x00\x01\x02\x03binary junk" * 20),
    ],
)
def test_disguised_files_are_refused(name, data):
    with pytest.raises(ContentTypeRefused) as err:
        evidence_prepare(SimpleUploadedFile(name, data, "image/jpeg"))
    assert err.value.code == "content.type_refused"


def test_damaged_image_with_right_magic_is_refused():
    raw = jpeg_with_gps()[:40]
    with pytest.raises(ContentTypeRefused) as err:
        evidence_prepare_bytes(data=raw, filename="x.jpg")
    assert err.value.code == "content.bad_image"


def test_animated_gif_is_refused():
    frames = [Image.new("RGB", (4, 4), c) for c in ((255, 0, 0), (0, 255, 0))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(ContentTypeRefused) as err:
        evidence_prepare_bytes(data=out.getvalue(), filename="a.gif")
    assert err.value.code == "content.animated_image"


def test_plain_text_and_pdf_are_accepted():
    text = evidence_prepare_bytes(data="Notes from the call — 3 pages".encode(), filename="n.txt")
    assert text.media_type == TEXT_TYPE
    pdf = evidence_prepare_bytes(data=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", filename="r.pdf")
    assert pdf.media_type == "application/pdf"


def test_size_limit(settings):
    settings.DOCKET_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ContentTooLarge) as err:
        evidence_prepare(SimpleUploadedFile("big.txt", b"a" * 1001, "text/plain"))
    assert err.value.code == "content.too_large"
    assert err.value.data == {"size": 1001, "limit": 1000}
    assert evidence_prepare(SimpleUploadedFile("ok.txt", b"a" * 1000, "text/plain")).data


def test_filenames_lose_paths_and_control_characters():
    assert clean_filename("C:\\Users\\c\\Desktop\\stmt.pdf") == "stmt.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("evil\u202egpj.exe") == "evilgpj.exe"
    assert clean_filename("a\r\nb.txt") == "ab.txt"
    assert clean_filename("  ") is None


def test_upload_handler_keeps_files_in_memory_and_reports_real_size(settings, tmp_path):
    settings.FILE_UPLOAD_HANDLERS = ["docket.crypto.uploads.BoundedMemoryUploadHandler"]
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # Django's default handler would spool to disk
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.DOCKET_MAX_UPLOAD_BYTES = 3000
    for size, ok in ((2000, True), (5000, False)):
        request = RequestFactory().post(
            "/upload", {"file": SimpleUploadedFile("s.txt", b"b" * size, "text/plain")}
        )
        upload = request.FILES["file"]
        assert isinstance(upload, InMemoryUploadedFile)
        assert upload.size == size
        if ok:
            assert evidence_prepare(upload).data == b"b" * size
        else:
            with pytest.raises(ContentTooLarge):
                evidence_prepare(upload)
    assert list(tmp_path.iterdir()) == []
