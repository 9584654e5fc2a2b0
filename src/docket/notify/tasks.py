"""Background work of notices (django-tasks, database backend; run by ``docket worker``)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def notice_deliver_task(notice_id: int) -> str:
    """Send one notice now (or note why it is not sent)."""
    return services.notice_deliver(notice_id=notice_id)


@task()
def digest_deliver_task(person_id: int) -> int:
    """Send one person's daily summary."""
    return services.digest_deliver(person_id=person_id)


@task()
def notices_sweep_task() -> int:
    """Reminders and escalations from the obligations of every open case."""
    return services.notices_sweep()


@task()
def notices_retry_task() -> int:
    """Queue again the notices whose next attempt is due."""
    return services.notices_retry()


@task()
def digests_due_task() -> int:
    """Queue the daily summaries whose time has come."""
    return services.digests_due()


@task()
def seat_terms_expire_task() -> int:
    """Record the end of seat terms that ran their course (docket.org)."""
    from docket.org.services import seat_terms_expire

    return seat_terms_expire()


@task()
def grants_expire_task() -> int:
    """End the sessions left behind by explicit grants that ran out (docket.accounts)."""
    from docket.accounts.grant_ends import grants_expire

    return grants_expire()
