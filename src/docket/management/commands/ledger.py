"""``docket ledger …``: verify, checkpoint, export-checkpoint, receipt, rebuild."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from docket.core.errors import DocketError


class Command(BaseCommand):
    help = "Verify, checkpoint and rebuild the ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check every chain, the journal and checkpoints")
        verify.add_argument(
            "--receipt",
            action="append",
            default=[],
            metavar="FILE",
            help="also prove that the ledger still contains this receipt",
        )
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="also check against this exported checkpoint",
        )
        verify.add_argument("--json", action="store_true", help="print the report as JSON")
        verify.add_argument("--no-progress", action="store_true")

        cp = sub.add_parser("checkpoint", help="sign the heads of all chains now")
        cp.add_argument("--dry-run", action="store_true", help="compute, sign, but do not store")
        cp.add_argument(
            "--if-changed",
            action="store_true",
            help="do nothing when no chain moved since the last checkpoint",
        )

        export = sub.add_parser("export-checkpoint", help="write a checkpoint as a JSON file")
        export.add_argument("--out", metavar="FILE", help="default: standard output")
        export.add_argument("--seq", type=int, help="default: the latest")

        receipt = sub.add_parser("receipt", help="a receipt for a stream's current head")
        receipt.add_argument("stream", nargs="?")
        receipt.add_argument(
            "--extend",
            metavar="FILE",
            help="instead: add to this receipt a proof that the latest checkpoint extends its own",
        )
        receipt.add_argument("--out", metavar="FILE", help="default: standard output")
        receipt.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="use the latest checkpoint even if it predates the head",
        )

        rebuild = sub.add_parser("rebuild", help="rebuild projections from the ledger")
        rebuild.add_argument("--dry-run", action="store_true", help="report differences only")
        rebuild.add_argument(
            "--check",
            action="store_true",
            help="report differences only; exit 1 when there are any",
        )
        rebuild.add_argument("--only", action="append", metavar="PROJECTION")
        rebuild.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(options)
        except DocketError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc

    def _progress(self, quiet: bool) -> Progress:
        return Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            disable=quiet,
            transient=True,
        )

    def do_verify(self, options: dict[str, Any]) -> None:
        from docket.ledger.checkpoints import org_public_key
        from docket.ledger.verify import count_records, verify_ledger

        receipts = [_read_json(path) for path in options["receipt"]]
        exports = [_read_json(path) for path in options["checkpoint"]]
        key = org_public_key()
        quiet = options["no_progress"] or options["json"] or not sys.stderr.isatty()
        with self._progress(quiet) as progress:
            task = progress.add_task("verifying", total=count_records())
            report = verify_ledger(
                receipts=receipts,
                exports=exports,
                org_public_key=key,
                progress=lambda n: progress.advance(task, n),
            )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.stdout.write(
                f"{report.streams} streams, {report.events} events, "
                f"{report.journal_entries} journal entries, {report.checkpoints} checkpoints, "
                f"{report.proofs} receipts/exports checked."
            )
            if key is None:
                self.stderr.write(
                    "note: the signing key is not here; signatures were checked "
                    "against the keys they name only."
                )
            for fault in report.faults:
                self.stdout.write(f"FAULT {fault}")
            self.stdout.write(
                "OK: the ledger is intact."
                if report.ok
                else f"{len(report.faults)} fault(s) found."
            )
        if not report.ok:
            raise CommandError(f"{len(report.faults)} fault(s) found", returncode=1)

    def do_checkpoint(self, options: dict[str, Any]) -> None:
        from docket.ledger.checkpoints import checkpoint_make

        cp = checkpoint_make(dry_run=options["dry_run"], only_if_changed=options["if_changed"])
        if cp is None:
            self.stdout.write("No chain moved since the last checkpoint; none made.")
            return
        verb = "Would make" if options["dry_run"] else "Made"
        self.stdout.write(f"{verb} checkpoint {cp.seq}: {cp.size} chains, root {cp.root}")

    def do_export_checkpoint(self, options: dict[str, Any]) -> None:
        from docket.ledger.checkpoints import checkpoint_export

        self._emit(checkpoint_export(seq=options["seq"]), options["out"])

    def do_receipt(self, options: dict[str, Any]) -> None:
        from docket.ledger.checkpoints import receipt_for
        from docket.ledger.log import receipt_extend

        if options["extend"]:
            doc = receipt_extend(_read_json(options["extend"]))
        elif options["stream"]:
            doc = receipt_for(stream=options["stream"], fresh=not options["no_checkpoint"])
        else:
            raise CommandError("Name a stream, or give --extend FILE.")
        self._emit(doc, options["out"])

    def do_rebuild(self, options: dict[str, Any]) -> None:
        from docket.ledger.projections import count_work, rebuild_all

        write = not (options["dry_run"] or options["check"])
        quiet = options["json"] or not sys.stderr.isatty()
        with self._progress(quiet) as progress:
            task = progress.add_task("rebuilding", total=count_work(options["only"]))
            diffs = rebuild_all(
                write=write, only=options["only"], progress=lambda n: progress.advance(task, n)
            )
        if options["json"]:
            self.stdout.write(json.dumps([d.as_dict() for d in diffs], indent=2))
        else:
            for d in diffs:
                self.stdout.write(
                    f"DIFF {d.projection} {d.stream}: {len(d.missing)} missing, "
                    f"{len(d.extra)} extra row(s)"
                )
                for row in d.missing:
                    self.stdout.write(f"  - missing {json.dumps(row, default=str)}")
                for row in d.extra:
                    self.stdout.write(f"  + extra   {json.dumps(row, default=str)}")
            done = "rewritten" if write else "not written"
            self.stdout.write(
                f"{len(diffs)} difference(s); {done}." if diffs else "Projections match the ledger."
            )
        if diffs and options["check"]:
            raise CommandError(f"{len(diffs)} projection difference(s)", returncode=1)

    def _emit(self, doc: dict[str, Any], out: str | None) -> None:
        text = json.dumps(doc, indent=2, sort_keys=True) + "\n"
        if out:
            Path(out).write_text(text)
            self.stdout.write(f"Wrote {out}")
        else:
            self.stdout.write(text, ending="")


def _read_json(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CommandError(f"{path} is not a JSON object")
    return data
