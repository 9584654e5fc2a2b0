"""PDF documents and the case file: every page names the case and the ledger head; the
bundle and receipt let a receiving body check the record; the export is on the record."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from tests.protocol.history import PROTOCOLS, REVIEW_DAY, reference_events

from docket.core.clock import frozen_at
from docket.core.errors import NotFound, PermissionDenied
from docket.demo.reference_live import at
from docket.ledger.journal import journal_for_stream
from docket.ledger.selectors import stream_events
from docket.protocol.engine import evaluate
from docket.protocol.loader import load_protocol
from docket.reports.casefile import case_file_export, verify_bundle
from docket.reports.compliance import compliance_from
from docket.reports.pdf import compliance_pdf, transparency_pdf

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REVIEW = "2019-03-26T10:00:00-04:00"


def pdftools() -> bool:
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return True
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "poppler-utils"], capture_output=True, check=False
        )
    return bool(shutil.which("pdftoppm") and shutil.which("pdftotext"))


def pages_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [p for p in text.split("\f") if p.strip()]


def to_png(pdf: bytes, name: str, tmp_path: Path) -> list[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    prefix = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(prefix)], check=True)
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


needs_poppler = pytest.mark.skipif(
    not pdftools(), reason="pdftoppm/pdftotext (Debian poppler-utils) missing and cannot install"
)


def test_pdfs_are_valid_without_system_tools():
    protocol = load_protocol(PROTOCOLS / "league-v1.yaml")
    events = reference_events()
    report = compliance_from(
        protocol, events, evaluate(protocol, events, REVIEW_DAY), reference="2013-004",
        head_hash="ab" * 32,
    )  # fmt: skip
    pdf = compliance_pdf(report)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


@needs_poppler
def test_compliance_pdf_every_page_names_case_and_head(tmp_path):
    protocol = load_protocol(PROTOCOLS / "league-v1.yaml")
    events = reference_events()
    report = compliance_from(
        protocol, events, evaluate(protocol, events, REVIEW_DAY), reference="2013-004",
        head_hash="ab" * 32,
    )  # fmt: skip
    pages = pages_text(compliance_pdf(report), tmp_path)
    assert pages
    for i, page in enumerate(pages, start=1):
        assert "Case 2013-004" in page
        assert "ab" * 32 in page
        assert f"page {i} of {len(pages)}" in page
    text = "\n".join(pages)
    for clause in ("s.4.2", "s.4.3", "s.7.3"):
        assert clause in text
    assert "W1, W2 and W3" in text
    assert to_png(compliance_pdf(report), "reports-compliance-history", tmp_path)


@pytest.fixture
def exported(live, league):
    with frozen_at(at(REVIEW)):
        return case_file_export(by=league.person("S5"), case=live.case.public_id, for_body="sc")


@pytest.mark.django_db
def test_case_file_export_is_on_the_record_and_verifiable(live, league, exported, tmp_path):
    stream = live.case.stream
    rows = stream_events(stream)
    last = rows[-1]
    assert last.type == "record.exported"
    assert last.payload == {"for_body": "sc", "through_seq": last.seq - 1, "format": "pdf"}
    assert last.actor == league.person("S5").public_id
    assert exported.export_event.seq == last.seq

    bundle = json.loads(json.dumps(exported.bundle))
    assert bundle["format"] == "docket-casefile/2"
    assert bundle["head"] == {"seq": last.seq, "hash": last.hash}
    assert len(bundle["events"]) == last.seq
    assert verify_bundle(bundle, exported.receipt) == []
    assert exported.receipt["hash"] == last.hash

    # The receiving body checks the organization's ledger against the receipt.
    receipt = tmp_path / "receipt.json"
    receipt.write_text(json.dumps(exported.receipt))
    call_command("ledger", "verify", "--receipt", str(receipt), "--no-progress")

    # Any change to the bundle is caught.
    tampered = json.loads(json.dumps(bundle))
    body = base64.b64decode(tampered["events"][4]["body"]).replace(b"2013", b"2014", 1)
    tampered["events"][4]["body"] = base64.b64encode(body).decode()
    assert verify_bundle(tampered, exported.receipt)
    dropped = {**bundle, "events": bundle["events"][:-1]}
    assert verify_bundle(dropped, exported.receipt)

    # The statements were read by the exporter, and each read is journaled.
    reads = journal_for_stream(stream).filter(reader=league.person("S5").public_id)
    assert reads.count() >= 7


@pytest.mark.django_db
@needs_poppler
def test_case_file_pdf_pages(live, exported, tmp_path):
    last = stream_events(live.case.stream)[-1]
    pages = pages_text(exported.pdf, tmp_path)
    assert len(pages) >= 3
    for i, page in enumerate(pages, start=1):
        assert "Case 2013-004" in page
        assert last.hash in page.replace("\n", "")
        assert f"event {last.seq}" in page
        assert f"page {i} of {len(pages)}" in page
    text = "\n".join(pages)
    for needle in (
        "Timeline",
        "Statements (7)",
        "R's party",  # C's statement, decrypted for the exporter
        "W4, interviewed by the Appeals Committee",
        "Votes",
        "Decisions",
        "Compliance report",
        "no violation",
    ):
        assert needle in text, needle
    pngs = to_png(exported.pdf, "reports-case-file", tmp_path)
    assert len(pngs) == len(pages)


@pytest.mark.django_db
def test_export_needs_the_full_record(live, league):
    with frozen_at(at(REVIEW)):
        with pytest.raises(PermissionDenied):
            case_file_export(by=league.person("R"), case=live.case.public_id, for_body="sc")
        with pytest.raises(NotFound):
            case_file_export(by=league.person("BC1"), case=live.case.public_id, for_body="sc")
    assert stream_events(live.case.stream)[-1].type != "record.exported"


@pytest.mark.django_db
@needs_poppler
def test_transparency_pdf(protocols, tmp_path):
    from docket.reports.synthetic import generate
    from docket.reports.transparency import transparency_report

    generate(10_000, seed=3)
    report = transparency_report(date(2021, 1, 1), date(2021, 12, 31))
    pdf = transparency_pdf(report)
    pages = pages_text(pdf, tmp_path)
    text = "\n".join(pages)
    assert "Transparency report" in text
    assert f"{report.received.values[(0, -1)]}" in text
    assert "S-0" not in text  # no synthetic case reference leaks
    assert to_png(pdf, "reports-transparency", tmp_path)
