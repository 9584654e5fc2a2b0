"""Benchmark: the real documents page of a case with 50 encrypted statements, against
the same page of the same case in plaintext (issue 6's goal: at most +5 %, median of
paired runs).

Two identical cases are made through the services (same protocol steps, same people,
the same 50 witness statements of ~2-4 KiB, all disclosed to the respondent). Then:

* encrypted: ``GET /cases/<A>/documents/`` through Django's full stack in process
  (test Client: middleware, session, MFA check, the view, the template). The view loads
  the items (inline ciphertext), fetches the case key (one query), unwraps it once,
  decrypts every text item and journals each read;
* plaintext control: ``GET /cases/<B>/documents/`` where case B's content rows hold the
  texts in clear in the same column (rewritten by this script, bench database only) and
  the view's ``content_read_many`` is replaced by a function that takes the bytes from
  the row and journals each read exactly as the real one does (same transaction, same
  journal entries). Everything else is the same code and the same queries.

Each round runs both pages in random order; the figure is the median of the
per-round ratios encrypted / plaintext. Pages are checked to show the same texts.

    .venv/bin/python bench/crypto_page.py [--rounds 400] [--statements 50] [--write-docs]

Uses a throw-away SQLite database, key directory and content store in a temp dir, or a
throw-away PostgreSQL database with ``--pg postgres://user@host:port``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
LIMIT = 1.05
TITLE = "Confidential content: the documents page with 50 encrypted statements"


def setup(tmp: Path, pg: str | None) -> str | None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "docket.settings"
    os.environ["DOCKET_VAR_DIR"] = str(tmp)
    os.environ["DOCKET_KEY_DIR"] = str(tmp / "keys")
    os.environ["DOCKET_CONTENT_DIR"] = str(tmp / "content")
    os.environ["DOCKET_LOG_LEVEL"] = "WARNING"
    dbname = None
    if pg:
        dbname = f"bench_crypto_page_{os.getpid()}"
        subprocess.run(["psql", f"{pg}/postgres", "-qc", f"CREATE DATABASE {dbname}"], check=True)
        os.environ["DATABASE_URL"] = f"{pg}/{dbname}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("keys", "init", verbosity=0)
    call_command("protocol", "adopt", "--shipped", verbosity=0)
    return dbname


def build(statements: int) -> tuple[Any, Any, Any]:
    from django.db import connection
    from load_world import account, investigated_case

    from docket.crypto.models import ContentItem
    from docket.crypto.services import _decrypt_items
    from docket.demo.league import build_league

    league = build_league()
    user = account(league.person("N6"), "bench-chair@league.example")
    start = datetime(2026, 3, 2, 12, tzinfo=UTC)
    enc = investigated_case(league, start, reference="BENCH-ENC", statements=statements,
                            rng=random.Random(6))  # fmt: skip
    plain = investigated_case(league, start, reference="BENCH-PLAIN", statements=statements,
                              rng=random.Random(6))  # fmt: skip
    # The control: case B's rows hold their texts in clear, in the same column.
    items = list(ContentItem.objects.filter(stream=plain.stream))
    texts = _decrypt_items(items)
    table = connection.ops.quote_name(ContentItem._meta.db_table)
    with connection.cursor() as cursor:
        for item in items:
            cursor.execute(
                f"UPDATE {table} SET inline = %s WHERE id = %s",  # noqa: S608 — fixed names
                [texts[item.public_id], item.pk],
            )
    return user, enc, plain


def plaintext_read_many(*, items: Any, reader: str, capacity: str) -> dict[str, bytes]:
    """What content_read_many would be without encryption: the bytes from the row, one
    journal entry per item, in one transaction."""
    from django.db import transaction

    from docket.crypto.services import _journal

    batch = list(items)
    with transaction.atomic():
        out = {i.public_id: bytes(i.inline) for i in batch}
        for item in batch:
            _journal(reader=reader, capacity=capacity, item=item, action="read")
    return out


def texts_of(html: str) -> list[str]:
    found = re.findall(r"<p>(.*?)</p>", html, re.S)
    return [t for t in found if len(t) > 200]


def measure(rounds: int, statements: int) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from docket.web.views import documents

    setup_test_environment()
    user, enc, plain = build(statements)
    client = Client()
    client.force_login(user)
    real = documents.content_read_many  # type: ignore[attr-defined]
    url_enc = f"/cases/{enc.public_id}/documents/"
    url_plain = f"/cases/{plain.public_id}/documents/"

    def get_enc() -> tuple[float, str]:
        documents.content_read_many = real  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        r = client.get(url_enc)
        dt = time.perf_counter() - t0
        assert r.status_code == 200, r.status_code
        return dt, r.content.decode()

    def get_plain() -> tuple[float, str]:
        documents.content_read_many = plaintext_read_many  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        r = client.get(url_plain)
        dt = time.perf_counter() - t0
        documents.content_read_many = real  # type: ignore[attr-defined]
        assert r.status_code == 200, r.status_code
        return dt, r.content.decode()

    _, html_enc = get_enc()
    _, html_plain = get_plain()
    shown_enc, shown_plain = texts_of(html_enc), texts_of(html_plain)
    assert len(shown_enc) >= statements, len(shown_enc)
    assert shown_enc == shown_plain, "the two pages must show the same texts"
    for _ in range(30):  # warm-up
        get_enc()
        get_plain()
    rng = random.Random(12)
    ratios, t_enc, t_plain = [], [], []
    for _ in range(rounds):
        if rng.random() < 0.5:
            a, _x = get_enc()
            b, _y = get_plain()
        else:
            b, _y = get_plain()
            a, _x = get_enc()
        t_enc.append(a)
        t_plain.append(b)
        ratios.append(a / b)
    from django.db import connection

    return {
        "vendor": connection.vendor,
        "rounds": rounds,
        "statements": statements,
        "shown": len(shown_enc),
        "html_kib": len(html_enc.encode()) / 1024,
        "enc_ms": statistics.median(t_enc) * 1000,
        "plain_ms": statistics.median(t_plain) * 1000,
        "ratio": statistics.median(ratios),
        "q1": statistics.quantiles(ratios, n=4)[0],
        "q3": statistics.quantiles(ratios, n=4)[2],
    }


def section(results: list[dict[str, Any]], argv: str) -> str:
    from _report import machine

    rows = "\n".join(
        f"| {r['vendor']} | {r['enc_ms']:.2f} ms | {r['plain_ms']:.2f} ms | "
        f"**{r['ratio']:.3f} ({(r['ratio'] - 1) * 100:+.1f} %)** "
        f"(quartiles {r['q1']:.3f}–{r['q3']:.3f}) | "
        f"{'pass' if r['ratio'] <= LIMIT else 'FAIL'} |"
        for r in results
    )
    r0 = results[0]
    return f"""\
`python bench/crypto_page.py {argv}`: the real documents page
(`/cases/<id>/documents/`, `docket.web.views.documents`), in process through Django's
whole stack (test Client: middleware, session, MFA check, view, template), for a case
with {r0["statements"]} witness statements of 2–4 KiB (all shown on the page, with the
case's other texts: {r0["shown"]} paragraphs, {r0["html_kib"]:.0f} KiB of HTML),
against the same case in plaintext: an identical case (same steps, people and texts)
whose content rows hold the texts in clear in the same column, read by a stand-in for
`content_read_many` that takes the bytes from the row and journals every read exactly
as the real one does. {r0["rounds"]} rounds, both pages per round in random order after
a warm-up; the figure is the median of the per-round ratios. Goal: at most 1.05.

| database | encrypted, median | plaintext, median | median of paired ratios | goal ≤ 1.05 |
| --- | --- | --- | --- | --- |
{rows}

This replaces the earlier proxy (`bench/crypto_render.py`, +6.8 % on a bare template
of the 50 texts): on the real page the same decryption cost (one key query, one
unwrap, 50 AES-GCM opens) is a small share of a page that also checks access,
evaluates the protocol and journals each read.

{machine()}
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=400)
    ap.add_argument("--statements", type=int, default=50)
    ap.add_argument("--pg", default=None, help="postgres://user@host:port (else SQLite)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="docket-crypto-page-") as tmp:
        dbname = setup(Path(tmp), args.pg)
        try:
            result = measure(args.rounds, args.statements)
        finally:
            if dbname:
                from django.db import connections

                connections.close_all()
                subprocess.run(
                    ["psql", f"{args.pg}/postgres", "-qc",
                     f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"],
                    check=True,
                )  # fmt: skip
    print(
        f"{result['vendor']}: encrypted {result['enc_ms']:.2f} ms, plaintext "
        f"{result['plain_ms']:.2f} ms, median paired ratio {result['ratio']:.3f}"
    )
    if args.json:
        import json

        print(json.dumps(result))
    if args.write_docs:
        from _report import DOC, write_section

        # Keep the results of the other database if already written in this section.
        shown = " ".join(a for a in sys.argv[1:] if a != "--write-docs")
        write_section(TITLE, section([result], shown))
        print(f"wrote {DOC}")
    return 0 if result["ratio"] <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
