"""Load benchmark runner: generated organization, real server, open-model load.

    python bench/load_run.py --db sqlite --db postgresql --sizes 1000,100000 --write-docs

For each database and size: a fresh installation (SQLite file, or a throwaway
PostgreSQL database created and dropped here), ``bench/load_generate.py`` (``--sizes``
cases, as many members, ~11 ledger events per case), ``docket serve`` pinned to core 1
(``taskset -c 1``; gunicorn, ``--workers`` × ``--threads``), and this process pinned to
core 0 for the load. For each page: a short closed-loop ramp finds its saturation
throughput, then open-model load at 50 % and 80 % of it for ``--seconds`` each, with
p50/p95/p99 from scheduled start to last byte.

Pages: the baseline (``/healthz``, a bare Django view through the whole middleware
stack), the dashboard (``/``, the NDC chair, who sees every case), a case page
(``/cases/<id>/``, the chair: full record), the party portal (the same case as its
respondent) and an action (``POST /api/v1/cases/<id>/actions/note-add`` with an API
token, spread over 500 generated cases: one ledger event and one sealed item each).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from crash_drill import DOCKET, PG_BASE_DEFAULT, environment, free_port  # noqa: E402
from load_client import Request, open_model, saturate  # noqa: E402

PAGES = ("baseline", "dashboard", "case", "portal", "action")
TITLE = "Load: 100,000 members, 100,000 cases, 1,000,000 events"


def say(text: str) -> None:
    print(text, flush=True)


def requests_for(world: dict[str, Any]) -> dict[str, Any]:
    chair = {"Cookie": world["chair_cookie"]}
    party = {"Cookie": world["party_cookie"]}
    case = f"/cases/{world['measured_case']}/"
    targets = world["write_cases"]
    auth = {"Authorization": f"Bearer {world['token']}", "Content-Type": "application/json"}

    def action(i: int) -> Request:
        body = json.dumps({"text": f"Load note {i}.", "label": f"load-{i}"}).encode()
        path = f"/api/v1/cases/{targets[i % len(targets)]}/actions/note-add"
        return Request("POST", path, auth, body, ok=(200, 201))

    return {
        "baseline": lambda i: Request("GET", "/healthz"),
        "dashboard": lambda i: Request("GET", "/", chair),
        "case": lambda i: Request("GET", case, chair),
        "portal": lambda i: Request("GET", case, party),
        "action": action,
    }


def run_one(db: str, size: int, args: argparse.Namespace) -> dict[str, Any]:
    tmp = tempfile.TemporaryDirectory(prefix=f"docket-load-{db}-{size}-")
    home = Path(tmp.name)
    inst = environment(db, home, args.pg, prefix=f"docket_load_{size}")
    env = inst.env
    server = None
    log = open(home / "serve.log", "ab")  # noqa: SIM115
    try:
        t0 = time.perf_counter()
        world_file = home / "world.json"
        subprocess.run(
            [sys.executable, str(BENCH / "load_generate.py"), "--cases", str(size),
             "--members", str(size), "--out", str(world_file)],
            env=env, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        world = json.loads(world_file.read_text())
        say(f"[{db} {size:,}] generated {world['cases']:,} cases, {world['events']:,} events "
            f"in {time.perf_counter() - t0:.0f} s")  # fmt: skip
        subprocess.run([DOCKET, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        port = free_port()
        server = subprocess.Popen(
            ["taskset", "-c", args.server_cpu, DOCKET, "serve", "--bind", f"127.0.0.1:{port}",
             "--no-collectstatic", "--workers", str(args.workers), "--threads",
             str(args.threads)],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        time.sleep(3)
        reqs = requests_for(world)
        # Warm every worker and page.
        for page in PAGES:
            saturate("127.0.0.1", port, reqs[page], seconds=1.0, steps=(2,))
        results: dict[str, Any] = {"world": {k: world[k] for k in ("cases", "events", "members")}}
        for page in PAGES:
            sat = saturate("127.0.0.1", port, reqs[page], seconds=args.ramp_seconds)
            entry: dict[str, Any] = {"saturation": sat["saturation"], "ramp": sat["ramp"]}
            for share in (0.5, 0.8):
                rate = max(0.5, sat["saturation"] * share)
                entry[str(share)] = open_model("127.0.0.1", port, reqs[page], rate, args.seconds)
            results[page] = entry
            half, busy = entry["0.5"], entry["0.8"]
            say(f"[{db} {size:,}] {page:9} sat {sat['saturation']:7.1f}/s | 50%: "
                f"p50 {half['p50']:.1f} p95 {half['p95']:.1f} p99 {half['p99']:.1f} ms "
                f"(err {half['errors']}) | 80%: p50 {busy['p50']:.1f} p95 {busy['p95']:.1f} "
                f"p99 {busy['p99']:.1f} ms (err {busy['errors']})")  # fmt: skip
        return results
    finally:
        if server is not None:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
        log.close()
        inst.drop()
        tmp.cleanup()


def table(db: str, size: int, res: dict[str, Any]) -> str:
    w = res["world"]
    lines = [
        f"**{db}, {w['cases']:,} cases, {w['members']:,} members, {w['events']:,} ledger events**",
        "",
        "| page | saturation (req/s) | 50 %: p50 / p95 / p99 (ms) | 80 %: p50 / p95 / p99 (ms) "
        "| errors |",
        "| --- | --- | --- | --- | --- |",
    ]
    for page in PAGES:
        e = res[page]
        h, b = e["0.5"], e["0.8"]
        lines.append(
            f"| {page} | {e['saturation']:.1f} | {h['p50']:.1f} / {h['p95']:.1f} / "
            f"{h['p99']:.1f} | {b['p50']:.1f} / {b['p95']:.1f} / {b['p99']:.1f} | "
            f"{h['errors'] + b['errors']} |"
        )
    return "\n".join(lines)


def verdicts(all_results: dict[str, dict[int, dict[str, Any]]], big: int, small: int) -> str:
    out = []
    for db, sizes in all_results.items():
        if big in sizes:
            r = sizes[big]
            p95 = r["case"]["0.5"]["p95"]
            share = r["case"]["saturation"] / r["baseline"]["saturation"]
            out.append(
                f"- {db}, {big:,} cases: case page p95 at half saturation **{p95:.1f} ms** "
                f"(goal ≤ 50 ms: {'met' if p95 <= 50 else 'NOT met'}); case page throughput "
                f"**{share:.2f}×** the baseline's (goal ≥ 0.25×: "
                f"{'met' if share >= 0.25 else 'NOT met'})."
            )
        if big in sizes and small in sizes and big != small:
            worst = []
            for page in PAGES[1:]:
                a, b = sizes[small][page], sizes[big][page]
                slow_p50 = b["0.5"]["p50"] / a["0.5"]["p50"]
                slow_cap = a["saturation"] / b["saturation"]
                worst.append((max(slow_p50, slow_cap), page, slow_p50, slow_cap))
            parts = ", ".join(
                f"{page} {p50:.2f}× (p50) / {cap:.2f}× (capacity)" for _, page, p50, cap in worst
            )
            top = max(worst)
            out.append(
                f"- {db}, {big:,} vs {small:,} cases, slowdown: {parts}; worst "
                f"{top[0]:.2f}× ({top[1]}) — goal ≤ 1.5×: "
                f"{'met' if top[0] <= 1.5 else 'NOT met'}."
            )
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    ap.add_argument("--sizes", default="1000,100000", help="cases (= members), comma-separated")
    ap.add_argument("--seconds", type=float, default=10.0, help="per open-model measurement")
    ap.add_argument("--ramp-seconds", type=float, default=3.0, help="per ramp step")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--server-cpu", default="1")
    ap.add_argument("--client-cpu", type=int, default=0)
    ap.add_argument("--pg", default=os.environ.get("LOAD_PG_BASE", PG_BASE_DEFAULT))
    ap.add_argument("--json", default="", help="also write every figure to this file")
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    os.sched_setaffinity(0, {args.client_cpu})
    sizes = [int(s) for s in args.sizes.split(",")]
    random.seed(1)
    results: dict[str, dict[int, dict[str, Any]]] = {}
    for db in args.db or ["sqlite", "postgresql"]:
        for size in sizes:
            results.setdefault(db, {})[size] = run_one(db, size, args)
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    summary = verdicts(results, max(sizes), min(sizes))
    print(summary)
    if args.write_docs:
        from _report import machine, write_section

        shown = " ".join(a for a in sys.argv[1:] if a != "--write-docs")
        tables = "\n\n".join(table(db, n, r) for db, by in results.items() for n, r in by.items())
        body = f"""\
`python bench/load_run.py {shown}` — bench data from `bench/load_generate.py` (see its
docstring: members, templates made through the services, the rest cloned in bulk with
valid hash chains; bench data only).

Server: `docket serve` (gunicorn, {args.workers} workers × {args.threads} threads) pinned to
core {args.server_cpu} with `taskset`; load generator (`bench/load_client.py`, asyncio, one
connection per request, open model: requests start on schedule whatever the answers,
latency from scheduled start to last byte) pinned to core {args.client_cpu}. PostgreSQL's
own server processes are not pinned and share both cores. Saturation: best throughput of
a short closed-loop ramp (1–16 concurrent clients, {args.ramp_seconds:.0f} s each); then
{args.seconds:.0f} s of open-model load at 50 % and at 80 % of it.
Pages: baseline `/healthz`; dashboard `/` (the NDC chair, who sees every case: what is
due and overdue across all of them, and the first page of 50); case page
`/cases/<id>/` (the chair: full record; a real case made through the services:
received, referred, acknowledged, opened, panel named, charges served, two
witness statements, disclosure; the same case at every size); portal: the same case as
its respondent; action: `POST /api/v1/cases/<id>/actions/note-add` (API token) spread
over 500 generated cases. The baseline's figure is partly the load generator's own
limit (one Python core opening a connection per request), so the throughput ratios
against it are, if anything, flattering. This machine is shared with other work (test
runs of other engineers were using up to one core during parts of the run), so single
figures move by tens of percent between runs; read the tables for orders of magnitude.

{tables}

{summary}

{machine()}
"""
        write_section(TITLE, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
