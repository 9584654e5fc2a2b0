"""SQL of the append-only triggers (used by migration 0002 and by tests that play attacker).

SQLite: BEFORE UPDATE / BEFORE DELETE triggers that RAISE(ABORT). PostgreSQL: one
plpgsql function raising an exception, attached BEFORE UPDATE OR DELETE on each table.
``ledger_head`` and ``ledger_stream_summary`` stay writable: both are caches checked
against the chains. TRUNCATE is not guarded so that test-database flushes keep working;
whoever can TRUNCATE can drop triggers too, and verification catches both.

Changing this SQL needs a new migration that drops and recreates the triggers.
"""

from __future__ import annotations

# Migration 0002 guards the first three; 0003 the log of chain heads (C2SP checkpoints).
FIRST_TABLES = ("ledger_event", "ledger_journal", "ledger_checkpoint")
LOG_TABLES = ("ledger_log_leaf", "ledger_log_checkpoint")
TABLES = (*FIRST_TABLES, *LOG_TABLES)
PG_FUNCTION = "docket_ledger_append_only"


def _sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
        for op in ("UPDATE", "DELETE")
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]


PG_CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- No percent placeholders: Django passes this text through a driver that expands them.
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$
"""


def _pg_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
    ]


def _pg_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]


def create_sql(vendor: str, tables: tuple[str, ...] = TABLES) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in tables for sql in _sqlite_create(table)]
    if vendor == "postgresql":
        return [PG_CREATE_FUNCTION, *(sql for table in tables for sql in _pg_create(table))]
    raise RuntimeError(f"no append-only triggers for database vendor {vendor!r}")


def drop_sql(vendor: str, tables: tuple[str, ...] = TABLES) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in tables for sql in _sqlite_drop(table)]
    if vendor == "postgresql":
        return [
            *(sql for table in tables for sql in _pg_drop(table)),
            # The function serves every guarded table; it goes only with the first ones.
            *([f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()"] if FIRST_TABLES[0] in tables else []),
        ]
    raise RuntimeError(f"no append-only triggers for database vendor {vendor!r}")
