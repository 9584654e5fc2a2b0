"""PDF documents with fpdf2 (pure Python; no system packages, no fonts to install).

``CaseDocument`` is the page frame of every case document: every page carries the
case reference and the ledger head (sequence number and hash) the document reflects,
and "page n of N". Reports are written with a few helpers (headings, paragraphs,
tables, bar charts drawn as rectangles).

The built-in PDF fonts cover Latin-1 only; ``clean`` maps common typographic
characters to plain ones and replaces anything else, so no input can break a document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from .compliance import ComplianceReport
from .suppression import Table

_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2022": "-",
        "\u2192": "->",
        "\u2265": ">=",
        "\u2264": "<=",
    }
)


def clean(text: object) -> str:
    return str(text).translate(_MAP).encode("latin-1", "replace").decode("latin-1")


class Document(FPDF):
    """A plain A4 document with a running footer."""

    footer_text = ""

    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.set_title(clean(title))
        self.set_creator("Docket")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.alias_nb_pages()
        self.add_page()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Helvetica", size=7.5)
        self.set_text_color(80, 80, 80)
        text = f"{self.footer_text}  |  page {self.page_no()} of {{nb}}"
        self.cell(0, 5, clean(text), align="C")
        self.set_text_color(0, 0, 0)

    # -- writing helpers ---------------------------------------------------------------

    def h1(self, text: str) -> None:
        self.set_font("Helvetica", "B", 16)
        self.multi_cell(0, 8, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def h2(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.multi_cell(0, 6.5, clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, *, size: float = 10, bold: bool = False, indent: float = 0) -> None:
        self.set_font("Helvetica", "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent,
            size * 0.5,
            clean(text),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            align="L",
        )

    def grid(self, head: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.set_font("Helvetica", size=9)
        with super().table(
            headings_style=FontFace(emphasis="BOLD", fill_color=(232, 232, 232)),
            line_height=5,
            text_align="LEFT",
            first_row_as_headings=True,
        ) as t:
            r = t.row()
            for h in head:
                r.cell(clean(h))
            for row in rows:
                r = t.row()
                for value in row:
                    r.cell(clean(value))
        self.ln(2)

    def bars(self, labels: Sequence[str], values: Sequence[int | None], note: str = "") -> None:
        """A horizontal bar chart; a value of None (suppressed) is drawn as a hatched stub."""
        top = max([v for v in values if v] or [1])
        width = self.epw - 70
        self.set_font("Helvetica", size=8)
        for label, value in zip(labels, values, strict=True):
            if self.get_y() > self.h - 25:
                self.add_page()
            y = self.get_y()
            self.set_xy(self.l_margin, y)
            self.cell(48, 5, clean(label)[:34])
            if value is None:
                self.set_fill_color(200, 200, 200)
                self.rect(self.l_margin + 50, y + 1, 3, 3, style="F")
                self.set_xy(self.l_margin + 55, y)
                self.cell(30, 5, clean(note or "not shown"))
            else:
                self.set_fill_color(40, 90, 150)
                self.rect(self.l_margin + 50, y + 1, max(width * value / top, 0.3), 3, style="F")
                self.set_xy(self.l_margin + 52 + width * value / top, y)
                self.cell(18, 5, str(value))
            self.set_y(y + 5.5)
        self.ln(2)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


class CaseDocument(Document):
    """Every page: the case reference and the ledger head this document reflects."""

    def __init__(self, title: str, *, reference: str, head_seq: int, head_hash: str) -> None:
        self.footer_text = (
            f"Case {reference}  |  ledger head: event {head_seq}, {head_hash or 'unknown'}"
        )
        self.reference, self.head_seq, self.head_hash = reference, head_seq, head_hash
        super().__init__(title)

    def header(self) -> None:
        self.set_font("Helvetica", size=7.5)
        self.set_text_color(80, 80, 80)
        self.cell(0, 4, clean(f"Docket  |  case {self.reference}  |  confidential"), align="R")
        self.set_text_color(0, 0, 0)
        self.ln(6)


def write_compliance(doc: Document, report: ComplianceReport) -> None:
    """The compliance report's sections into ``doc`` (also used by the case file)."""
    doc.para(f"Protocol: {report.protocol_label} ({report.protocol_id} v{report.protocol_version})")
    doc.para(f"Record: events 1 to {report.head_seq}; judged at {report.when(report.at)}")
    doc.para(
        "Result: no violation of the protocol was found."
        if report.ok
        else f"Result: {len(report.violations)} violation(s) of the protocol.",
        bold=True,
    )
    doc.h2(f"Violations ({len(report.violations)})")
    if not report.violations:
        doc.para("None.")
    for i, v in enumerate(report.violations, start=1):
        doc.para(f"{i}. {v.clause}: {v.text or v.key}", bold=True)
        doc.para(v.reason, indent=5)
        doc.para(f"Body holding the case: {report.body_name(v.body)}", indent=5, size=9)
        for e in v.events:
            doc.para(f"- event {e.seq}, {e.type}, {report.when(e.occurred_at)}", indent=5, size=9)
    doc.h2(f"Deviations ({len(report.deviations)})")
    if not report.deviations:
        doc.para("None.")
    for d in report.deviations:
        doc.para(
            f"Event {d.seq} ({d.action}), {report.when(d.occurred_at)}: by {d.who} for the "
            f"{report.body_name(d.body)}",
            bold=True,
        )
        doc.para(f"Departs from: {', '.join(d.rules)} ({', '.join(d.clauses)})", indent=5)
        doc.para(f"Justification: {d.justification}", indent=5)
    doc.h2(f"Steps refused ({len(report.refused)})")
    if not report.refused:
        doc.para("None.")
    for r in report.refused:
        clauses = ", ".join(c for c in r.clauses if c) or "-"
        doc.para(
            f"Event {r.seq}, {report.when(r.occurred_at)}: {r.title}, {r.by}",
            bold=True,
        )
        doc.para(f"Refused under: {clauses}", indent=5)
    doc.h2(f"Obligations met late or still open ({len(report.obligations)})")
    if report.obligations:
        doc.grid(
            ["Clause", "Obligation", "Owed by", "Due", "Status"],
            [
                [o.clause, o.text, o.owed_by, report.day(o.due), o.status.replace("_", " ")]
                for o in report.obligations
            ],
        )
    else:
        doc.para("None.")
    doc.h2(f"Handovers of the record ({len(report.handovers)})")
    if report.handovers:
        doc.grid(
            ["Event", "Date", "To", "Through event", "Withheld", "Complete"],
            [
                [
                    h.seq,
                    report.day(h.occurred_at),
                    report.body_name(h.to_body),
                    h.through_seq,
                    ", ".join(str(s) for s in h.withheld) or "-",
                    "yes" if h.complete else "no",
                ]
                for h in report.handovers
            ],
        )
    else:
        doc.para("None.")
    without = report.without_record
    doc.h2(f"Bodies that took the case up without the complete earlier record ({len(without)})")
    if not without:
        doc.para("None.")
    for p in without:
        doc.para(
            f"- the {report.body_name(p.body)}, {p.kind} from event {p.start_seq} "
            f"({report.day(p.started_at)}) {report.handover_clause}"
        )


def compliance_pdf(report: ComplianceReport) -> bytes:
    doc = CaseDocument(
        f"Compliance report, case {report.reference}",
        reference=report.reference,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
    )
    doc.h1(f"Compliance report: case {report.reference}")
    write_compliance(doc, report)
    return doc.output_bytes()


def table_rows(t: Table) -> tuple[list[str], list[list[str]]]:
    """A suppressed table as printable rows (labels for small and hidden cells)."""
    head = ["", *(c.replace("_", " ") for c in t.cols), "total"]
    rows = []
    for r in [*range(len(t.rows)), *([-1] if t.has_col_totals else [])]:
        name = t.rows[r] if r >= 0 else "total"
        rows.append([name.replace("_", " "), *(t.label((r, c)) for c in [*range(len(t.cols)), -1])])
    return head, rows


def single_rows(t: Table) -> list[list[str]]:
    """A one-row table turned on its side: one line per column, then the total."""
    return [[c.replace("_", " "), t.label((0, i))] for i, c in enumerate(t.cols)] + [
        ["total", t.label((0, -1))]
    ]


TRANSPARENCY_SECTIONS = (
    ("received", "Cases received, by category"),
    ("decided", "Cases decided, by category and outcome"),
    ("sanctions", "Sanctions in those decisions"),
    ("ended", "Cases closed, by how they ended"),
    ("time_to_decision", "Time from report to decision"),
    ("appeals", "Decisions appealed"),
    ("appeal_outcomes", "Outcomes of those appeals"),
    ("integrity", "Cases active in the period: violations found and deviations recorded"),
)


def transparency_pdf(report: Any) -> bytes:
    """The transparency report (``transparency.TransparencyReport``) as a PDF."""
    doc = Document("Transparency report")
    doc.footer_text = (
        f"Transparency report {report.start.isoformat()} to {report.end.isoformat()}  |  "
        f"counts under {report.threshold} are not shown"
    )
    doc.h1("Transparency report")
    doc.para(f"Period: {report.start.isoformat()} to {report.end.isoformat()}")
    doc.para(
        f"Counts under {report.threshold} (zero included) are shown as 'fewer than "
        f"{report.threshold}'; some other counts are 'not shown' so that small numbers "
        "cannot be worked out from totals. Nothing in this report identifies anyone.",
        size=9,
    )
    tables = dict(report.tables())
    for key, title in TRANSPARENCY_SECTIONS:
        t = tables[key]
        doc.h2(title)
        if t.has_col_totals:
            head, rows = table_rows(t)
            doc.grid(head, rows)
        else:
            doc.grid(["", "cases"], single_rows(t))
            doc.bars(
                [c.replace("_", " ") for c in t.cols],
                [t.shown((0, i)) for i in range(len(t.cols))],
                note=f"fewer than {t.threshold} or not shown",
            )
        if key == "time_to_decision":
            s = report.time_to_decision
            if s.median is None:
                doc.para("Median and quartiles: not shown (too few decisions).")
            else:
                doc.para(
                    f"Median {s.median:g} days; half of the decisions took between "
                    f"{s.p25:g} and {s.p75:g} days."
                )
    doc.h2("Totals")
    for label, value in (
        ("Appeals filed against these decisions", report.appeal_count),
        ("Violations of the protocol found", report.violations_total),
        ("Deviations recorded", report.deviations_total),
    ):
        doc.para(f"{label}: {'not shown' if value is None else value}")
    return doc.output_bytes()
