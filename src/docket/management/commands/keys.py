"""``docket keys init|status|rotate|retire``: the organization's keys (thin; see docket.crypto)."""

from __future__ import annotations

import stat
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from docket.core.errors import DocketError


class Command(BaseCommand):
    help = "Create, inspect and rotate the signing key and the key-encryption keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("init", help="Create the signing key and the first KEK if missing.")
        sub.add_parser("status", help="Show key files and which data keys use which KEK.")
        rotate = sub.add_parser(
            "rotate", help="Rewrap every case data key under a new KEK (resumable), then verify."
        )
        rotate.add_argument("--dry-run", action="store_true", help="Report only.")
        rotate.add_argument(
            "--new", action="store_true", help="Start a new rotation even if one is unfinished."
        )
        rotate.add_argument("--no-verify", action="store_true", help="Skip the proof pass.")
        rotate.add_argument("--batch-size", type=int, default=50)
        retire = sub.add_parser("retire", help="Destroy an old KEK no data key uses any more.")
        retire.add_argument("kek", help="e.g. kek-1")
        sub.add_parser("verify", help="Prove that every live item still decrypts.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DocketError as exc:
            raise CommandError(str(exc)) from exc

    def _init(self, options: dict[str, Any]) -> None:
        from docket.crypto import keyfiles

        folder = keyfiles.key_dir()
        made_signing = keyfiles.init_signing_key(folder)
        made_kek = keyfiles.init_kek(folder)
        self.stdout.write(
            f"signing key: {'created' if made_signing else 'present'} "
            f"({folder / keyfiles.SIGNING_KEY_FILE})"
        )
        self.stdout.write(f"key-encryption key: {made_kek + ' created' if made_kek else 'present'}")
        if made_signing or made_kek:
            self.stdout.write(
                self.style.WARNING(
                    f"Back up {folder} now, apart from the database and its backups: "
                    "without these files the encrypted content cannot be read."
                )
            )

    def _status(self, options: dict[str, Any]) -> None:
        from django.db.models import Count

        from docket.crypto import keyfiles
        from docket.crypto.models import CaseKey, ContentItem

        folder = keyfiles.key_dir()
        self.stdout.write(f"key directory: {folder}")
        signing = folder / keyfiles.SIGNING_KEY_FILE
        self.stdout.write(f"  signing key: {'present' if signing.exists() else 'MISSING'}")
        if signing.exists():
            from docket.ledger.checkpoints import published_key

            published = published_key()
            if published is not None:
                # What letters, case files and /.well-known/docket-key publish.
                self.stdout.write(f"  public key (verifier key): {published.vkey}")
                self.stdout.write(f"  fingerprint: {published.fingerprint}")
        in_use = dict(
            CaseKey.objects.filter(shredded_at__isnull=True)
            .values_list("kek_id")
            .annotate(n=Count("id"))
            .values_list("kek_id", "n")
        )
        ids = keyfiles.kek_ids(folder)
        if not ids:
            self.stdout.write(self.style.ERROR("  no key-encryption key: run `docket keys init`"))
        for kek_id in ids:
            mode = stat.S_IMODE(keyfiles.kek_path(kek_id, folder).stat().st_mode)
            flag = "" if mode & 0o077 == 0 else "  (readable by others: chmod 600!)"
            current = " (current)" if kek_id == ids[-1] else ""
            self.stdout.write(
                f"  {kek_id}{current}: wraps {in_use.pop(kek_id, 0)} data keys, mode {mode:o}{flag}"
            )
        for kek_id, n in in_use.items():
            self.stdout.write(self.style.ERROR(f"  {kek_id}: MISSING FILE, wraps {n} data keys"))
        pending = CaseKey.objects.filter(shredded_at__isnull=True)
        if ids:
            pending = pending.exclude(kek_id=ids[-1])
        if ids and pending.exists():
            self.stdout.write(
                self.style.WARNING(
                    f"rotation unfinished: {pending.count()} data keys not under {ids[-1]}; "
                    "run `docket keys rotate` to resume"
                )
            )
        self.stdout.write(
            f"cases with keys: {CaseKey.objects.values('stream').distinct().count()}, "
            f"shredded: {CaseKey.objects.filter(shredded_at__isnull=False).count()}, "
            f"items: {ContentItem.objects.count()} "
            f"({ContentItem.objects.filter(shredded=True).count()} shredded)"
        )

    def _rotate(self, options: dict[str, Any]) -> None:
        from rich.progress import Progress

        from docket.crypto.rotation import keys_rotate

        with Progress(transient=False) as progress:
            task = progress.add_task("rewrapping data keys", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = keys_rotate(
                new_kek=options["new"],
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                on_progress=advance,
            )
        if report.dry_run:
            what = "resume rotation to" if report.resumed else "create a new KEK and rewrap under"
            self.stdout.write(f"dry run: would {what} {report.kek_id}: {report.total} data keys")
            return
        verb = "resumed" if report.resumed else "rotated"
        self.stdout.write(f"{verb}: {report.rewrapped} data keys now wrapped under {report.kek_id}")
        if not options["no_verify"]:
            self._verify(options)

    def _verify(self, options: dict[str, Any]) -> None:
        from rich.progress import Progress

        from docket.crypto.rotation import keys_verify

        with Progress(transient=False) as progress:
            task = progress.add_task("verifying every item", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = keys_verify(on_progress=advance)
        if not report.ok:
            for failure in report.failures[:50]:
                self.stderr.write(f"  FAILED {failure}")
            raise CommandError(
                f"{len(report.failures)} failures; {report.keys} keys and "
                f"{report.items} items verified"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"verified: {report.keys} data keys unwrap, {report.items} items decrypt"
            )
        )

    def _retire(self, options: dict[str, Any]) -> None:
        from docket.crypto.rotation import keys_retire

        keys_retire(options["kek"])
        self.stdout.write(
            f"{options['kek']} destroyed. Destroy its copies in key backups too: only then "
            "are data keys shredded before it was retired gone from old database backups."
        )
