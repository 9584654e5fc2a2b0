"""Benchmark: verifying the ledger end to end from the database, and in memory.

    python bench/ledger_verify.py                 # 1,000,000 events on a fresh SQLite file
    python bench/ledger_verify.py --events 100000 --per-stream 100
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/ledger_verify.py

It fills a fresh database (SQLite: var/bench-ledger.sqlite3; PostgreSQL: the database
``bench_docket_ledger``, created and dropped) with well-formed chains, then measures:

1. ``verify_ledger()`` end to end: read every row, hash, link and check every column;
2. in memory, over the same canonical bytes: the chain check (``chain.verify_links``)
   beside a raw ``hashlib.sha256`` loop, in one run.

``--write-docs`` appends the figures, with machine and date, to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_BENCH_DB = "bench_docket_ledger"


def configure(args: argparse.Namespace) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if args.reuse:
        path = ROOT / "var" / "bench-ledger.sqlite3"
        base = url.rsplit("/", 1)[0]
        os.environ["DATABASE_URL"] = (
            f"{base}/{PG_BENCH_DB}" if url.startswith("postgres") else f"sqlite:///{path}"
        )
    elif url.startswith("postgres"):
        import psycopg

        base = url.rsplit("/", 1)[0]
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}"')
            admin.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')
        os.environ["DATABASE_URL"] = f"{base}/{PG_BENCH_DB}"
    else:
        path = ROOT / "var" / "bench-ledger.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "docket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def fill(events: int, per_stream: int) -> None:
    from django.db import connection, transaction

    from docket.ledger import chain

    ops = connection.ops
    start = datetime(2020, 1, 1, tzinfo=UTC)
    insert = (
        "INSERT INTO ledger_event (stream, seq, type, actor, capacity, occurred_at,"
        " recorded_at, recorded_by, provenance, payload, deviation, prev_hash, hash, body)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    heads = []
    rows = []
    done = 0
    t0 = time.perf_counter()
    stream_no = 0
    while done < events:
        stream = f"case:{stream_no:08d}"
        stream_no += 1
        prev = chain.genesis(stream)
        for seq in range(1, min(per_stream, events - done) + 1):
            moment = start + timedelta(seconds=done, microseconds=done % 997)
            at = chain.rfc3339(moment)
            payload = {
                "label": f"witness statement {seq}",
                "statement_ref": f"blob:{done:012d}",
                "party": "respondent",
            }
            fields = {
                "stream": stream,
                "seq": seq,
                "type": "ledger.note",
                "actor": f"member:{seq % 50}",
                "capacity": "investigator",
                "occurred_at": at,
                "recorded_at": at,
                "recorded_by": "",
                "provenance": "live",
                "payload": payload,
                "deviation": None,
            }
            body = chain.canonical(chain.EVENT_KEY, fields, prev)
            digest = chain.record_hash(chain.EVENT_DOMAIN, body)
            stated = json.loads(body)["event"]["payload"]
            when = ops.adapt_datetimefield_value(moment)
            rows.append(
                (
                    stream,
                    seq,
                    "ledger.note",
                    fields["actor"],
                    "investigator",
                    when,
                    when,
                    "",
                    "live",
                    json.dumps(stated),
                    None,
                    prev,
                    digest,
                    body,
                )
            )
            prev = digest
            done += 1
        heads.append((stream, seq, prev))
        if len(rows) >= 20000 or done >= events:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(insert, rows)
                cursor.executemany(
                    "INSERT INTO ledger_head (stream, seq, hash) VALUES (%s, %s, %s)", heads
                )
            rows, heads = [], []
            print(
                f"\r  filled {done:,} events ({time.perf_counter() - t0:.0f}s)",
                end="",
                file=sys.stderr,
                flush=True,
            )
    print(file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE ledger_event")


def measure_db(repeat: int) -> tuple[float, float, int]:
    from docket.ledger.verify import verify_ledger

    best_wall = best_cpu = float("inf")
    count = 0
    for _ in range(repeat):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        report = verify_ledger()
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        assert report.ok, report.faults[:5]
        count = report.events
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return best_wall, best_cpu, count


def measure_memory(repeat: int) -> tuple[float, float, int]:
    from django.db import connection

    from docket.ledger import chain

    chains: dict[str, list[tuple[bytes, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT stream, hash, body FROM ledger_event ORDER BY stream, seq")
        for stream, digest, body in cursor.fetchall():
            chains.setdefault(stream, []).append((bytes(body), digest))
    flat = [body for items in chains.values() for body, _ in items]
    starts = {stream: chain.genesis(stream) for stream in chains}
    best_raw = best_chain = float("inf")
    for _ in range(repeat):
        gc.collect()
        sha256 = hashlib.sha256
        t0 = time.perf_counter()
        for body in flat:
            sha256(body).digest()
        best_raw = min(best_raw, time.perf_counter() - t0)
        t0 = time.perf_counter()
        breaks = 0
        for stream, items in chains.items():
            for _break in chain.verify_links(
                items, domain=chain.EVENT_DOMAIN, first_prev=starts[stream]
            ):
                breaks += 1
        best_chain = min(best_chain, time.perf_counter() - t0)
        assert breaks == 0
    return best_raw, best_chain, len(flat)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-stream", type=int, default=100, help="events per chain")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database filled by the previous run (no refill)",
    )
    args = parser.parse_args()

    vendor = configure(args)
    print(
        f"database: {vendor}; filling {args.events:,} events, {args.per_stream} per chain",
        file=sys.stderr,
    )
    if not args.reuse:
        fill(args.events, args.per_stream)
    wall, cpu, count = measure_db(args.repeat)
    raw, in_memory, flat = measure_memory(args.repeat)
    lines = [
        f"- events: {count:,} in {count // args.per_stream:,} chains ({vendor})",
        f"- end to end from the database: {wall:.2f} s wall, {cpu:.2f} s CPU in this process"
        f" → **{count / wall:,.0f} events/s** (target ≥ 100,000/s per core)",
        f"- in memory, raw `hashlib.sha256` loop: {raw:.3f} s → {flat / raw:,.0f} hashes/s",
        f"- in memory, chain verification: {in_memory:.3f} s → {flat / in_memory:,.0f} events/s"
        f" = **{raw / in_memory:.2f}× the raw loop** (target ≥ 0.5×)",
    ]
    print("\n".join(lines))
    if args.write_docs:
        write_docs(vendor, lines, args)


def write_docs(vendor: str, lines: list[str], args: argparse.Namespace) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    heading = f"### Ledger verification, {vendor}, {datetime.now(UTC):%Y-%m-%d}"
    section = "\n".join(
        [
            "",
            heading,
            "",
            f"`python bench/ledger_verify.py --events {args.events} --per-stream {args.per_stream}`"
            f" (best of {args.repeat})",
            "",
            f"- machine: {machine()}",
            *lines,
            "",
        ]
    )
    marker = "\n## Ledger verification\n"
    if marker not in text:
        text = (
            text.rstrip("\n") + "\n" + marker + "\nFigures appended by"
            " `bench/ledger_verify.py --write-docs`, newest last.\n"
        )
    # Insert at the end of the ledger section, before the next section if there is one.
    start = text.index(marker) + len(marker)
    following = text.find("\n## ", start)
    end = len(text) if following < 0 else following
    text = text[:end].rstrip("\n") + "\n" + section + text[end:]
    path.write_text(text.rstrip("\n") + "\n")
    print(f"appended to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
