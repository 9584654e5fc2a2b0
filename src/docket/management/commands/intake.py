"""``docket intake init-key|reindex|queue``: intake housekeeping (thin; see docket.intake)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from docket.core.errors import DocketError


class Command(BaseCommand):
    help = "Intake: the index key, the repeat-subject index of cases, the open reports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("init-key", help="Create the intake index key file if missing.")
        reindex = sub.add_parser(
            "reindex", help="Index every case's respondents for repeat-subject notices."
        )
        reindex.add_argument("--dry-run", action="store_true", help="Report only; change nothing.")
        sub.add_parser("queue", help="Count open reports and overdue acknowledgements.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DocketError as exc:
            raise CommandError(str(exc)) from exc

    def _init_key(self, options: dict[str, Any]) -> None:
        from docket.intake.blind_index import init_key, key_path

        made = init_key()
        self.stdout.write(f"intake index key: {'created' if made else 'present'} ({key_path()})")
        if made:
            self.stdout.write(
                self.style.WARNING("Back up the key directory now, apart from the database.")
            )

    def _reindex(self, options: dict[str, Any]) -> None:
        from docket.intake.subjects import reindex_cases

        class DryRun(Exception):
            pass

        notices = 0
        try:
            with transaction.atomic():
                notices = reindex_cases()
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            self.stdout.write(f"dry run: {notices} new repeat-subject notice(s) would be made")
            return
        self.stdout.write(f"indexed; {notices} new repeat-subject notice(s)")

    def _queue(self, options: dict[str, Any]) -> None:
        from docket.core import clock
        from docket.intake.models import IntakeReport

        open_ = IntakeReport.objects.filter(status__in=["new", "acknowledged"])
        overdue = open_.filter(acknowledged_at__isnull=True, acknowledge_due__lt=clock.now())
        self.stdout.write(
            f"open reports: {open_.count()}; overdue acknowledgements: {overdue.count()}"
        )
