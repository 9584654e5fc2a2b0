"""Notices: create them from case events and deadlines, deliver them, once, to people who
may still see the case.

- ``notices_for_event`` is the after-commit listener of every live case event.
- ``notices_sweep`` turns the engine's obligations into reminders (before a time limit
  ends) and escalations (after a duty is overdue).
- ``notice_deliver`` sends one notice; ``digest_deliver`` sends a person's daily summary.
  Both lock the rows, re-check access with ``visible_cases`` at that moment, send, and
  mark the rows sent in the same transaction. A failure is retried with backoff.
- ``notices_retry`` and ``digests_due`` are run by the worker's scheduler.

Nothing here puts case content into a message: see ``docket.notify.mail``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from docket.access.selectors import visible_cases
from docket.cases.acting import load
from docket.cases.models import Case
from docket.core import clock
from docket.core.errors import DocketError, InvalidInput
from docket.ledger.models import LedgerEvent
from docket.org.models import Person

from . import mail, recipients
from .models import DeliveryMode, Notice, NoticePreference, NoticeStatus
from .recipients import Wanted

log = logging.getLogger("docket.notify")

LEASE = timedelta(minutes=10)  # a queued send not done by then is queued again
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=6)
MAX_ATTEMPTS = 8


# --- preferences ---------------------------------------------------------------------------


def mode_of(person: Person) -> str:
    pref = NoticePreference.objects.filter(person=person).only("mode").first()
    return pref.mode if pref else DeliveryMode.IMMEDIATE


def preference_set(*, person: Person, mode: str) -> NoticePreference:
    """Choose immediate notices or one daily summary."""
    if mode not in DeliveryMode.values:
        raise InvalidInput(
            "Choose immediate notices or a daily summary.",
            code="notify.mode_invalid",
            data={"mode": mode, "choices": list(DeliveryMode.values)},
        )
    at = clock.now()
    with transaction.atomic():
        pref, created = NoticePreference.objects.select_for_update().get_or_create(
            person=person, defaults={"mode": mode, "changed_at": at}
        )
        if not created and pref.mode != mode:
            pref.mode = mode
            pref.changed_at = at
            pref.save(update_fields=["mode", "changed_at"])
        if mode == DeliveryMode.IMMEDIATE:
            # Whatever waited for the summary goes out now.
            _enqueue_pending(Notice.objects.filter(person=person), at)
    return pref


def notices_of(person: Person | None) -> QuerySet[Notice]:
    """A person's notices about cases they may still see (newest first)."""
    if person is None:
        return Notice.objects.none()
    return Notice.objects.filter(person=person, case__in=visible_cases(person)).select_related(
        "case"
    )


# --- creating notices ----------------------------------------------------------------------


def notices_for_event(case: Case, row: LedgerEvent) -> None:
    """After-commit listener of every case event (registered in NotifyConfig.ready).

    Only live events are announced: imported history is not news to anyone. A failure
    here is logged and never undoes or reports against the action that succeeded.
    """
    if row.provenance != "live":
        return
    try:
        ctx = load(case, lock=False)
        started = [o for o in ctx.evaluation.obligations if o.started_seq == row.seq]
        at = clock.now()
        wanted = recipients.for_event(
            ctx.case, ctx.protocol, row.type, dict(row.payload), row.seq, row.actor, started, at
        )
        _store(ctx.case, wanted, at, seq=row.seq)
    except Exception:
        log.exception("notices for case %s event %s could not be made", case.public_id, row.seq)


def notices_sweep(*, at: datetime | None = None) -> int:
    """Reminders and escalations from every open case's obligations; returns how many
    new notices were made (each is made once, however often this runs)."""
    at = at or clock.now()
    made = 0
    for case in Case.objects.filter(closed=False).select_related("protocol").iterator():
        ctx = load(case, lock=False, at=at)
        wanted: list[Wanted] = []
        for obligation in ctx.evaluation.obligations:
            wanted.extend(recipients.for_obligation(ctx.case, ctx.protocol, obligation, at))
        if wanted:
            made += _store(ctx.case, wanted, at)
    return made


def _store(case: Case, wanted: list[Wanted], at: datetime, *, seq: int | None = None) -> int:
    """Keep the notices whose recipient may see the case now; queue immediate ones."""
    if not wanted:
        return 0
    people = Person.objects.in_bulk([w.person_id for w in wanted])
    path = mail.case_path(case)
    made = 0
    with transaction.atomic():
        for w in wanted:
            person = people.get(w.person_id)
            if person is None or not visible_cases(person, at).filter(pk=case.pk).exists():
                continue
            if Notice.objects.filter(
                person=person, case=case, kind=w.kind, dedupe_key=w.dedupe_key
            ).exists():
                continue
            immediate = mode_of(person) == DeliveryMode.IMMEDIATE
            try:
                with transaction.atomic():
                    notice = Notice.objects.create(
                        person=person,
                        case=case,
                        kind=w.kind,
                        dedupe_key=w.dedupe_key,
                        seq=seq,
                        due_at=w.due_at,
                        path=path,
                        party=w.party,
                        created_at=at,
                        next_attempt_at=at + LEASE if immediate else None,
                    )
            except IntegrityError:
                continue  # made at the same moment by another process
            made += 1
            if immediate:
                _queue(notice.pk)
    return made


def _queue(notice_id: int) -> None:
    from .tasks import notice_deliver_task

    transaction.on_commit(lambda: notice_deliver_task.enqueue(notice_id))


def _enqueue_pending(notices: QuerySet[Notice], at: datetime) -> int:
    ids = list(notices.filter(status=NoticeStatus.PENDING).values_list("pk", flat=True))
    Notice.objects.filter(pk__in=ids).update(next_attempt_at=at + LEASE)
    for pk in ids:
        _queue(pk)
    return len(ids)


def notices_retry(*, at: datetime | None = None) -> int:
    """Queue again the immediate notices whose next attempt is due (after a failure, or
    when a queued send never ran)."""
    at = at or clock.now()
    digest_people = NoticePreference.objects.filter(mode=DeliveryMode.DIGEST).values("person_id")
    with transaction.atomic():
        due = Notice.objects.filter(
            Q(next_attempt_at__lte=at) | Q(next_attempt_at__isnull=True),
            status=NoticeStatus.PENDING,
        ).exclude(person_id__in=digest_people)
        return _enqueue_pending(due, at)


# --- delivering ----------------------------------------------------------------------------


def _access_and_address(notice: Notice, at: datetime) -> str | None:
    """The address to write to, after setting the notice's final status when there is
    none (access ended, or nowhere to write)."""
    if not visible_cases(notice.person, at).filter(pk=notice.case_id).exists():
        notice.status = NoticeStatus.WITHHELD
        return None
    user = notice.person.user
    if user is None or not user.is_active or not user.email:
        notice.status = NoticeStatus.UNREACHABLE
        return None
    return str(user.email)


def _failed(notices: list[Notice], exc: BaseException, at: datetime) -> None:
    for notice in notices:
        notice.attempts += 1
        notice.last_error = type(exc).__name__[:200]
        if notice.attempts >= MAX_ATTEMPTS:
            notice.status = NoticeStatus.FAILED
            notice.next_attempt_at = None
        else:
            delay = min(RETRY_BASE * 2 ** (notice.attempts - 1), RETRY_MAX)
            notice.next_attempt_at = at + delay
        notice.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    log.warning("notice delivery failed (%s); will retry", type(exc).__name__)


def _receipt(notice: Notice) -> dict[str, Any] | None:
    """The party's receipt for the case's ledger as it stands (None when the ledger has
    no signing key or no checkpoint covers it)."""
    from docket.ledger.checkpoints import receipt_for

    for fresh in (True, False):
        try:
            with transaction.atomic():
                return receipt_for(stream=notice.case.stream, fresh=fresh)
        except DocketError:
            continue
    return None


def notice_deliver(*, notice_id: int) -> str:
    """Send one pending notice (immediate mode). Returns what became of it."""
    at = clock.now()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related("person__user", "case")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.status != NoticeStatus.PENDING:
            return "done"
        if mode_of(notice.person) == DeliveryMode.DIGEST:
            notice.next_attempt_at = None
            notice.save(update_fields=["next_attempt_at"])
            return "digest"
        address = _access_and_address(notice, at)
        if address is None:
            notice.save(update_fields=["status"])
            return str(notice.status)
        if notice.party and notice.receipt is None:
            notice.receipt = _receipt(notice)
        try:
            mail.notice_message(notice, address).send()
        except Exception as exc:
            _failed([notice], exc, at)
            return str(notice.status)
        notice.status = NoticeStatus.SENT
        notice.sent_at = at
        notice.next_attempt_at = None
        notice.save(update_fields=["status", "sent_at", "next_attempt_at", "receipt"])
        return "sent"


def digest_moment(at: datetime) -> datetime:
    """The latest daily summary time at or before ``at`` (DOCKET_NOTICE_DIGEST_HOUR in
    the organization's time zone, default 08:00)."""
    zone = mail.org_zone()
    local = at.astimezone(zone)
    moment = local.replace(hour=mail.digest_hour(), minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= timedelta(days=1)
    return moment


def _digest_is_due(pref: NoticePreference, at: datetime) -> bool:
    moment = digest_moment(at)
    last = max(filter(None, (pref.last_digest_at, pref.changed_at)))
    return last < moment


def digests_due(*, at: datetime | None = None) -> int:
    """Queue the daily summary of everyone whose summary time has come."""
    from .tasks import digest_deliver_task

    at = at or clock.now()
    queued = 0
    waiting = Notice.objects.filter(status=NoticeStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=at)
    )
    prefs = NoticePreference.objects.filter(
        mode=DeliveryMode.DIGEST, person_id__in=waiting.values("person_id")
    )
    for pref in prefs:
        if _digest_is_due(pref, at):
            digest_deliver_task.enqueue(pref.person_id)
            queued += 1
    return queued


def digest_deliver(*, person_id: int) -> int:
    """Send a person's daily summary of pending notices; returns how many it held."""
    at = clock.now()
    with transaction.atomic():
        pref = NoticePreference.objects.select_for_update().filter(person_id=person_id).first()
        if pref is None or pref.mode != DeliveryMode.DIGEST or not _digest_is_due(pref, at):
            return 0
        pending = list(
            Notice.objects.select_for_update(of=("self",))
            .select_related("person__user", "case")
            .filter(person_id=person_id, status=NoticeStatus.PENDING)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=at))
            .order_by("created_at", "id")
        )
        batch: list[Notice] = []
        address = None
        for notice in pending:
            reachable = _access_and_address(notice, at)
            if reachable is None:
                notice.save(update_fields=["status"])
            else:
                batch.append(notice)
                address = reachable
        if not batch or address is None:
            return 0
        receipts: dict[int, dict[str, Any] | None] = {}
        for notice in batch:
            if notice.party and notice.receipt is None:
                if notice.case_id not in receipts:
                    receipts[notice.case_id] = _receipt(notice)
                notice.receipt = receipts[notice.case_id]
        try:
            mail.digest_message(batch, address).send()
        except Exception as exc:
            _failed(batch, exc, at)
            return 0
        for notice in batch:
            notice.status = NoticeStatus.SENT
            notice.sent_at = at
            notice.in_digest = True
            notice.next_attempt_at = None
            notice.save(
                update_fields=["status", "sent_at", "in_digest", "next_attempt_at", "receipt"]
            )
        pref.last_digest_at = at
        pref.save(update_fields=["last_digest_at"])
        return len(batch)
