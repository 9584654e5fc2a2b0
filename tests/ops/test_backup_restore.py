"""A backup restores on a clean database with every case, every item of content and a
verifying ledger (issue 12). Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from docket.cases.models import Case
from docket.crypto.models import ContentItem
from docket.demo.other_cases import load as load_other_cases
from docket.demo.reference_live import run_reference_case
from docket.ops.backup import BackupInvalid, backup, read_manifest

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
DOCKET = str(Path(sys.executable).with_name("docket"))

CHECK = """
import django, json
django.setup()
from docket.cases.models import Case
from docket.crypto.models import ContentItem
from docket.crypto.services import content_read
texts = [content_read(item=i, reader="restore-test", capacity="test").decode("utf-8", "replace")
         for i in ContentItem.objects.order_by("public_id")]
print(json.dumps({"cases": sorted(Case.objects.values_list("reference", flat=True)),
                  "items": len(texts), "digest": sorted(hash(t) % 10**9 for t in texts)}))
"""


@pytest.fixture
def target(tmp_path):
    """A new, empty database for the restore, and the environment pointing at it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKET_TEST")}
    env.update(
        DOCKET_VAR_DIR=str(tmp_path / "var"),
        DOCKET_CONTENT_DIR=str(tmp_path / "restored-content"),
        PYTHONHASHSEED="0",
    )
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        yield env
        return
    name = f"restore_{os.getpid()}"
    settings = connection.settings_dict
    user, host = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1"
    base = f"postgres://{user}@{host}:{settings['PORT'] or 5432}"
    psql = ["psql", f"{base}/postgres", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    env["DATABASE_URL"] = f"{base}/{name}"
    yield env
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)


def test_backup_restores_on_a_clean_database(league, keys, settings, tmp_path, target):
    run_reference_case(league)
    from docket.demo import Demo

    load_other_cases(Demo())
    cases = sorted(Case.objects.values_list("reference", flat=True))
    items = ContentItem.objects.count()
    result = backup(tmp_path / "backup")
    assert result.files >= 2  # database and checkpoint (small content is sealed in the database)
    manifest = read_manifest(tmp_path / "backup")
    assert manifest["database"] == connection.vendor
    assert not any("keys" in name for name in manifest["files"])  # keys are kept apart

    env = {**target, "DOCKET_KEY_DIR": str(keys)}
    restored = subprocess.run(
        [DOCKET, "restore", str(tmp_path / "backup")],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "verifies against the backup's checkpoint" in restored.stdout
    seen = subprocess.run(
        [sys.executable, "-c", CHECK],
        env={**env, "DJANGO_SETTINGS_MODULE": "docket.settings"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    found = json.loads(seen.stdout.strip().splitlines()[-1])
    assert found["cases"] == cases
    assert found["items"] == items

    again = subprocess.run(
        [DOCKET, "restore", str(tmp_path / "backup")],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert again.returncode == 2
    assert "not empty" in again.stderr


def test_a_damaged_backup_is_refused(league, keys, tmp_path):
    backup(tmp_path / "backup")
    victim = next(
        p
        for p in (tmp_path / "backup").rglob("*")
        if p.is_file() and p.name not in ("manifest.json",)
    )
    victim.write_bytes(victim.read_bytes() + b"x")
    with pytest.raises(BackupInvalid):
        read_manifest(tmp_path / "backup")
