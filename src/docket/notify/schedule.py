"""What the worker's scheduler queues, and how often (seconds between runs).

Every job is idempotent: running one twice, or on two workers at once, makes no notice
twice and no checkpoint that is not needed. ``docket worker --once`` queues each of them
once. Jobs whose module is not installed (an area not landed yet) are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task
    every: int  # seconds


JOBS: tuple[Job, ...] = (
    Job("seat terms", "docket.notify.tasks.seat_terms_expire_task", 300),
    Job("grant ends", "docket.notify.tasks.grants_expire_task", 300),
    Job("reminders and escalations", "docket.notify.tasks.notices_sweep_task", 300),
    Job("retries", "docket.notify.tasks.notices_retry_task", 60),
    Job("daily summaries", "docket.notify.tasks.digests_due_task", 300),
    Job("ledger checkpoint", "docket.ledger.tasks.checkpoint_make", 3600),
)


def task_of(job: Job) -> Any | None:
    module_name, _, attr = job.task.rpartition(".")
    try:
        module = import_module(module_name)
    except ImportError:
        return None
    return getattr(module, attr, None)
