"""``docket serve``: collect static files, then run Docket under gunicorn.

Static files are served by WhiteNoise from STATIC_ROOT. Without DOCKET_PRODUCTION the
cookies are not marked Secure, so plain HTTP on 127.0.0.1 works for the demo; in
production put a TLS proxy in front and set DOCKET_PRODUCTION=1.

The command replaces itself with gunicorn's master process (``exec``), so the PID it
prints is the server's: SIGTERM stops it gracefully and SIGINT (Ctrl-C) at once, and
either takes the workers with it. Links in notices and invitations use
DOCKET_SITE_URL; when that is unset they use the address given to ``--bind``.
gunicorn's control socket is off: it would let any process of the same user manage the
server, and Docket does not use it.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from docket.core.siteurl import adopt_bind


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
            # Invitation tokens and reset keys never reach the log (docket.ops.accesslog).
            "--logger-class",
            "docket.ops.accesslog.RedactingLogger",
            "--no-control-socket",
        ]
        bound = adopt_bind(options["bind"])
        pid = os.getpid()  # gunicorn keeps it: execv replaces this process
        self.stdout.write(
            f"Docket is serving on {bound or options['bind']}/ "
            f"(process {pid}; Ctrl-C or `kill {pid}` stops it)."
        )
        site = os.environ.get("DOCKET_SITE_URL")
        if site and site != bound:
            self.stdout.write(f"Links in notices and invitations point to {site}/.")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.settings")
        os.execv(sys.executable, argv)  # noqa: S606 — fixed argv, no shell
