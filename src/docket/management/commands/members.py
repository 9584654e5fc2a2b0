"""``docket members import FILE.csv [--dry-run]`` and ``docket members list``.

Thin: parsing and printing only; the rules live in ``docket.org.services``.
"""

from __future__ import annotations

import getpass
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import IO, Any, cast
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from docket.core.errors import DocketError
from docket.org.selectors import members_at, organization, unit_by_key
from docket.org.services.member_import import (
    ImportPlan,
    PlannedRow,
    member_import_apply,
    member_import_plan,
)


class Command(BaseCommand):
    help = "Import the member roster from CSV, or list members with their unit and standing."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import members from a CSV file.")
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="Report; change nothing.")
        imp.add_argument(
            "--actor",
            default="",
            help="Who is importing, for the record (default: cli:<login name>).",
        )
        lst = sub.add_parser("list", help="List members.")
        lst.add_argument("--at", type=date.fromisoformat, help="As at this date (YYYY-MM-DD).")
        lst.add_argument("--unit", help="Only this unit (key) and the units below it.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Rich writes whole lines itself; Django's wrapper must not add endings of its own.
        self.stdout.ending = ""
        console = Console(file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True)
        try:
            if options["action"] == "import":
                self._import(console, options)
            else:
                self._list(console, options)
        except DocketError as exc:
            raise CommandError(exc.message) from exc

    def _import(self, console: Console, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        plan = member_import_plan(text)
        if plan.errors:
            for error in plan.errors:
                console.print(f"{path.name}: {error}", markup=False)
            raise CommandError(f"{len(plan.errors)} error(s) in {path.name}; nothing was imported.")
        summary = _summary(plan)
        if options["dry_run"]:
            console.print(f"Dry run, nothing changed. Would {summary}.", markup=False)
            return
        actor = options["actor"] or f"cli:{getpass.getuser()}"
        with Progress(
            TextColumn("Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("import", total=len(plan.rows))

            def advance(_row: PlannedRow) -> None:
                progress.advance(task)

            member_import_apply(
                actor=actor, capacity="administrator", plan=plan, source=path.name, on_row=advance
            )
        console.print(f"Imported {path.name}: {summary}.", markup=False)

    def _list(self, console: Console, options: dict[str, Any]) -> None:
        unit = unit_by_key(options["unit"]) if options.get("unit") else None
        zone = ZoneInfo(organization().time_zone)
        rows = members_at(options.get("at"), unit=unit)
        table = Table("Number", "Name", "Unit", "Standing", "Since")
        for row in rows:
            standing = row.standing
            table.add_row(
                row.membership.member_number,
                row.membership.person.display_name,
                row.unit.name if row.unit else "",
                standing.status.label if standing else "",
                f"{standing.since.astimezone(zone):%Y-%m-%d}" if standing else "",
            )
        console.print(table)
        console.print(f"{len(rows)} member(s).", markup=False)


def _summary(plan: ImportPlan) -> str:
    return (
        f"admit {plan.count('admit')}, rename {plan.count('rename')}, "
        f"transfer {plan.count('transfer')}, leave {plan.count('unchanged')} unchanged"
    )
