"""The verifier against what Docket itself produces for the reference case (the League's
2013-004): the case file an appeal body receives, and a receipt from early in the case
checked years later against a later checkpoint."""

from __future__ import annotations

import json

import docket_verify as dv
import pytest

from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.ledger.checkpoints import checkpoint_make, published_key
from docket.ledger.log import latest_note, receipt_extend, receipt_v2
from docket.ledger.models import Checkpoint
from docket.reports.casefile import case_file_export

REVIEW = "2019-03-26T10:00:00-04:00"  # the 2019 review, as in tests/reports

pytestmark = pytest.mark.django_db


def test_the_reference_case_file_and_an_early_receipt_verify_offline(live, league, tmp_path):
    stream = live.case.stream
    with frozen_at(at(REVIEW)):
        exported = case_file_export(by=league.person("S5"), case=live.case.public_id, for_body="sc")
    key = dv.parse_key(published_key().vkey)
    bundle = json.loads(json.dumps(exported.bundle))  # as the receiving body reads it
    report = dv.Report()
    dv.check_casefile(bundle, key, report, exported.pdf)
    assert report.ok, [str(f) for f in report.failures]
    assert bundle["contents"], "the reference case has statements"
    assert published_key().vkey in exported.pdf.decode("latin-1")

    # The first checkpoint that covered the case: a party's receipt from early on.
    first = next(
        c for c in Checkpoint.objects.order_by("seq") if stream.encode() in bytes(c.leaves)
    )
    early = receipt_v2(stream=stream, checkpoint=first)
    assert early["seq"] < bundle["head"]["seq"]
    checkpoint_make()
    later = latest_note().note
    extended = json.loads(json.dumps(receipt_extend(early)))
    report = dv.Report()
    dv.check_receipt(extended, key, report, later)
    assert report.ok, [str(f) for f in report.failures]
    # ... and what it showed is still in the case file, unchanged.
    report = dv.Report()
    dv.check_casefile(bundle, key, report, exported.pdf, extended)
    assert report.ok, [str(f) for f in report.failures]
    assert any("still there, unchanged" in p for p in report.passed)

    # The PDF altered by one byte is caught.
    report = dv.Report()
    dv.check_casefile(bundle, key, report, exported.pdf.replace(b"Case file", b"Case File", 1))
    assert report.codes() == ["verify.pdf"]
