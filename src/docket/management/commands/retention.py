"""``docket retention run [--dry-run] [--today YYYY-MM-DD]`` (thin; see docket.crypto.retention)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from docket.core.errors import DocketError


class Command(BaseCommand):
    help = "Shred the confidential content of cases whose retention period has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="Shred what is due (legal holds are respected).")
        run.add_argument(
            "--dry-run", action="store_true", help="List what would go; change nothing."
        )
        run.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        from rich.console import Console
        from rich.table import Table

        from docket.core import clock
        from docket.crypto.retention import policies, retention_run

        today = options["today"] or clock.now().date()
        dry_run = options["dry_run"]
        if not policies():
            self.stdout.write(
                self.style.WARNING("No retention policy is registered: nothing is due.")
            )
        try:
            plan = retention_run(today=today, dry_run=dry_run)
        except DocketError as exc:
            raise CommandError(str(exc)) from exc
        if not plan:
            self.stdout.write(f"Nothing due for shredding on {today.isoformat()}.")
            return
        title = "would be shredded (dry run)" if dry_run else "retention run"
        table = Table(title=f"{title}, {today.isoformat()}")
        for column in ("case", "due", "items", "status", "reason"):
            table.add_column(column)
        for d in plan:
            status: str = d.status
            if d.status == "due" and dry_run:
                status = "would shred"
            if d.status == "held":
                status = "held: " + "; ".join(d.holds) if d.holds else "held"
            if d.error and d.status == "failed":
                status = f"failed ({d.error})"
            table.add_row(d.stream, d.due.isoformat(), str(d.items), status, d.reason)
        console = Console(file=io.StringIO(), width=160, no_color=True)
        console.print(table)
        self.stdout.write(console.file.getvalue())  # type: ignore[attr-defined]
        failed = [d for d in plan if d.status == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} cases could not be shredded.")
