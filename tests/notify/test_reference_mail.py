"""Acceptance (issue 10): the reference case run live, notices delivered by the worker to
a real SMTP server on loopback. The right people hear, nobody else does, and no message
holds a statement, an allegation or anyone's name."""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from docket.cases import acting
from docket.core.clock import frozen_at
from docket.demo.league import EXTRA_PEOPLE, reference_document
from docket.demo.reference_live import STATEMENTS, at, run_reference_case
from docket.ledger.models import LedgerEvent
from docket.ledger.note import parse_vkey
from docket.ledger.proofs import check_receipt
from docket.notify.models import Notice, NoticeKind, NoticeStatus
from docket.notify.services import preference_set

from .conftest import SITE, Recorder, address

pytestmark = pytest.mark.django_db(transaction=True)

END = at("2019-03-26T10:00:00-04:00")


def run_worker() -> str:
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()


@pytest.fixture
def worker_alongside() -> Iterator[None]:
    """A worker that runs right after every case event, at the moment of the event (as a
    worker running beside the app would): registered after the notice listener."""

    def tick(case: Any, row: LedgerEvent) -> None:
        run_worker()

    acting.on_case_event(tick)
    try:
        yield
    finally:
        acting._AFTER_COMMIT.remove(tick)


def _real_names() -> list[str]:
    people = {**reference_document()["people"], **EXTRA_PEOPLE}
    return [str(spec["name"]) for spec in people.values()]


def _non_member_names() -> list[str]:
    people = reference_document()["people"]
    return [str(s["name"]) for s in people.values() if not s.get("member")]


def _assert_nothing_confidential(smtp: Recorder) -> None:
    forbidden = [*STATEMENTS.values(), *_real_names(), "assault", "Dana", "expulsion"]
    assert smtp.messages
    for received in smtp.messages:
        for text in forbidden:
            assert text not in received.raw, (text, received.to)
            assert text not in received.text, (text, received.to)
        assert "2013-004" not in received.subject  # subjects say nothing about the case


def _seq_of(case: Any, event_type: str) -> int:
    return (
        LedgerEvent.objects.filter(stream=case.stream, type=event_type)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )


def test_the_right_people_hear_and_nobody_else(league, smtp, worker_alongside):
    run = run_reference_case(league)
    case = run.case
    with frozen_at(END):
        run_worker()

    # The respondent and their advocate were told when the statements were shared.
    for key in ("R", "A"):
        disclosed = Notice.objects.get(
            person=league.person(key), kind=NoticeKind.MATERIAL_DISCLOSED
        )
        assert disclosed.status == NoticeStatus.SENT
        assert disclosed.seq == _seq_of(case, "material.disclosed")
        mails = [m for m in smtp.to(address(key)) if "New material in case 2013-004" in m.text]
        assert len(mails) == 1
        text = mails[0].text
        assert f"{SITE}/" in text
        assert case.public_id in text
        assert "12 August 2013" in text  # the answer window from the engine's obligation
        # ... with the party's receipt, which verifies.
        receipt = json.loads(next(p for p in mails[0].message.iter_attachments()).get_content())
        assert receipt["stream"] == case.stream
        assert receipt["seq"] >= disclosed.seq
        assert check_receipt(receipt, parse_vkey(receipt["key"]))
        assert receipt["hash"] in text
    # The complainant's side was not given the witness statements, and is not told so.
    for key in ("C", "CA"):
        assert not Notice.objects.filter(
            person=league.person(key), kind=NoticeKind.MATERIAL_DISCLOSED
        ).exists()
    # The hearing: both sides and the panel.
    hearing = _seq_of(case, "hearing.scheduled")
    for key in ("R", "A", "C", "CA", "X2", "X3"):  # X1 scheduled it
        notice = Notice.objects.get(person=league.person(key), seq=hearing)
        assert notice.kind == NoticeKind.HEARING_SCHEDULED
        assert notice.status == NoticeStatus.SENT
    # The panel when its vote is due (the chair opened it himself: no notice to him).
    vote = _seq_of(case, "vote.opened")
    for key in ("X2", "X3"):
        notice = Notice.objects.get(person=league.person(key), seq=vote)
        assert notice.kind == NoticeKind.ACTION_DUE
        assert notice.status == NoticeStatus.SENT
        assert any("is waiting for you" in m.text for m in smtp.to(address(key)))
    assert not Notice.objects.filter(person=league.person("X1"), seq=vote).exists()
    # The decision: both sides.
    decision = _seq_of(case, "decision.issued")
    for key in ("R", "A", "C", "CA"):
        notice = Notice.objects.get(person=league.person(key), seq=decision)
        assert notice.kind == NoticeKind.DECISION_ISSUED
        assert notice.status == NoticeStatus.SENT
    # Nobody outside the case gets anything; witnesses and the 2019 letter writer neither.
    for key in ("BC1", "W1", "W2", "W3", "W4", "W5", "N4"):
        assert smtp.to(address(key)) == [], key
        assert not Notice.objects.filter(person=league.person(key)).exists(), key
    # Every message went to someone a notice was sent to, once each.
    sent = Notice.objects.filter(status=NoticeStatus.SENT)
    assert len(smtp.messages) == sent.count()
    assert all(len(m.to) == 1 for m in smtp.messages)
    assert {m.to[0] for m in smtp.messages} == {n.person.user.email for n in sent}
    _assert_nothing_confidential(smtp)

    # Running the worker again sends nothing twice.
    before = len(smtp.messages)
    with frozen_at(END):
        run_worker()
        run_worker()
    assert len(smtp.messages) == before


def test_nobody_is_told_after_their_access_ended(league, smtp):
    """No worker ran in 2013: by 2019 the Appeals Committee panel no longer sees the case
    (its terms ended and the case went back to the Steering Committee), so the panel's
    notices are withheld; the parties, who still see their case, are told."""
    run = run_reference_case(league)
    assert Notice.objects.filter(status=NoticeStatus.PENDING).exists()
    with frozen_at(END):
        run_worker()
    for key in ("X2", "X3"):  # X1 took the steps himself and had no notices
        assert smtp.to(address(key)) == []
        statuses = set(
            Notice.objects.filter(person=league.person(key)).values_list("status", flat=True)
        )
        assert statuses == {NoticeStatus.WITHHELD}
    assert (
        Notice.objects.get(person=league.person("R"), kind=NoticeKind.MATERIAL_DISCLOSED).status
        == NoticeStatus.SENT
    )
    assert smtp.to(address("R"))
    assert not Notice.objects.filter(case=run.case, status=NoticeStatus.PENDING).exists()
    _assert_nothing_confidential(smtp)


def test_a_refused_delivery_is_retried_with_backoff_and_sent_once(league, smtp):
    run_reference_case(league)
    pending = Notice.objects.filter(status=NoticeStatus.PENDING).count()
    smtp.refuse = 1
    with frozen_at(END):
        run_worker()
    failed = Notice.objects.get(status=NoticeStatus.PENDING)
    assert failed.attempts == 1
    assert failed.last_error == "SMTPDataError"
    assert failed.next_attempt_at is not None
    assert failed.next_attempt_at > END
    got = len(smtp.messages)
    # Not due yet: nothing more is sent.
    with frozen_at(END):
        run_worker()
    assert len(smtp.messages) == got
    # After the backoff, the notice goes out, once.
    with frozen_at(failed.next_attempt_at):
        run_worker()
        run_worker()
    failed.refresh_from_db()
    assert failed.status == NoticeStatus.SENT
    assert len(smtp.messages) == got + 1
    sent_or_withheld = Notice.objects.exclude(status=NoticeStatus.PENDING).count()
    assert sent_or_withheld == pending


def test_daily_summary_batches_a_persons_notices(league, smtp):
    with frozen_at(at("2013-03-01T12:00:00-05:00")):
        preference_set(person=league.person("R"), mode="digest")
    run_reference_case(league)
    mine = Notice.objects.filter(person=league.person("R"))
    assert mine.count() >= 3
    morning = at("2019-03-27T09:00:00-04:00")  # after 08:00 in the League's time zone
    with frozen_at(morning):
        run_worker()
        run_worker()
    received = smtp.to(address("R"))
    assert len(received) == 1
    assert received[0].subject == "Docket: your daily summary"
    assert received[0].text.count("2013-004") == mine.count()
    assert set(mine.values_list("status", "in_digest")) == {(NoticeStatus.SENT, True)}
    # Someone on immediate notices got them one by one.
    assert (
        len(smtp.to(address("A")))
        == Notice.objects.filter(person=league.person("A"), status=NoticeStatus.SENT).count()
        > 1
    )
    _assert_nothing_confidential(smtp)
    # The next summary is tomorrow's, and there is nothing new for it.
    with frozen_at(at("2019-03-28T09:00:00-04:00")):
        run_worker()
    assert len(smtp.to(address("R"))) == 1
