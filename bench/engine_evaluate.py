"""Benchmark: protocol engine evaluation of one case of N events (goal: 1,000 in < 5 ms).

    python bench/engine_evaluate.py [--events 1000] [--repeat 200] [--write]

Measures the whole answer a page needs: fold and judge every event, obligations, and
the permitted-actions panel for one participant. Prints the median and p95;
--write records them in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _report import machine, write_section

from docket.events.registry import validate
from docket.protocol.engine import evaluate
from docket.protocol.loader import load_protocol
from docket.protocol.state import Participant
from docket.protocol.synthetic import synthetic_history

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    protocol = load_protocol(ROOT / "protocols" / "league-v1.yaml")
    start = datetime(2021, 1, 4, tzinfo=UTC)
    events = [
        replace(e, payload=validate(e.type, e.payload))
        for e in synthetic_history(random.Random(1), args.events, start)
    ]
    at = events[-1].occurred_at + timedelta(days=1)
    chair = Participant("N1", frozenset({"ndc"}))
    # CPU time of this process (the machine is shared; wall time includes waiting for a
    # core) and wall time, both reported.
    fold, full, wall = [], [], []
    for _ in range(args.repeat):
        w0, t0 = time.perf_counter(), time.process_time()
        result = evaluate(protocol, events, at)
        t1 = time.process_time()
        result.permitted(chair)
        t2, w2 = time.process_time(), time.perf_counter()
        fold.append((t1 - t0) * 1000)
        full.append((t2 - t0) * 1000)
        wall.append((w2 - w0) * 1000)

    def p95(xs: list[float]) -> float:
        return sorted(xs)[int(len(xs) * 0.95) - 1]

    lines = [
        f"Case of {args.events} events (synthetic, League protocol v1), {args.repeat} runs:",
        "",
        "| measure | median ms | p95 ms |",
        "| --- | ---: | ---: |",
        f"| evaluate (state, violations, obligations), CPU | {statistics.median(fold):.2f} "
        f"| {p95(fold):.2f} |",
        f"| evaluate + permitted actions for one person, CPU | {statistics.median(full):.2f} "
        f"| {p95(full):.2f} |",
        f"| evaluate + permitted actions, wall clock | {statistics.median(wall):.2f} "
        f"| {p95(wall):.2f} |",
        "",
        f"Violations found: {len(result.violations)}; obligations: {len(result.obligations)}."
        " Goal: under 5 ms for 1,000 events.",
    ]
    print("\n".join(lines))
    if args.write:
        write_section("Protocol engine", machine() + "\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
