"""The verifier against what Docket itself produces for the reference case (the League's
2013-004): the case file an appeal body receives, and a receipt from early in the case
checked years later against a later checkpoint."""

from __future__ import annotations

import json
import shutil
import subprocess

import docket_verify as dv
import pytest

from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.ledger.checkpoints import checkpoint_make, published_key
from docket.ledger.log import latest_note, receipt_extend
from docket.reports.casefile import case_file_export

REVIEW = "2019-03-26T10:00:00-04:00"  # the 2019 review, as in tests/reports

pytestmark = pytest.mark.django_db


def test_the_reference_case_file_and_an_early_receipt_verify_offline(live, league, tmp_path):
    with frozen_at(at(REVIEW)):
        exported = case_file_export(by=league.person("S5"), case=live.case.public_id, for_body="sc")
    key = dv.parse_key(published_key().vkey)
    bundle = json.loads(json.dumps(exported.bundle))  # as the receiving body reads it
    report = dv.Report()
    dv.check_casefile(bundle, key, report, exported.pdf)
    assert report.ok, [str(f) for f in report.failures]
    assert bundle["contents"], "the reference case has statements"
    if shutil.which("pdftotext"):  # the PDF prints the key and its fingerprint
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=exported.pdf, capture_output=True, check=True
        ).stdout.decode()
        assert published_key().fingerprint in text
        assert "docket-verify casefile" in " ".join(text.split())

    # The receipt of that export is a party's early receipt; the case goes on (a second
    # export is on the record), later checkpoints are made, and the early receipt is
    # checked against the latest one and against the later case file.
    early = json.loads(json.dumps(exported.receipt))
    with frozen_at(at(REVIEW)):
        again = case_file_export(by=league.person("S5"), case=live.case.public_id, for_body="sc")
    checkpoint_make()
    later = latest_note().note
    assert early["seq"] < again.bundle["head"]["seq"]
    extended = json.loads(json.dumps(receipt_extend(early)))
    report = dv.Report()
    dv.check_receipt(extended, key, report, later)
    assert report.ok, [str(f) for f in report.failures]
    report = dv.Report()
    dv.check_casefile(json.loads(json.dumps(again.bundle)), key, report, again.pdf, extended)
    assert report.ok, [str(f) for f in report.failures]
    assert any("still there, unchanged" in p for p in report.passed)

    # The PDF altered by one byte is caught.
    report = dv.Report()
    dv.check_casefile(bundle, key, report, exported.pdf.replace(b"Case file", b"Case File", 1))
    assert report.codes() == ["verify.pdf"]
