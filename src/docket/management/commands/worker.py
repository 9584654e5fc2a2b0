"""``docket worker``: run background work — notices, reminders, checkpoints, term ends.

One process does two things in turn: a scheduler that queues the periodic jobs of
``docket.notify.schedule`` when each is due, and django-tasks' database worker
(django_tasks_db), which runs everything queued (the jobs, and the notices that
services queue as they act) until nothing is ready. Then it sleeps ``--interval``
seconds. ``--once`` queues every job once, runs until the queue is empty and exits
(for cron and for tests). Several workers may run at once: tasks are claimed with row
locks and every job is idempotent. SIGTERM/SIGINT stop it after the current task.
"""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from docket.notify.schedule import JOBS, Job, task_of


class Command(BaseCommand):
    help = "Run Docket's background worker: notices, reminders, escalations, checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="queue every periodic job once, run all, exit"
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds to sleep when idle (default 5)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show the jobs and how many tasks wait; queue and run nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self._describe()
            return
        self.running = True
        self.worker_id = f"docket-{get_random_string(12)}"
        if options["once"]:
            queued = self._schedule(JOBS)
            ran = self._drain()
            self.stdout.write(f"Queued {queued} periodic jobs; ran {ran} tasks.")
            return
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._stop)
        last: dict[str, float] = {}
        self.stdout.write(f"Docket worker {self.worker_id} running (Ctrl-C stops it).")
        self.stdout.flush()
        while self.running:
            clock = time.monotonic()
            due = [j for j in JOBS if clock - last.get(j.name, -1e12) >= j.every]
            self._schedule(due)
            for job in due:
                last[job.name] = clock
            self._drain()
            slept = 0.0
            while self.running and slept < options["interval"]:
                time.sleep(min(0.2, options["interval"]))
                slept += 0.2

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False

    def _schedule(self, jobs: tuple[Job, ...] | list[Job]) -> int:
        queued = 0
        for job in jobs:
            task = task_of(job)
            if task is None:
                continue
            task.enqueue()
            queued += 1
        return queued

    def _drain(self) -> int:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    def _describe(self) -> None:
        for job in JOBS:
            present = "" if task_of(job) is not None else " (not installed; skipped)"
            self.stdout.write(f"every {job.every:>5}s  {job.name}: {job.task}{present}")
        waiting = DBTaskResult.objects.ready().count()
        self.stdout.write(f"{waiting} tasks are ready to run now. Nothing was changed.")
