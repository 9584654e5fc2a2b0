"""docket backup FOLDER — a consistent backup of the database, the content store and a
signed checkpoint (never a copy of a live database file). Keys are kept apart."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from docket.core.errors import DocketError


class Command(BaseCommand):
    help = "Back up the database, the content store and a signed checkpoint into a folder."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("folder", type=Path, help="A new (or empty) folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        from docket.ops.backup import backup

        try:
            result = backup(options["folder"])
        except DocketError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(
            f"Backed up into {result.folder}: {result.files} files, {result.bytes:,} bytes, "
            f"checkpoint {result.checkpoint}. Keep the key folder backed up separately."
        )
