"""docket restore FOLDER — restore a backup into an empty installation, then verify the
whole ledger against the checkpoint signed when the backup was made."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from docket.core.errors import DocketError


class Command(BaseCommand):
    help = "Restore a backup into an empty database and content store, then verify it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        from docket.ops.backup import restore

        try:
            result = restore(options["folder"])
        except DocketError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(
            f"Restored the backup made {result.manifest['made_at']}: "
            f"{result.streams} chains, {result.events} events."
        )
        if not result.verified:
            for fault in result.faults:
                self.stderr.write(f"  {fault}")
            raise CommandError("The restored ledger does NOT verify.", returncode=1)
        self.stdout.write("The restored ledger verifies against the backup's checkpoint.")
