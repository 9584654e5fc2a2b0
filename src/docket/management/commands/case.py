"""docket case import|export|check — whole case records on the command line.

    docket case import FILE [--dry-run] [--recorded-by NAME] [--passphrase-env VAR]
    docket case export REF --out DIR [--sealed --passphrase-env VAR]
    docket case check REF [--json]
    docket case check --file FILE [--json]     (judges a file without storing anything)

``check`` exits 1 when the protocol was breached, 2 on bad input.
"""

from __future__ import annotations

import json
import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError

from docket.core import clock
from docket.core.errors import DocketError


class Command(BaseCommand):
    help = "Import, export and check whole case records."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import an interchange file as a new case.")
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true")
        imp.add_argument("--recorded-by", default="", help="Who is recording this history.")
        imp.add_argument("--passphrase-env", default="", help="Variable holding the passphrase.")
        exp = sub.add_parser("export", help="Write a case as an interchange file.")
        exp.add_argument("reference")
        exp.add_argument("--out", type=Path, required=True, help="A new folder to write into.")
        exp.add_argument("--sealed", action="store_true", help="Encrypt the attachments.")
        exp.add_argument("--passphrase-env", default="")
        exp.add_argument("--reader", default="", help="Who is exporting (journaled).")
        chk = sub.add_parser("check", help="Print the compliance report of a case.")
        chk.add_argument("reference", nargs="?")
        chk.add_argument("--file", type=Path)
        chk.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DocketError as exc:
            raise CommandError(exc.message, returncode=2) from None

    def _passphrase(self, options: dict[str, Any]) -> str | None:
        name = options.get("passphrase_env") or ""
        if not name:
            return None
        value = os.environ.get(name)
        if not value:
            raise CommandError(f"The variable {name} is empty or unset.", returncode=2)
        return value

    def _import(self, options: dict[str, Any]) -> None:
        from docket.cases import interchange
        from docket.cases.services.interchange import case_import

        parsed = interchange.read(options["file"])
        who = options["recorded_by"] or f"cli:{os.environ.get('USER', 'operator')}"
        result = case_import(
            parsed=parsed,
            recorded_by=who,
            passphrase=self._passphrase(options),
            dry_run=options["dry_run"],
        )
        what = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{what} case {parsed.document.case.reference}: {result.events} events, "
            f"{result.content_items} content items, {result.people_created} new people."
        )
        if result.case is not None:
            self.stdout.write(f"Case id: {result.case.public_id}")
        for line in result.violations:
            self.stdout.write(f"  breach of protocol: {line}")

    def _case(self, reference: str) -> Any:
        from docket.cases.models import Case

        found = (
            Case.objects.filter(reference=reference).first()
            or Case.objects.filter(public_id=reference).first()
        )
        if found is None:
            raise CommandError(f"No case {reference}.", returncode=2)
        return found

    def _export(self, options: dict[str, Any]) -> None:
        from docket.cases.services.interchange import case_export

        out: Path = options["out"]
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty; choose a new folder.", returncode=2)
        passphrase = self._passphrase(options)
        if options["sealed"] and not passphrase:
            raise CommandError("--sealed needs --passphrase-env.", returncode=2)
        reader = options["reader"] or f"cli:{os.environ.get('USER', 'operator')}"
        export = case_export(
            case=self._case(options["reference"]),
            reader=reader,
            content="sealed" if options["sealed"] else "plain",
            passphrase=passphrase,
        )
        out.mkdir(parents=True, exist_ok=True)
        for name, data in export.attachments.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        (out / "case.yaml").write_text(
            yaml.safe_dump(export.document, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        self.stdout.write(f"Wrote {out / 'case.yaml'} and {len(export.attachments)} attachments.")

    def _check(self, options: dict[str, Any]) -> None:
        from docket.protocol.engine import evaluate
        from docket.reports.compliance import compliance_from, compliance_report

        if options["file"] is not None:
            from docket.cases import interchange

            parsed = interchange.read(options["file"])
            protocol = _protocol_for(
                parsed.document.case.protocol.id, parsed.document.case.protocol.version
            )
            evaluation = evaluate(protocol, parsed.events, clock.now())
            report = compliance_from(
                protocol, parsed.events, evaluation, reference=parsed.document.case.reference
            )
        elif options["reference"]:
            report = compliance_report(self._case(options["reference"]))
        else:
            raise CommandError("Give a case reference or --file FILE.", returncode=2)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, default=str))
        else:
            self.stdout.write(report.as_text())
        if not report.ok:
            raise CommandError("The protocol was not followed.", returncode=1)


def _protocol_for(protocol_id: str, version: int) -> Any:
    """The adopted version if this installation has it, else a shipped template."""
    from docket.cases.models import ProtocolVersion
    from docket.cases.protocols import parsed, shipped_protocols
    from docket.protocol.loader import load_protocol

    adopted = ProtocolVersion.objects.filter(protocol_id=protocol_id, version=version).first()
    if adopted is not None:
        return parsed(adopted)
    for path in shipped_protocols():
        candidate = load_protocol(path)
        if candidate.protocol.id == protocol_id and candidate.protocol.version == version:
            return candidate
    raise CommandError(f"Protocol {protocol_id} v{version} is not known here.", returncode=2)
