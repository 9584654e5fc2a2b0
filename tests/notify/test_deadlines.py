"""Reminders before a time limit ends, escalations after a duty is overdue, and nothing for
people whose access ended in between."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from docket.cases import services as s
from docket.cases.acting import load
from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.demo.testing import complaint
from docket.notify.models import Notice, NoticeKind, NoticeStatus
from docket.notify.services import notice_deliver, notices_sweep

from .conftest import SITE

pytestmark = pytest.mark.django_db

RECEIVED = at("2013-03-04T19:00:00-05:00")


@pytest.fixture
def received(league: Any, settings: Any) -> Any:
    """A complaint the Harbor branch executive received and has not acknowledged (the
    protocol gives it seven days)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DOCKET_SITE_URL = SITE
    with frozen_at(RECEIVED):
        case = complaint(
            league,
            allegation="Code of Conduct s.2",
            allegation_text="An allegation text.",
            account="An account.",
        )
    return case


def _acknowledge(case: Any) -> Any:
    obligations = load(case, lock=False).evaluation.obligations
    return next(o for o in obligations if o.deadline == "acknowledge")


def test_a_reminder_before_the_time_limit_then_an_escalation_after_it(league, received):
    duty = _acknowledge(received)
    B1, S1 = league.person("B1"), league.person("S1")
    with frozen_at(duty.remind_at - timedelta(hours=1)):
        assert notices_sweep() == 0  # not yet
    with frozen_at(duty.remind_at + timedelta(hours=1)):
        assert notices_sweep() == 1
        assert notices_sweep() == 0  # never twice
    reminder = Notice.objects.get(kind=NoticeKind.REMINDER)
    assert reminder.person == B1
    assert reminder.due_at == duty.due
    assert reminder.dedupe_key == f"acknowledge:{duty.started_seq}:remind"
    with frozen_at(duty.remind_at + timedelta(hours=2)):
        assert notice_deliver(notice_id=reminder.pk) == "sent"
        assert notice_deliver(notice_id=reminder.pk) == "done"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Docket: a reminder"
    assert "A gentle reminder: a time limit in case" in mail.outbox[0].body
    assert "11 March 2013" in mail.outbox[0].body

    # The respondent writes to the Steering Committee: the case is now addressed to it.
    with frozen_at(RECEIVED + timedelta(days=2)):
        s.objection_file(
            by=league.person("R"),
            case=received.public_id,
            objection_id="O1",
            to_body="sc",
            clauses=["s.2.2"],
            grounds="Nobody has acknowledged the complaint.",
        )
    with frozen_at(duty.due + timedelta(hours=1)):
        notices_sweep()
        notices_sweep()
    overdue = Notice.objects.filter(kind=NoticeKind.OVERDUE)
    # The holding body and the body the case was addressed to; not the parties, and not
    # anyone who cannot see the case (the Bay City officer, the later SC chair).
    assert {n.person for n in overdue} == {B1, S1}
    with frozen_at(duty.due + timedelta(hours=2)):
        for notice in overdue:
            assert notice_deliver(notice_id=notice.pk) == "sent"
    escalations = [m for m in mail.outbox if m.subject == "Docket: a time limit has passed"]
    assert sorted(m.to[0] for m in escalations) == ["b1@league.example", "s1@league.example"]
    for message in mail.outbox:
        assert "An allegation text" not in message.body
        assert "Robin Hale" not in message.body
        assert f"{SITE}/" in message.body


def test_no_reminder_once_the_duty_is_met(league, received):
    duty = _acknowledge(received)
    with frozen_at(RECEIVED + timedelta(days=1)):
        s.complaint_acknowledge(by=league.person("B1"), case=received.public_id, note="Seen.")
    with frozen_at(duty.remind_at + timedelta(hours=1)):
        assert notices_sweep() == 0
    with frozen_at(duty.due + timedelta(days=1)):
        assert notices_sweep() == 0
    assert not Notice.objects.exists()


def test_someone_whose_access_was_revoked_gets_nothing(league, received):
    duty = _acknowledge(received)
    B1 = league.person("B1")
    with frozen_at(duty.remind_at + timedelta(hours=1)):
        notices_sweep()
    reminder = Notice.objects.get(person=B1)
    assert reminder.status == NoticeStatus.PENDING
    # Before the worker gets to it, B1 declares a conflict and is recused: no access.
    with frozen_at(duty.remind_at + timedelta(hours=2)):
        s.conflict_declare(by=B1, case=received.public_id, reasons="I know the respondent well.")
        assert notice_deliver(notice_id=reminder.pk) == NoticeStatus.WITHHELD
    reminder.refresh_from_db()
    assert reminder.status == NoticeStatus.WITHHELD
    assert reminder.sent_at is None
    assert mail.outbox == []
    # ... and the sweep makes nothing new for B1 (nor for anyone else who cannot see it).
    with frozen_at(duty.due + timedelta(hours=1)):
        notices_sweep()
    assert not Notice.objects.filter(person=B1).exclude(pk=reminder.pk).exists()
