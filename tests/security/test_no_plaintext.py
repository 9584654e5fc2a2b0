"""Issue 6: no confidential plaintext at rest or in the logs.

The reference case is run live (``docket.demo.reference_live``) on a real database,
committed, with every SQL statement logged at DEBUG with its parameters. Then the
database (on SQLite: the database file and its WAL, byte by byte, after a checkpoint;
on PostgreSQL: every text, bytea and JSON column of every table), the content store
and the captured logs are searched for every confidential text the run handled. None
may be found. A positive control (texts the ledger keeps in clear on purpose) proves
each scan can see what is there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from docket.demo.reference_live import STATEMENTS, run_reference_case

pytestmark = pytest.mark.django_db(transaction=True)

# Everything the reference run seals: statements, the complainant's real name, the
# allegation summary, the notice, the decision's rationale, and every reason, note,
# letter and answer written in prose.
SECRETS = [
    *STATEMENTS.values(),
    "Dana Ortiz",
    "C says R assaulted her at a party R hosted.",
    "You are alleged to have assaulted a guest at your party.",
    "Without C's participation there is no compelling evidence for expulsion.",
    "C's account, given to the Harbor branch executive.",
    "Serious; beyond the branch.",
    "Received by the NDC.",
    "For the duration of the proceeding, to protect everyone.",
    "R was never shown the witness statements, and no hearing was offered",
    "The panel did not disclose statements or hold a hearing.",
    "The NDC proceeding broke s.4.2 and s.4.3.",
    "The objection is upheld; the proceeding is annulled.",
    "A fresh investigation without prejudice.",
    "R's written answer to the statements of W4, W5 and W2.",
    "Notes of the hearing before the Appeals Committee.",
    "The case is decided.",
    "A former NDC member asks for corrective action.",
    "To review the 2013 case and correct its mistakes.",
    "Recommend expulsion",  # a vote's motion, sealed since issue 24 (finding 6)
]
# Kept in clear on purpose (structured facts, not confidential content).
IN_CLEAR = ["physical misconduct"]


def _found(haystack: bytes, needles: list[str]) -> list[str]:
    lower = haystack.lower()
    return [n for n in needles if n.lower().encode("utf-8") in lower]


def _files(root: Path) -> Iterator[Path]:
    yield from (p for p in sorted(root.rglob("*")) if p.is_file())


@pytest.fixture
def live_run(settings, tmp_path, caplog, request):
    from django.core.management import call_command

    from docket.cases.protocols import protocol_adopt_file
    from docket.crypto.keyfiles import init_signing_key
    from docket.demo.league import build_league

    settings.DOCKET_KEY_DIR = tmp_path / "keys"
    settings.DOCKET_CONTENT_DIR = tmp_path / "content"
    settings.DOCKET_CONTENT_INLINE_MAX = request.param
    init_signing_key()
    call_command("keys", "init", verbosity=0)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django's own config says INFO
    debug_cursor = connection.force_debug_cursor
    connection.force_debug_cursor = True  # every statement logged with its parameters
    try:
        protocol_adopt_file(Path(settings.DOCKET_PROTOCOL_DIR) / "league-v1.yaml", actor="test")
        run = run_reference_case(build_league())
    finally:
        connection.force_debug_cursor = debug_cursor
    assert len(run.refusals) == 2
    return run


# 64 KiB: small items sealed inline in their database row; 0: every item in the store.
MODES = pytest.mark.parametrize("live_run", [64 * 1024, 0], indirect=True, ids=["inline", "store"])


@MODES
def test_the_content_store_holds_no_plaintext(live_run, settings):
    files = list(_files(Path(settings.DOCKET_CONTENT_DIR)))
    if settings.DOCKET_CONTENT_INLINE_MAX == 0:
        assert len(files) >= 20  # statements, notes, letters, decisions: all in the store
    for path in files:
        assert _found(path.read_bytes(), SECRETS + IN_CLEAR) == [], path


@MODES
def test_the_logs_hold_no_plaintext(live_run, caplog):
    # The run happened while the fixture was set up: its records are the setup phase's.
    records = caplog.get_records("setup")
    text = "\n".join(f"{r.getMessage()} {r.args!r}" for r in records).encode("utf-8")
    assert b"INSERT INTO" in text.upper()  # the SQL, with its parameters, was captured
    assert _found(text, IN_CLEAR) == IN_CLEAR  # positive control
    assert _found(text, SECRETS) == []


@MODES
def test_the_database_holds_no_plaintext(live_run):
    if connection.vendor == "sqlite":
        found, control = _scan_sqlite_file()
    else:
        found, control = _scan_postgres_columns()
    assert control == IN_CLEAR  # the scan sees what is there
    assert found == []


def _scan_sqlite_file() -> tuple[list[str], list[str]]:
    name = Path(connection.settings_dict["NAME"])
    assert name.is_file(), "the SQLite test database must be a file"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    data = b"".join(
        p.read_bytes() for p in (name, Path(f"{name}-wal"), Path(f"{name}-journal")) if p.exists()
    )
    return _found(data, SECRETS), _found(data, IN_CLEAR)


def _scan_postgres_columns() -> tuple[list[str], list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'character', 'bytea', 'json', 'jsonb')"
        )
        columns = cursor.fetchall()
        assert columns

        def hits(needles: list[str]) -> list[str]:
            seen = []
            for needle in needles:
                pattern = (
                    "%" + needle.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
                )
                for table, column, kind in columns:
                    value = f'"{column}"::text'
                    if kind == "bytea":
                        value = f"encode(\"{column}\", 'escape')"
                    cursor.execute(
                        f'SELECT 1 FROM "{table}" WHERE {value} ILIKE %s LIMIT 1',  # noqa: S608
                        [pattern],
                    )
                    if cursor.fetchone():
                        seen.append(needle)
                        break
            return seen

        return hits(SECRETS), hits(IN_CLEAR)
