"""Benchmark: what one request costs in process, page by page, side by side — the floor
under the load benchmark's throughput ratios.

    .venv/bin/python bench/page_floor.py [--rounds 30] [--cases 1000] [--write-docs]

A fresh SQLite installation with the load benchmark's generated organization
(``bench/load_generate.py``, ``--cases`` cases and as many members), then each page
requested through Django's WSGI handler in this process (no server, no network: the
whole middleware stack, the view and the template, nothing else). Each round requests
every page ``--per-round`` times, in a random order of pages; the figure is the median
time per request over the rounds, and its ratio to ``/healthz`` (the load benchmark's
baseline). The load benchmark's ``throughput ≥ 0.25× the baseline`` goal asks a page to
cost at most four times what ``/healthz`` costs, server included; this shows what each
layer of a signed-in page costs on this machine before any case is read.

Pages: ``/healthz`` (the baseline); the sign-in page (anonymous: session, CSRF token,
the layout and a form); ``/bodies/`` (the smallest signed-in page: session, account,
the grant-end check, person, one list); the dashboard, a case page and the party portal
of the load benchmark (the same people and case).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from crash_drill import environment  # noqa: E402

TITLE = "Page cost in process: the floor under the throughput ratios"


def pages(world: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    case = f"/cases/{world['measured_case']}/"
    chair, party = world["chair_cookie"], world["party_cookie"]
    return {
        "healthz (baseline)": ("/healthz", None),
        "sign-in page (anonymous)": ("/accounts/login/", None),
        "bodies (smallest signed-in page)": ("/bodies/", chair),
        "dashboard (chair)": ("/", chair),
        "case page (chair, full record)": (case, chair),
        "party portal (respondent)": (case, party),
    }


def measure(world_file: Path, rounds: int, per_round: int) -> dict[str, float]:
    """In the child process, with the installation's environment: median ms per page."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    app = WSGIHandler()
    world = json.loads(world_file.read_text())

    def hit(path: str, cookie: str | None) -> None:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        }  # fmt: skip
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        status: list[str] = []

        def start_response(line: str, headers: Any, exc_info: Any = None) -> Any:
            status.append(line)
            return lambda data: None

        body = b"".join(app(environ, start_response))
        if not status[0].startswith("200") or not body:
            raise SystemExit(f"{path}: {status[0]}")

    table = pages(world)
    for path, cookie in table.values():  # warm every page
        for _ in range(5):
            hit(path, cookie)
    times: dict[str, list[float]] = {name: [] for name in table}
    rng = random.Random(1)
    for _ in range(rounds):
        order = list(table)
        rng.shuffle(order)
        for name in order:
            path, cookie = table[name]
            start = time.perf_counter()
            for _ in range(per_round):
                hit(path, cookie)
            times[name].append((time.perf_counter() - start) / per_round * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--per-round", type=int, default=10)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--measure", default="", help=argparse.SUPPRESS)  # the child's part
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.rounds, args.per_round)))
        return 0
    with tempfile.TemporaryDirectory(prefix="docket-floor-") as tmp:
        home = Path(tmp)
        env = environment("sqlite", home, "").env
        world = home / "world.json"
        subprocess.run(
            [sys.executable, str(BENCH / "load_generate.py"), "--cases", str(args.cases),
             "--members", str(args.cases), "--out", str(world)],
            env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        out = subprocess.run(
            [sys.executable, __file__, "--measure", str(world), "--rounds", str(args.rounds),
             "--per-round", str(args.per_round)],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
    medians: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    base = medians["healthz (baseline)"]
    rows = [
        f"| {name} | {ms:.2f} | {ms / base:.1f}× | {base / ms:.2f}× |"
        for name, ms in medians.items()
    ]
    table = "\n".join(
        ["| page | median ms per request | cost vs /healthz | throughput vs /healthz |",
         "| --- | --- | --- | --- |", *rows]
    )  # fmt: skip
    print(table)
    if args.write_docs:
        from _report import machine, write_section

        shown = " ".join(a for a in sys.argv[1:] if a != "--write-docs")
        command = f"python bench/page_floor.py {shown}".strip()
        write_section(
            TITLE,
            f"""\
`{command}` — SQLite, the load benchmark's generated organization at {args.cases:,}
cases; every page through Django's WSGI handler in one process (no server, no
network), {args.rounds} rounds of {args.per_round} requests per page in random order,
median per request. The last column is the throughput a server would reach if this
were all it did; the load benchmark's goal for the case page is 0.25× `/healthz`.

{table}

{machine()}
""",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
