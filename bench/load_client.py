"""Open-model HTTP load generator (standard library only: asyncio streams).

Requests start at a fixed arrival rate, on schedule, whatever the server answers: a
slow answer does not delay the next request (no coordinated omission). Latency is
measured from the request's scheduled start to the last byte of the answer, so time
spent waiting for a free slot on the client counts. One connection per request
(``Connection: close``), HTTP/1.1. Meant to run pinned to one core
(``taskset -c 0``) while the server runs on the other.

Also a closed-loop mode (``saturate``): ``concurrency`` clients back to back for a
few seconds, to find the server's saturation throughput.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    ok: tuple[int, ...] = (200,)

    def raw(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body or self.method == "POST":
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


async def _one(host: str, port: int, payload: bytes, timeout: float) -> tuple[int, int]:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(payload)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, len(data)


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99)}


async def _open_model(
    host: str,
    port: int,
    make: Any,
    rate: float,
    seconds: float,
    timeout: float,
) -> dict[str, Any]:
    total = int(rate * seconds)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    start = time.perf_counter() + 0.2
    tasks = []

    async def fire(i: int) -> None:
        nonlocal errors
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        req: Request = make(i)
        try:
            status, _n = await _one(host, port, req.raw(f"{host}:{port}"), timeout)
        except (TimeoutError, OSError, ValueError, IndexError):
            errors += 1
            return
        statuses[status] = statuses.get(status, 0) + 1
        if status in req.ok:
            latencies.append(time.perf_counter() - scheduled)
        else:
            errors += 1

    for i in range(total):
        tasks.append(asyncio.ensure_future(fire(i)))
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - start
    # Lateness of the generator itself (how far behind schedule requests were sent) is
    # folded into the latencies above; report the achieved rate too.
    return {
        "offered_rate": rate,
        "requests": total,
        "completed_ok": len(latencies),
        "errors": errors,
        "statuses": statuses,
        "achieved_rate": len(latencies) / wall if wall > 0 else 0.0,
        **{k: v * 1000 for k, v in percentiles(latencies).items()},
        "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }


async def _closed(
    host: str, port: int, make: Any, concurrency: int, seconds: float, timeout: float
) -> dict[str, Any]:
    done = 0
    bad = 0
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def worker() -> None:
        nonlocal done, bad
        while time.perf_counter() < end:
            req: Request = make(next(counter))
            t0 = time.perf_counter()
            try:
                status, _n = await _one(host, port, req.raw(f"{host}:{port}"), timeout)
            except (TimeoutError, OSError, ValueError, IndexError):
                bad += 1
                continue
            if status in req.ok:
                done += 1
                latencies.append(time.perf_counter() - t0)
            else:
                bad += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    return {
        "concurrency": concurrency,
        "throughput": done / wall,
        "errors": bad,
        **{k: v * 1000 for k, v in percentiles(latencies).items()},
    }


def open_model(host: str, port: int, make: Any, rate: float, seconds: float,
               timeout: float = 30.0) -> dict[str, Any]:  # fmt: skip
    return asyncio.run(_open_model(host, port, make, rate, seconds, timeout))


def saturate(host: str, port: int, make: Any, seconds: float = 4.0,
             steps: tuple[int, ...] = (1, 2, 4, 8, 16)) -> dict[str, Any]:  # fmt: skip
    """A short closed-loop ramp; saturation = the best throughput over the steps."""
    ramp = [asyncio.run(_closed(host, port, make, c, seconds, 30.0)) for c in steps]
    best = max(ramp, key=lambda r: r["throughput"])
    return {"saturation": best["throughput"], "ramp": ramp}


if __name__ == "__main__":  # a quick manual check: python bench/load_client.py PORT PATH RATE
    import sys

    port, path, rate = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    res = open_model("127.0.0.1", port, lambda i: Request("GET", path), rate, 5)
    print(json.dumps(res, indent=1))
    _ = random
