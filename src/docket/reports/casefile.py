"""The case file: the full record of a case for a body it is handed to.

``case_file_export`` puts the export on the record (``record_export``), then builds

- a PDF of the record as the exporting member sees it for that body: timeline,
  statements (decrypted for that reader; each read is journaled), evidence list,
  decisions and votes, and the compliance report; every page names the case and the
  ledger head it reflects;
- a machine-readable bundle (``docket-casefile/2``): every event of the case exactly as
  stored (canonical bytes, hashes), the statements the PDF shows with their SHA-256, the
  PDF's SHA-256, the receipt (proof bundle) of the head, and the organization's
  signature over all of that (a C2SP signed note, ``proofs.casefile_text``);
- a receipt (``docket.receipt.v2``) for the head.

The receiving body checks all of it offline with the standalone verifier
(``verifier/docket_verify.py``, docs/verify.md) and the organization's public key; it
needs neither Docket nor the sender's database.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from docket.access.selectors import case_for
from docket.cases.acting import load
from docket.core.errors import ConfigurationError, PermissionDenied
from docket.crypto.keyfiles import signing_key
from docket.crypto.models import ContentItem
from docket.crypto.services import content_read_many
from docket.events.registry import event_type
from docket.ledger import chain, note, proofs
from docket.ledger.checkpoints import PublishedKey, published_key, receipt_for
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from .compliance import ComplianceReport, compliance_from
from .pdf import CaseDocument, write_compliance
from .services import record_export

FORMAT = "docket-casefile/2"


@dataclass(frozen=True)
class CaseFile:
    pdf: bytes
    bundle: dict[str, Any]
    receipt: dict[str, Any]
    compliance: ComplianceReport
    export_event: LedgerEvent


def case_file_export(*, by: Person, case: str, for_body: str) -> CaseFile:
    """Export the case file of ``case`` for ``for_body``, as ``by`` may see it."""
    with transaction.atomic():
        standing = case_for(by, case)
        if not standing.full_record:
            raise PermissionDenied(
                "Only those who see the whole record may export the case file.",
                code="export.not_full_record",
            )
        exported = record_export(by=by, case=case, for_body=for_body, format="pdf")
        ctx = load(standing.case, lock=False)
        rows = list(LedgerEvent.objects.filter(stream=ctx.stream).order_by("seq"))
        head = rows[-1]
        report = compliance_from(
            ctx.protocol,
            ctx.events,
            ctx.evaluation,
            reference=ctx.case.reference or ctx.case.public_id,
            head_hash=head.hash,
        )
        statements = _statements(rows, reader=by.public_id, capacity=exported.capacity)
        published = published_key()
        if published is None:
            raise ConfigurationError(
                "The organization's signing key is missing. Run `docket keys init`.",
                code="keys.signing_missing",
            )
        pdf = _pdf(ctx, rows, statements, report, for_body, published)
        receipt = receipt_for(stream=ctx.stream)
        contents = _contents(rows, statements)
        pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        text = proofs.casefile_text(
            stream=ctx.stream,
            head_seq=head.seq,
            head_hash=head.hash,
            pdf_sha256=pdf_sha256,
            contents=[(c["item"], c["seq"], c["sha256"]) for c in contents],
        )
        bundle = {
            "format": FORMAT,
            "case": {
                "reference": report.reference,
                "stream": ctx.stream,
                "protocol": {"id": report.protocol_id, "version": report.protocol_version},
            },
            "for_body": for_body,
            "exported_by": by.public_id,
            "export_seq": exported.seq,
            "head": {"seq": head.seq, "hash": head.hash},
            "pdf_sha256": pdf_sha256,
            "events": [_event_doc(r) for r in rows],
            "contents": contents,
            "compliance": report.as_dict(),
            "receipt": receipt,
            "key": published.vkey,  # a hint: the verifier is given the key it trusts
            "signature": note.sign(text, published.origin, signing_key()),
        }
        return CaseFile(pdf, bundle, receipt, report, exported)


def _event_doc(row: LedgerEvent) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "type": row.type,
        "hash": row.hash,
        "prev_hash": row.prev_hash,
        # The canonical bytes the hash is taken over; everything else is read from them.
        "body": base64.b64encode(bytes(row.body)).decode("ascii"),
    }


def verify_bundle(bundle: dict[str, Any], receipt: dict[str, Any] | None = None) -> list[str]:
    """Problems found in a case-file bundle (empty: the chain is whole and, with a receipt,
    ends at the head the organization signed)."""
    problems: list[str] = []
    stream = bundle["case"]["stream"]
    items = [(base64.b64decode(e["body"]), e["hash"]) for e in bundle["events"]]
    for brk in chain.verify_links(
        items, domain=chain.EVENT_DOMAIN, first_prev=chain.genesis(stream)
    ):
        problems.append(f"event {brk.position}: {brk.problem} ({brk.detail})")
    seqs = [e["seq"] for e in bundle["events"]]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append("events are missing or out of order")
    last = bundle["events"][-1] if bundle["events"] else None
    if last is None or bundle["head"] != {"seq": last["seq"], "hash": last["hash"]}:
        problems.append("the head does not match the last event")
    if receipt is not None and last is not None:
        if receipt.get("stream") != stream:
            problems.append("the receipt is for another case")
        elif (receipt.get("seq"), receipt.get("hash")) != (last["seq"], last["hash"]):
            problems.append("the receipt does not name this bundle's head")
    return problems


def _contents(rows: list[LedgerEvent], statements: dict[str, str]) -> list[dict[str, Any]]:
    """The statements the PDF shows, each with the event that recorded it and the SHA-256
    of its UTF-8 text: the signature covers the hashes, the verifier checks the texts."""
    out = []
    for r in rows:
        item = str(r.payload.get("item", "")) if r.type == "statement.recorded" else ""
        if item in statements:
            text = statements[item]
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            out.append({"item": item, "seq": r.seq, "sha256": digest, "text": text})
    return out


def _statements(rows: list[LedgerEvent], *, reader: str, capacity: str) -> dict[str, str]:
    refs = [str(r.payload["item"]) for r in rows if r.type == "statement.recorded"]
    items = list(ContentItem.objects.filter(public_id__in=refs))
    if not items:
        return {}
    plain = content_read_many(items=items, reader=reader, capacity=capacity)
    return {k: v.decode("utf-8", "replace") for k, v in plain.items()}


def _pdf(
    ctx: Any,
    rows: list[LedgerEvent],
    statements: dict[str, str],
    report: ComplianceReport,
    for_body: str,
    published: PublishedKey,
) -> bytes:
    head = rows[-1]
    doc = CaseDocument(
        f"Case file {report.reference}",
        reference=report.reference,
        head_seq=head.seq,
        head_hash=head.hash,
    )
    doc.h1(f"Case file: case {report.reference}")
    doc.para(f"For the {report.body_name(for_body)}. Protocol: {report.protocol_label}.")
    doc.para(f"Category: {ctx.case.category}. Stage now: {ctx.evaluation.state.stage}.")
    doc.para(
        f"This file reflects the ledger through event {head.seq}, hash {head.hash}. "
        "Anyone can check, without Docket or the sender's database, that this PDF, every "
        "event and every statement are exactly what the organization recorded and signed: "
        "install the standalone verifier (pip install ./verifier, from Docket's source; it "
        "needs only the Python package cryptography) and run "
        "docket-verify casefile bundle.json --pdf casefile.pdf --key KEY "
        "with KEY the organization's public key below. Step by step: docs/verify.md.",
        size=9,
    )
    doc.para(f"The organization's public key: {published.vkey}", size=8)
    doc.para(
        f"Its fingerprint: {published.fingerprint}. Compare it with the one the "
        "organization publishes (its web site's /.well-known/docket-key, its letters).",
        size=8,
    )
    doc.h2("Bodies that held the case")
    doc.grid(
        ["#", "Body", "How", "From event", "Earlier record received"],
        [
            [p.index, report.body_name(p.body), p.kind, p.start_seq,
             "yes" if p.record_received else "no"]
            for p in report.proceedings
        ],
    )  # fmt: skip
    doc.h2("Timeline")
    doc.grid(
        ["#", "When", "What", "Who (capacity)"],
        [
            [r.seq, report.when(r.occurred_at), _summary(r), f"{r.actor} ({r.capacity})"]
            for r in rows
        ],
    )
    doc.h2(f"Statements ({len(statements)})")
    for r in rows:
        if r.type != "statement.recorded":
            continue
        p = r.payload
        doc.para(
            f"{p['label']}: {p['role']} statement by {p['author']}, event {r.seq}, "
            f"{report.day(r.occurred_at)}",
            bold=True,
        )
        doc.para(statements.get(str(p["item"]), "(not available)"), indent=5)
    doc.h2("Evidence and reports")
    material = [r for r in rows if r.type in ("evidence.recorded", "report.prepared")]
    if material:
        doc.grid(
            ["#", "Label", "Kind", "Provided by", "Date"],
            [
                [r.seq, r.payload.get("label", ""), r.type.split(".")[0],
                 r.payload.get("provided_by") or "-", report.day(r.occurred_at)]
                for r in material
            ],
        )  # fmt: skip
    else:
        doc.para("None recorded.")
    doc.h2("Votes")
    state = ctx.evaluation.state
    if state.votes:
        doc.grid(
            # The motion is sealed (issue 24); the vote's title names its sanction.
            ["Vote", "Eligible", "Yes", "No", "Abstain", "Closed"],
            [
                [v.title, len(v.eligible),
                 sum(1 for c in v.casts.values() if c == "yes"),
                 sum(1 for c in v.casts.values() if c == "no"),
                 sum(1 for c in v.casts.values() if c == "abstain"),
                 "yes" if v.closed else "no"]
                for v in state.votes.values()
            ],
        )  # fmt: skip
    else:
        doc.para("None.")
    doc.h2("Decisions")
    if state.decisions:
        doc.grid(
            ["Decision", "Outcome", "Sanctions", "Recommendation", "Ratified", "Overruled"],
            [
                [d.id, d.outcome.replace("_", " "), ", ".join(d.sanctions) or "-",
                 "yes" if d.recommendation else "no", "yes" if d.ratified else "no",
                 "yes" if d.overruled else "no"]
                for d in state.decisions.values()
            ],
        )  # fmt: skip
    else:
        doc.para("None.")
    doc.add_page()
    doc.h1("Compliance report")
    write_compliance(doc, report)
    return doc.output_bytes()


def _summary(row: LedgerEvent) -> str:
    try:
        text = event_type(row.type).summary
    except Exception:  # an unknown type still shows, by name
        text = row.type
    if row.deviation:
        text += " (deviation)"
    return text
