"""The crash drill, small: two client processes write ~50 notes through the API of a
real ``docket serve``, the server's whole process group gets kill -9 once mid-load and
is started again; every acknowledged write is in the ledger with its content, the
ledger verifies and the case tables agree with it (issue 12). On SQLite always, and on
PostgreSQL when DATABASE_URL points at PostgreSQL (a throwaway database is created and
dropped). The full drill with its figures is ``bench/crash_drill.py``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import crash_drill  # noqa: E402


def _databases() -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    return (
        ["sqlite", "postgresql"] if url.startswith(("postgres://", "postgresql://")) else ["sqlite"]
    )


def _pg_base() -> str:
    url = urlparse(os.environ.get("DATABASE_URL", ""))
    user = url.username or "postgres"
    auth = f"{user}:{url.password}" if url.password else user
    return f"postgres://{auth}@{url.hostname or '127.0.0.1'}:{url.port or 5432}"


@pytest.mark.parametrize("db", _databases())
def test_acknowledged_writes_survive_kill_9(db: str, tmp_path: Path) -> None:
    res = crash_drill.drill(
        db=db,
        writers=2,
        threads=2,
        writes=50,
        kills=1,
        cases=2,
        workers=2,
        server_threads=2,
        pg_base=_pg_base(),
        home=tmp_path,
        say=lambda _line: None,
    )
    # The server was really killed: the master and both workers.
    assert len(res.killed_pids) == 1
    assert len(res.killed_pids[0]) == 3
    assert res.attempted == 50  # refused connections (server down) are not attempts
    assert res.acknowledged >= 30, res
    assert res.missing_acknowledged == [], res.missing_acknowledged
    assert res.found_acknowledged == res.acknowledged
    assert res.duplicates == 0
    assert res.without_content == 0
    # Nothing appears that was never sent; in-flight writes may be found unacknowledged.
    assert res.acknowledged <= res.found <= res.attempted
    assert res.verify_ok, res.verify_output
    assert res.rebuild_ok, res.rebuild_output
    assert res.passed
