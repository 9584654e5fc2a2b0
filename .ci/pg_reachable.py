"""Exit 0 when the PostgreSQL server at $DATABASE_URL answers, 1 otherwise (quietly)."""

import os
import sys

import psycopg

try:
    with psycopg.connect(os.environ["DATABASE_URL"], connect_timeout=3) as conn:
        conn.execute("SELECT 1")
except Exception as exc:  # any failure means "not reachable"
    print(f"PostgreSQL check failed: {exc}", file=sys.stderr)
    sys.exit(1)
