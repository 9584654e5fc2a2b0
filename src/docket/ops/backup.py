"""Backups that restore: the database (SQLite's online backup API or ``pg_dump``), the
content store, and a freshly signed checkpoint exported beside them.

A backup is a folder::

    manifest.json          what is inside, with the SHA-256 of every file
    database.sqlite3       (SQLite) a consistent copy made with the online backup API
    database.pgdump        (PostgreSQL) pg_dump in its custom format
    checkpoint.json        the checkpoint signed at backup time (detects a later rewrite)
    content/…              the encrypted content store, as is

Key files are NOT in the backup: they are kept apart (see docs/operations.md), so that
a stolen backup reveals no content. ``restore`` refuses a non-empty database, restores
everything, then verifies the whole ledger against the backup's checkpoint.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from docket.core import clock
from docket.core.errors import ConfigurationError, InvalidInput

FORMAT = "docket-backup/1"


class BackupInvalid(InvalidInput):
    code = "backup.invalid"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            yield path


def _db() -> dict[str, Any]:
    # The connection's own settings (under tests, those of the test database).
    return dict(connection.settings_dict)


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = [
        "--host",
        str(db.get("HOST") or "127.0.0.1"),
        "--port",
        str(db.get("PORT") or 5432),
        "--username",
        str(db.get("USER") or "postgres"),
        "--dbname",
        str(db["NAME"]),
    ]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ConfigurationError(
            f"{name} is not installed; install the PostgreSQL client (Debian: postgresql-client).",
            code="backup.tool_missing",
        )
    return found


@dataclass
class BackupResult:
    folder: Path
    files: int
    bytes: int
    checkpoint: int


def backup(folder: Path) -> BackupResult:
    """Write a backup into ``folder`` (which must not exist or be empty)."""
    from docket.ledger.checkpoints import checkpoint_export, checkpoint_make

    if folder.exists() and any(folder.iterdir()):
        raise BackupInvalid(f"{folder} is not empty; choose a new folder.")
    folder.mkdir(parents=True, exist_ok=True)
    # Sign the heads now, so the backup carries proof of exactly what it holds.
    made = checkpoint_make(only_if_changed=True)
    exported = checkpoint_export()
    db = _db()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(folder / "database.sqlite3"))
        try:
            source.backup(target)  # consistent even while Docket is writing
        finally:
            target.close()
            source.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env(db)
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(folder / "database.pgdump"),
                *args,
            ],
            check=True,
            env=env,
            capture_output=True,
        )
    else:
        raise ConfigurationError(f"Backups of {connection.vendor} are not supported.")
    (folder / "checkpoint.json").write_text(json.dumps(exported, indent=2, sort_keys=True))
    content = Path(settings.DOCKET_CONTENT_DIR)
    if content.exists():
        shutil.copytree(content, folder / "content", dirs_exist_ok=True)
    entries = {str(p.relative_to(folder)): _sha256(p) for p in _files(folder)}
    manifest = {
        "format": FORMAT,
        "made_at": clock.now().isoformat(),
        "database": connection.vendor,
        "checkpoint": exported.get("seq"),
        "files": entries,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    size = sum(p.stat().st_size for p in _files(folder))
    return BackupResult(
        folder, len(entries), size, int(exported.get("seq") or (made.seq if made else 0))
    )


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupInvalid(f"{folder} has no readable manifest: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupInvalid(f"{folder} is not a Docket backup ({manifest.get('format')!r}).")
    for name, digest in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupInvalid(f"{name} in the backup is missing or damaged.", data={"file": name})
    return manifest


def _database_is_empty() -> bool:
    from django.db.migrations.recorder import MigrationRecorder

    tables = connection.introspection.table_names()
    if MigrationRecorder.Migration._meta.db_table not in tables:
        return True
    from docket.ledger.models import LedgerEvent

    return "ledger_event" not in tables or not LedgerEvent.objects.exists()


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    verified: bool
    faults: list[str]
    events: int
    streams: int


def restore(folder: Path) -> RestoreResult:
    """Restore a backup into this installation's (empty) database and content store,
    then verify the whole ledger against the backup's checkpoint."""
    manifest = read_manifest(folder)
    if manifest["database"] != connection.vendor:
        raise BackupInvalid(
            f"This backup is of {manifest['database']}; this installation uses {connection.vendor}."
        )
    if not _database_is_empty():
        raise BackupInvalid(
            "The database is not empty; restore into a new, empty database.",
            code="backup.target_not_empty",
        )
    db = _db()
    if connection.vendor == "sqlite":
        connection.close()
        target = Path(str(db["NAME"]))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(str(folder / "database.sqlite3"))
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
    else:
        args, env = _pg_env(db)
        connection.close()
        subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                _tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--clean",
                "--if-exists",
                *args,
                str(folder / "database.pgdump"),
            ],
            check=True,
            env=env,
            capture_output=True,
        )
    content = Path(settings.DOCKET_CONTENT_DIR)
    if (folder / "content").exists():
        shutil.copytree(folder / "content", content, dirs_exist_ok=True)
    from docket.ledger.verify import verify_ledger

    exported = json.loads((folder / "checkpoint.json").read_text())
    report = verify_ledger(exports=[exported])
    return RestoreResult(
        manifest=manifest,
        verified=report.ok,
        faults=[f"{f.where}#{f.seq}: {f.problem}" for f in report.faults],
        events=report.events,
        streams=report.streams,
    )
