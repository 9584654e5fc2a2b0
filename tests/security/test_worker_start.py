"""Issue 24, finding 8: right after a worker starts, many threads ask the event registry
at once. The first one imports the vocabulary; the others must wait for it, not read a
half-filled registry (which answered ``UnknownEventType 'complaint.received'``, a 500).

Each run is a fresh Python process (the registry loads once per process). The import of
the first vocabulary module is slowed down, as it is on a loaded machine, so that every
other thread arrives while the first is still importing."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import importlib.abc, importlib.machinery, json, sys, threading, time

class Slow(importlib.abc.MetaPathFinder):
    # Delays the import of docket.events.case: the window in which a second thread
    # used to find the loaded flag set and 'complaint.received' missing.
    def find_spec(self, name, path, target=None):
        if name == "docket.events.case":
            time.sleep(0.3)
        return None

sys.meta_path.insert(0, Slow())
from docket.events.registry import event_type

THREADS = 24
barrier = threading.Barrier(THREADS)
failures = []

def hit():
    barrier.wait()
    try:
        event_type("complaint.received")
    except Exception as exc:  # what the request would have turned into a 500
        failures.append(f"{type(exc).__name__}: {exc}")

threads = [threading.Thread(target=hit) for _ in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(failures))
"""


def test_many_threads_in_a_fresh_process_all_find_the_vocabulary() -> None:
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        failures = json.loads(done.stdout.strip().splitlines()[-1])
        assert failures == [], failures
