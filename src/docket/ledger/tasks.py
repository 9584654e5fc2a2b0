"""Scheduled work of the ledger (django-tasks; the worker and schedule are wired elsewhere)."""

from __future__ import annotations

from django_tasks import task

from docket.ledger.checkpoints import checkpoint_make as make


@task()
def checkpoint_make() -> int | None:
    """Make a checkpoint if any chain moved since the last one; returns its seq."""
    checkpoint = make(only_if_changed=True)
    return checkpoint.seq if checkpoint else None
