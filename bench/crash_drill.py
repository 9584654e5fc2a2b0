"""Crash drill: kill -9 the app server while many clients write to cases.

What it does, on SQLite and/or PostgreSQL (a throwaway database it creates and drops):

1. a fresh installation in a temporary directory: ``docket migrate``, ``docket keys init``,
   ``docket protocol adopt --shipped``, then a small world made through the services
   (the fictional League of ``docket.demo.league``; the current NDC chair gets an
   account with a TOTP authenticator and a personal API token; ``--cases`` cases are
   received, referred and opened by the NDC);
2. ``docket serve`` (gunicorn: a master and ``--workers`` workers, each with threads);
3. ``--writers`` client processes, each with ``--threads`` threads, POST
   ``/api/v1/cases/{id}/actions/note-add`` (one ledger event and one sealed content
   item per request) with a unique label, and log every attempt and every answer;
4. ``--kills`` times, once ``--writes`` / (kills + 1) more writes were attempted, the
   whole gunicorn process group (master and workers) gets SIGKILL mid-load; the server
   is started again at once and the clients carry on (they retry nothing: a write
   whose answer never came is just "unacknowledged");
5. after the last write: the server is stopped, and the drill checks that every
   acknowledged write (HTTP 2xx) is in the ledger exactly once with its content item,
   that ``docket ledger verify`` and ``docket ledger rebuild --check`` pass, and counts
   attempted / acknowledged / found.

    python bench/crash_drill.py --db sqlite --db postgresql --writers 8 --writes 2000 \\
        --kills 3 --write-docs

``--write-docs`` writes the figures into docs/benchmarks.md. Exit status 1 when an
acknowledged write is missing or a check fails. ``tests/ops/test_crash_drill.py`` runs
a small version in the test suite.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCKET = str(Path(sys.executable).with_name("docket"))
PG_BASE_DEFAULT = "postgres://postgres@127.0.0.1:5432"
LABEL_PREFIX = "drill"


# --- inside Django: build the world, count what the ledger holds ----------------------


def _setup_world(cases: int) -> dict[str, Any]:
    """Run with Django configured for the drill's installation."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from docket.accounts.models import User
    from docket.api.credentials import token_create
    from docket.cases import services as s
    from docket.demo.league import build_league
    from docket.org.services import person_link_account

    league = build_league()
    chair = league.person("N6")
    user = User.objects.create_user(email="drill-chair@league.example", password=None)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    person_link_account(
        actor="crash-drill", capacity="administrator", person=chair, user=user, reason="drill"
    )
    token = token_create(
        email=user.email, scopes=["cases:read", "cases:act"], days=2, actor="crash-drill"
    ).secret
    p = league.person
    ids = []
    for n in range(cases):
        case = s.complaint_receive(
            by=p("BC1"),
            protocol_id="league-disciplinary",
            received_by="branch_executive",
            category="harassment",
            channel="written",
            reporter_role="affected",
            complainants=[p("M2")],
            respondents=[p("M1")],
            unit=league.units["bay-city"],
            allegations=[s.AllegationInput("A1", "Code of Conduct s.3", "Drill case.")],
            account="A fictional complaint for the crash drill.",
        )
        s.case_refer(by=p("BC1"), case=case.public_id, to_body="ndc", reasons="Drill.")
        s.case_open(by=chair, case=case.public_id, body="ndc", reference=f"DRILL-{n + 1:03d}")
        ids.append(case.public_id)
    return {"token": token, "cases": ids}


def _count_world() -> dict[str, Any]:
    """Every drill note in the ledger: label -> [stream, seq, item present]."""
    import django

    django.setup()
    from docket.crypto.models import ContentItem
    from docket.ledger.models import LedgerEvent

    found: dict[str, list[Any]] = {}
    dupes = 0
    items = set(ContentItem.objects.values_list("public_id", flat=True))
    rows = LedgerEvent.objects.filter(type="note.added").values_list("stream", "seq", "payload")
    for stream, seq, payload in rows.iterator():
        label = (payload or {}).get("label") or ""
        if not label.startswith(LABEL_PREFIX):
            continue
        if label in found:
            dupes += 1
        found[label] = [stream, seq, payload.get("item") in items]
    return {"found": found, "duplicates": dupes}


# --- the installation ---------------------------------------------------------------------


@dataclass
class Install:
    db: str
    home: Path
    env: dict[str, str]
    pg_admin: str = ""
    pg_name: str = ""

    def docket(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [DOCKET, *args], env=self.env, capture_output=True, text=True, check=check
        )

    def python(self, code: str) -> Any:
        out = subprocess.run(
            [sys.executable, "-c", code], env=self.env, capture_output=True, text=True
        )
        if out.returncode:
            raise RuntimeError(out.stderr[-3000:])
        return json.loads(out.stdout.strip().splitlines()[-1])

    def drop(self) -> None:
        if self.pg_name:
            _psql(self.pg_admin, f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-q", "-c", sql], check=True, capture_output=True)


def environment(db: str, home: Path, pg_base: str, prefix: str = "docket_crash") -> Install:
    """A new, empty installation in ``home``: its environment, and for PostgreSQL a fresh
    database named after ``prefix`` (dropped by ``Install.drop``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKET_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="docket.settings",
        DOCKET_VAR_DIR=str(home / "var"),
        DOCKET_KEY_DIR=str(home / "keys"),
        DOCKET_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT / "bench") + os.pathsep + env.get("PYTHONPATH", ""),
    )
    inst = Install(db=db, home=home, env=env)
    if db == "postgresql":
        inst.pg_name = f"{prefix}_{os.getpid()}_{int(time.time())}"
        inst.pg_admin = f"{pg_base}/postgres"
        _psql(inst.pg_admin, f"CREATE DATABASE {inst.pg_name}")
        env["DATABASE_URL"] = f"{pg_base}/{inst.pg_name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{home / 'var' / 'docket.sqlite3'}"
    return inst


def install(db: str, home: Path, pg_base: str) -> Install:
    """``environment``, migrated, with keys, the shipped protocols and static files."""
    inst = environment(db, home, pg_base)
    inst.docket("migrate", "-v0")
    inst.docket("keys", "init")
    inst.docket("protocol", "adopt", "--shipped")
    inst.docket("collectstatic", "--noinput", "-v0")
    return inst


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``docket serve`` in its own process group, so SIGKILL reaches master and workers."""

    def __init__(self, inst: Install, port: int, workers: int, threads: int) -> None:
        self.inst, self.port, self.workers, self.threads = inst, port, workers, threads
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = open(inst.home / "serve.log", "ab")  # noqa: SIM115 — lives with the server

    def start(self, timeout: float = 60) -> None:
        self.proc = subprocess.Popen(
            [
                DOCKET, "serve", "--bind", f"127.0.0.1:{self.port}", "--no-collectstatic",
                "--workers", str(self.workers), "--threads", str(self.threads),
            ],
            env=self.inst.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"docket serve exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as c:
                    c.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if c.recv(64).split(b" ")[1:2] == [b"200"]:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("docket serve did not answer /healthz in time")

    def pids(self) -> list[int]:
        """The master (the Popen pid: ``docket serve`` execs gunicorn) and its workers."""
        assert self.proc is not None
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        )
        return [self.proc.pid, *(int(p) for p in out.stdout.split())]

    def kill9(self) -> list[int]:
        assert self.proc is not None
        pids = self.pids()
        os.killpg(self.proc.pid, signal.SIGKILL)  # the group we started: master + workers
        self.proc.wait()
        return pids

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


# --- the clients ---------------------------------------------------------------------------


def _writer(
    index: int,
    threads: int,
    port: int,
    token: str,
    cases: list[str],
    log_path: str,
    stop_at: float,
    budget: Any,
) -> None:
    """One client process: ``threads`` threads each POST notes until the shared budget
    of attempts is spent. Every attempt is logged before it is sent, every answer after."""
    import requests

    lock = threading.Lock()
    log = open(log_path, "a", buffering=1)  # noqa: SIM115 — closed below

    def record(entry: dict[str, Any]) -> None:
        with lock:
            log.write(json.dumps(entry) + "\n")

    def run(thread: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        n = 0
        while time.time() < stop_at:
            with budget.get_lock():
                if budget.value <= 0:
                    return
                budget.value -= 1
            n += 1
            label = f"{LABEL_PREFIX}-{index}-{thread}-{n}"
            case = cases[(index * 7 + thread * 3 + n) % len(cases)]
            record({"label": label, "case": case, "sent": time.time()})
            try:
                r = session.post(
                    f"http://127.0.0.1:{port}/api/v1/cases/{case}/actions/note-add",
                    json={"text": f"Crash drill note {label}.", "label": label},
                    timeout=30,
                )
                record({"label": label, "status": r.status_code, "at": time.time()})
            except requests.RequestException as exc:
                # Connection refused: the server is down and the request never left this
                # client; it does not count as an attempt (the budget gets it back).
                refused = "refused" in repr(exc).lower()
                record({"label": label, "error": type(exc).__name__, "not_sent": refused})
                if refused:
                    with budget.get_lock():
                        budget.value += 1
                session.close()
                session = requests.Session()
                session.headers["Authorization"] = f"Bearer {token}"
                time.sleep(0.2 if refused else 0.05)

    pool = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    log.close()


@dataclass
class Result:
    db: str
    writers: int
    threads: int
    workers: int
    server_threads: int
    cases: int
    kills: int
    killed_pids: list[list[int]] = field(default_factory=list)
    attempted: int = 0
    acknowledged: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    no_answer: int = 0
    not_sent: int = 0
    found: int = 0
    found_acknowledged: int = 0
    found_unacknowledged: int = 0
    missing_acknowledged: list[str] = field(default_factory=list)
    duplicates: int = 0
    without_content: int = 0
    verify_ok: bool = False
    rebuild_ok: bool = False
    verify_output: str = ""
    rebuild_output: str = ""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return (
            not self.missing_acknowledged
            and not self.duplicates
            and not self.without_content
            and self.verify_ok
            and self.rebuild_ok
            and self.acknowledged > 0
        )


def drill(
    *,
    db: str = "sqlite",
    writers: int = 8,
    threads: int = 2,
    writes: int = 1000,
    kills: int = 1,
    cases: int = 4,
    workers: int = 2,
    server_threads: int = 4,
    pg_base: str = PG_BASE_DEFAULT,
    home: Path | None = None,
    keep: bool = False,
    say: Any = print,
) -> Result:
    started = time.monotonic()
    tmp = tempfile.TemporaryDirectory(prefix=f"docket-crash-{db}-", dir=home)
    base = Path(tmp.name)
    res = Result(db, writers, threads, workers, server_threads, cases, kills)
    inst = install(db, base, pg_base)
    server: Server | None = None
    try:
        say(f"[{db}] installed in {base}; building {cases} cases")
        world = inst.python(
            f"import crash_drill, json; print(json.dumps(crash_drill._setup_world({cases})))"
        )
        server = Server(inst, free_port(), workers, server_threads)
        server.start()
        log_path = base / "writes.jsonl"
        budget = multiprocessing.Value("l", writes)
        procs = [
            multiprocessing.Process(
                target=_writer,
                args=(i, threads, server.port, world["token"], world["cases"], str(log_path),
                      time.time() + 600, budget),
            )
            for i in range(writers)
        ]  # fmt: skip
        for p in procs:
            p.start()
        for k in range(kills):
            # Kill when the next slice of the budget has been taken (mid-load).
            target = writes - (k + 1) * writes // (kills + 1)
            while budget.value > target and any(p.is_alive() for p in procs):
                time.sleep(0.01)
            pids = server.kill9()
            res.killed_pids.append(pids)
            say(f"[{db}] kill -9 {pids} with {writes - budget.value} writes attempted")
            server.start()
        for p in procs:
            p.join()
        server.stop()
        server = None

        attempts: dict[str, dict[str, Any]] = {}
        for line in log_path.read_text().splitlines():
            entry = json.loads(line)
            attempts.setdefault(entry["label"], {}).update(entry)
        counted = inst.python(
            "import crash_drill, json; print(json.dumps(crash_drill._count_world()))"
        )
        found: dict[str, list[Any]] = counted["found"]
        res.duplicates = counted["duplicates"]
        res.not_sent = sum(1 for a in attempts.values() if a.get("not_sent"))
        res.attempted = len(attempts) - res.not_sent
        for label, a in attempts.items():
            if a.get("not_sent"):
                continue
            status = a.get("status")
            if status is not None and 200 <= status < 300:
                res.acknowledged += 1
                if label in found:
                    res.found_acknowledged += 1
                else:
                    res.missing_acknowledged.append(label)
            elif status is not None:
                res.refused[str(status)] = res.refused.get(str(status), 0) + 1
            else:
                res.no_answer += 1
        res.found = len(found)
        res.found_unacknowledged = res.found - res.found_acknowledged
        res.without_content = sum(1 for v in found.values() if not v[2])
        verify = inst.docket("ledger", "verify", check=False)
        res.verify_ok = verify.returncode == 0
        res.verify_output = (verify.stdout + verify.stderr).strip()[-2000:]
        rebuild = inst.docket("ledger", "rebuild", "--check", check=False)
        res.rebuild_ok = rebuild.returncode == 0
        res.rebuild_output = (rebuild.stdout + rebuild.stderr).strip()[-2000:]
    finally:
        if server is not None:
            server.stop()
        if not keep:
            inst.drop()
            tmp.cleanup()
        else:
            say(f"[{db}] kept {base}" + (f" and database {inst.pg_name}" if inst.pg_name else ""))
    res.seconds = time.monotonic() - started
    return res


def summary(res: Result) -> str:
    refused = ", ".join(f"{n}× HTTP {s}" for s, n in sorted(res.refused.items())) or "none"
    return (
        f"| {res.db} | {res.writers}×{res.threads} | {res.kills} | {res.attempted:,} | "
        f"{res.acknowledged:,} | {res.found:,} | {res.found_acknowledged:,} | "
        f"{len(res.missing_acknowledged)} | {res.found_unacknowledged} | {res.no_answer} | "
        f"{refused} | {'pass' if res.verify_ok else 'FAIL'} | "
        f"{'pass' if res.rebuild_ok else 'FAIL'} | {res.seconds:.0f} s |"
    )


def docs_section(results: list[Result], argv: str) -> str:
    from _report import machine

    rows = "\n".join(summary(r) for r in results)
    r0 = results[0]
    verdict = "every acknowledged write was found" if all(r.passed for r in results) else (
        "**FAIL: see the table**"
    )  # fmt: skip
    return f"""\
`python bench/crash_drill.py {argv}`

Columns: clients = processes × threads; "found" = drill notes in the ledger after the
restart; "no answer" = requests sent whose connection died with the server (in flight
at the kill); connections refused while the server was down are not counted as
attempts.

A fresh installation per database (SQLite file in WAL mode; a throwaway PostgreSQL
database, created and dropped by the script); `docket serve` (gunicorn, {r0.workers}
workers × {r0.server_threads} threads); {r0.cases} cases opened through the services;
client processes POST `/api/v1/cases/{{id}}/actions/note-add` with a personal API token,
each request one ledger event plus one sealed content item, as fast as the server
answers. Mid-load the whole gunicorn process group (master and workers) gets
`kill -9`, the server is started again at once, and the clients carry on (nothing is
retried). Afterwards: every write acknowledged with HTTP 2xx must be in the ledger
exactly once with its content item; `docket ledger verify` and
`docket ledger rebuild --check` must pass.

| database | clients | kills | attempted | acknowledged | found | found and acknowledged \
| acknowledged, missing | found, unacknowledged | no answer | other answers \
| ledger verify | rebuild --check | time |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

Result: {verdict}. "Found, never acknowledged" are writes that committed but whose
answer was lost with the killed worker; they are complete (event and content), just
never confirmed to the client, as with any server crash.

{machine()}
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", action="append", choices=["sqlite", "postgresql"])
    ap.add_argument("--writers", type=int, default=8, help="client processes")
    ap.add_argument("--threads", type=int, default=2, help="threads per client process")
    ap.add_argument("--writes", type=int, default=1000, help="writes attempted in all")
    ap.add_argument("--kills", type=int, default=2, help="kill -9 the server this many times")
    ap.add_argument("--cases", type=int, default=4, help="cases written to")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--server-threads", type=int, default=4, help="threads per worker")
    ap.add_argument(
        "--pg",
        default=os.environ.get("CRASH_PG_BASE", PG_BASE_DEFAULT),
        help="postgres://user@host:port of a server where databases may be created",
    )
    ap.add_argument("--keep", action="store_true", help="keep the installation for inspection")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--write-docs", action="store_true", help="write docs/benchmarks.md")
    args = ap.parse_args(argv)
    results = []
    for db in args.db or ["sqlite", "postgresql"]:
        res = drill(
            db=db,
            writers=args.writers,
            threads=args.threads,
            writes=args.writes,
            kills=args.kills,
            cases=args.cases,
            workers=args.workers,
            server_threads=args.server_threads,
            pg_base=args.pg,
            keep=args.keep,
        )
        results.append(res)
        print(summary(res))
        if not res.passed:
            print(res.verify_output, res.rebuild_output, res.missing_acknowledged[:20], sep="\n")
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=1))
    if args.write_docs:
        from _report import write_section

        shown = " ".join(a for a in (argv or sys.argv[1:]) if a != "--write-docs")
        write_section("Crash drill: kill -9 under write load", docs_section(results, shown))
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
