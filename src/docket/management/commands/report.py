"""``docket report transparency --from DATE --to DATE [--csv FILE | --pdf FILE | --json]``.

The anonymized transparency report for a period (dates inclusive, in the organization's
time zone): plain text by default, or CSV, PDF or JSON. ``-`` as FILE writes CSV or JSON
to standard output.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Reports: the anonymized transparency report for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        t = sub.add_parser("transparency", help="the transparency report for a period")
        t.add_argument("--from", dest="start", required=True, type=_date, metavar="YYYY-MM-DD")
        t.add_argument("--to", dest="end", required=True, type=_date, metavar="YYYY-MM-DD")
        out = t.add_mutually_exclusive_group()
        out.add_argument("--csv", metavar="FILE")
        out.add_argument("--pdf", metavar="FILE")
        out.add_argument("--json", action="store_true")
        t.add_argument("--threshold", type=int, default=5, help="smallest count shown (5)")

    def handle(self, *args: Any, **options: Any) -> None:
        from docket.core.csvsafe import safe_rows
        from docket.reports.pdf import single_rows, table_rows, transparency_pdf
        from docket.reports.transparency import transparency_report

        start, end = options["start"], options["end"]
        if end < start:
            raise CommandError("--to is before --from.")
        if options["threshold"] < 2:
            raise CommandError("--threshold must be at least 2.")
        report = transparency_report(start, end, threshold=options["threshold"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        elif options["csv"]:
            buffer = io.StringIO()
            csv.writer(buffer).writerows(safe_rows(report.csv_rows()))
            self._write(options["csv"], buffer.getvalue().encode("utf-8"))
        elif options["pdf"]:
            if options["pdf"] == "-":
                raise CommandError("--pdf needs a file name.")
            self._write(options["pdf"], transparency_pdf(report))
        else:
            self.stdout.write(f"Transparency report {start} to {end}")
            self.stdout.write(
                f"Counts under {report.threshold} (zero included) show as 'fewer than "
                f"{report.threshold}'; 'not shown' protects them from totals."
            )
            for name, t in report.tables():
                self.stdout.write(f"\n{name.replace('_', ' ')}")
                if t.has_col_totals:
                    head, rows = table_rows(t)
                    self.stdout.write("  " + " | ".join(head))
                    for row in rows:
                        self.stdout.write("  " + " | ".join(row))
                else:
                    for label, value in single_rows(t):
                        self.stdout.write(f"  {label}: {value}")
            s = report.time_to_decision
            if s.median is not None:
                self.stdout.write(
                    f"\nDays from report to decision: median {s.median:g}, "
                    f"middle half {s.p25:g} to {s.p75:g}"
                )

    def _write(self, target: str, data: bytes) -> None:
        if target == "-":
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        Path(target).write_bytes(data)
        self.stderr.write(f"written: {target}")
