"""``docket demo``: load the fictional demo organization (idempotent) and say how to sign in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from docket.core.errors import DocketError
from docket.demo import load_demo


class Command(BaseCommand):
    help = "Create or refresh the fictional demo organization and its accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be loaded; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo = load_demo(dry_run=options["dry_run"])
        except DocketError as exc:
            raise CommandError(str(exc)) from exc
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
        self.stdout.write(self.style.SUCCESS("Demo loaded. Everything in it is fictional."))
        self.stdout.write(f"Sign in at {settings.DOCKET_SITE_URL}/accounts/login/ with:")
        for line in demo.notes:
            self.stdout.write(line)
