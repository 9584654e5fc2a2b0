"""Two people act on the same case at once: one succeeds, the other is told the case
changed and to reload; nothing is lost or half-written (issue 12)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections

from docket.cases import services as s
from docket.cases.models import Case
from docket.core.errors import Conflict
from docket.ledger.selectors import stream_events
from docket.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_success_and_one_reload_answer(league):
    p = league.person
    from datetime import UTC, datetime

    from docket.core.clock import frozen_at

    with frozen_at(datetime(2026, 1, 5, 10, tzinfo=UTC)):
        case = s.complaint_receive(
            by=p("BC1"),
            protocol_id="league-disciplinary",
            received_by="branch_executive",
            category="conduct",
            channel="written",
            reporter_role="affected",
            complainants=[p("M2")],
            respondents=[p("M1")],
            unit=league.units["bay-city"],
            allegations=[s.AllegationInput("A1", "Code s.3")],
        )
    head = Case.objects.get(pk=case.pk).head_seq
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(text: str) -> None:
        try:
            barrier.wait()
            s.note_add(by=p("BC1"), case=case.public_id, text=text, expect_seq=head)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=act, args=(f"Note {i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["case.changed", "ok"]
    events = stream_events(case.stream)
    assert [e.seq for e in events] == list(range(1, head + 2))
    assert Case.objects.get(pk=case.pk).head_seq == head + 1
    assert verify_ledger().ok
