"""Benchmark: the transparency report over 100,000 cases, SQLite and PostgreSQL side by side.

One run measures both: for each database a child process migrates a throw-away
database, adopts a protocol, writes 100,000 synthetic ``Case`` rows
(``docket.reports.synthetic``, test/bench data only) and times
``transparency_report`` (every aggregate query, suppression included) for the whole
five years and for one year. Target: under 1 second.

    .venv/bin/python bench/reports_transparency.py [--cases 100000] [--rounds 7] [--write-docs]

PostgreSQL: ``BENCH_PG_URL`` (default postgres://postgres@127.0.0.1:5432/postgres); a
database ``docket_bench_reports`` is created and dropped. Skipped if unreachable.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 1.0
PG_DB = "docket_bench_reports"
TITLE = "Reports: transparency report over 100,000 cases"


def child(cases: int, rounds: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.settings")
    os.environ.setdefault("DOCKET_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from docket.cases.protocols import protocol_adopt_file, shipped_protocols
    from docket.reports.synthetic import generate
    from docket.reports.transparency import transparency_report

    protocol_adopt_file(shipped_protocols()[0], actor="bench")
    t0 = time.perf_counter()
    generate(cases, seed=1)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    generated = time.perf_counter() - t0
    results: dict[str, object] = {"vendor": connection.vendor, "generate_s": generated}
    for name, start, end in (
        ("five years", date(2020, 1, 1), date(2024, 12, 31)),
        ("one year", date(2022, 1, 1), date(2022, 12, 31)),
    ):
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            report = transparency_report(start, end)
            times.append(time.perf_counter() - t)
        results[name] = {
            "first": times[0],
            "median": statistics.median(times),
            "max": max(times),
            "received": report.received.values[(0, -1)],
        }
    return results


def run_child(env: dict[str, str], cases: int, rounds: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--cases", str(cases), "--rounds", str(rounds)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def pg_admin(url: str, sql: str) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as c:
            c.execute(sql)
        return True
    except psycopg.Error:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.cases, args.rounds)))
        return 0

    runs: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="docket-bench-") as name:
        tmp = Path(name)
        base = {"DOCKET_VAR_DIR": str(tmp), "DOCKET_KEY_DIR": str(tmp / "keys")}
        runs.append(
            run_child(
                {**base, "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}"},
                args.cases,
                args.rounds,
            )
        )
        pg = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        if pg_admin(pg, f"DROP DATABASE IF EXISTS {PG_DB}") and pg_admin(
            pg, f"CREATE DATABASE {PG_DB}"
        ):
            try:
                url = pg.rsplit("/", 1)[0] + f"/{PG_DB}"
                runs.append(run_child({**base, "DATABASE_URL": url}, args.cases, args.rounds))
            finally:
                pg_admin(pg, f"DROP DATABASE IF EXISTS {PG_DB}")
        else:
            print("PostgreSQL unreachable: measured SQLite only", file=sys.stderr)

    lines = [
        "| database | period | first run | median | slowest | cases received in period |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    ok = True
    for run in runs:
        for period in ("five years", "one year"):
            r = run[period]
            assert isinstance(r, dict)
            ok = ok and r["max"] < LIMIT
            lines.append(
                f"| {run['vendor']} | {period} | {r['first'] * 1000:.0f} ms | "
                f"{r['median'] * 1000:.0f} ms | {r['max'] * 1000:.0f} ms | {r['received']:,} |"
            )
    table = "\n".join(lines)
    print(table)
    from _report import machine, write_section

    verdict = "within" if ok else "NOT within"
    body = (
        f"`bench/reports_transparency.py`: {args.cases:,} synthetic cases "
        f"(`docket.reports.synthetic`); `transparency_report` for a period, all its "
        f"aggregate queries and small-number suppression, {args.rounds} rounds per period, "
        f"both databases measured in the same run. Target: under {LIMIT:g} s; result: "
        f"{verdict} target.\n\n{table}\n\n{machine()}"
    )
    if args.write_docs:
        write_section(TITLE, body)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
