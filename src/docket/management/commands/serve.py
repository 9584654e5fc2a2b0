"""``docket serve``: collect static files, then run Docket under gunicorn.

Static files are served by WhiteNoise from STATIC_ROOT. Without DOCKET_PRODUCTION the
cookies are not marked Secure, so plain HTTP on 127.0.0.1 works for the demo; in
production put a TLS proxy in front and set DOCKET_PRODUCTION=1.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Docket with gunicorn (collects static files first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="skip collecting static files"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "docket.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
        ]
        self.stdout.write(f"Docket is serving on http://{options['bind']}/ (Ctrl-C stops it).")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.settings")
        os.execv(sys.executable, argv)  # noqa: S606 — fixed argv, no shell
