"""``docket demo``: load the fictional demo organization (idempotent) and say how to sign in."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from docket.core.errors import DocketError
from docket.core.siteurl import site_url
from docket.demo import load_demo


class Command(BaseCommand):
    help = "Create or refresh the fictional demo organization and its accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be loaded; change nothing."
        )
        parser.add_argument(
            "--bind",
            help="host:port `docket serve` will listen on, for the address printed "
            "(default: DOCKET_SITE_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo = load_demo(dry_run=options["dry_run"])
        except DocketError as exc:
            raise CommandError(str(exc)) from exc
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved.")
        self.stdout.write(self.style.SUCCESS("Demo loaded. Everything in it is fictional."))
        for line in demo.notes:
            self.stdout.write(line)
        self.stdout.write("")
        site = settings.DOCKET_SITE_URL
        if options["bind"] and not os.environ.get("DOCKET_SITE_URL"):  # as `docket serve`
            site = site_url(options["bind"]) or site
        self.stdout.write(f"Sign in at {site}/accounts/login/")
