"""``docket protocol check FILE...`` and ``docket protocol show FILE``.

Thin: loading and validation live in ``docket.protocol.loader``, the plain-text
rendering in ``docket.protocol.render``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from docket.core.errors import DocketError
from docket.protocol.loader import ProtocolInvalid, load_protocol
from docket.protocol.render import render_text


class Command(BaseCommand):
    help = "Validate protocol files, or print one as text a member can follow."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check", help="Validate protocol files; list every problem as file:line: field."
        )
        check.add_argument("files", nargs="+", type=Path, metavar="FILE")
        show = sub.add_parser("show", help="Print a protocol as readable text.")
        show.add_argument("file", type=Path, metavar="FILE")
        show.add_argument("--width", type=int, default=88, help="Wrap lines at this width.")
        adopt = sub.add_parser(
            "adopt", help="Record protocol files as adopted versions (cases bind to them)."
        )
        adopt.add_argument("files", nargs="*", type=Path, metavar="FILE")
        adopt.add_argument("--shipped", action="store_true", help="Adopt every shipped template.")
        adopt.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self._check(options["files"])
        elif options["action"] == "adopt":
            self._adopt(options["files"], shipped=options["shipped"], dry_run=options["dry_run"])
        else:
            self._show(options["file"], options["width"])

    def _check(self, files: list[Path]) -> None:
        failed = 0
        for file in files:
            try:
                protocol = load_protocol(file)
            except ProtocolInvalid as exc:
                failed += 1
                for problem in exc.problems:
                    self.stderr.write(problem.render(exc.source))
                continue
            self.stdout.write(
                f"{file}: ok — {protocol.label}, {len(protocol.actions)} actions, "
                f"{len(protocol.rules)} rules"
            )
        if failed:
            raise CommandError(
                f"{failed} of {len(files)} protocol file(s) have problems.", returncode=1
            )

    def _adopt(self, files: list[Path], *, shipped: bool, dry_run: bool) -> None:
        from django.db import transaction

        from docket.cases.protocols import protocol_adopt_file, shipped_protocols

        paths = [*files, *(shipped_protocols() if shipped else [])]
        if not paths:
            raise CommandError("Name protocol files, or use --shipped.", returncode=2)
        try:
            with transaction.atomic():
                for path in paths:
                    version = protocol_adopt_file(path, actor="cli")
                    self.stdout.write(f"{path}: adopted as {version}")
                if dry_run:
                    transaction.set_rollback(True)
                    self.stdout.write("Dry run: nothing was recorded.")
        except ProtocolInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(problem.render(exc.source))
            raise CommandError("Nothing was adopted.", returncode=1) from None
        except DocketError as exc:
            raise CommandError(exc.message, returncode=2) from None

    def _show(self, file: Path, width: int) -> None:
        try:
            protocol = load_protocol(file)
        except ProtocolInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(problem.render(exc.source))
            raise CommandError(f"{file} is not a valid protocol.", returncode=1) from None
        self.stdout.write(render_text(protocol, width=max(width, 40)), ending="")
