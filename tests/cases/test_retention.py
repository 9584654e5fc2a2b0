"""Retention: a closed case's content is shredded when its protocol says; the record
stays and verifies, and says when the content was destroyed (issue 6)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from docket.cases import services as s
from docket.cases.models import Case
from docket.core.clock import frozen_at
from docket.core.errors import DocketError
from docket.crypto.models import ContentItem
from docket.crypto.retention import retention_plan, retention_run
from docket.crypto.services import content_read, legal_hold_place
from docket.ledger.selectors import stream_events
from docket.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_case(league):
    with frozen_at(datetime(2014, 2, 3, 15, tzinfo=UTC)):
        case = s.complaint_receive(
            by=league.person("B1"),
            protocol_id="league-disciplinary",
            received_by="branch_executive",
            category="conduct",
            channel="written",
            reporter_role="third_party",
            respondents=[league.person("W1")],
            unit=league.units["harbor"],
            allegations=[s.AllegationInput("A1", "Code s.3", "A rude remark at a meeting.")],
            account="A member wrote about a remark at the February meeting.",
        )
        s.case_close(
            by=league.person("B1"),
            case=case.public_id,
            disposition="not_proceeded",
            reasons="Resolved by an apology.",
        )
    return Case.objects.get(pk=case.pk)


def test_content_is_kept_until_the_period_ends(closed_case):
    assert retention_plan(today=date(2039, 2, 2)) == []  # 25 years: not yet
    (due,) = retention_plan(today=date(2039, 2, 3))
    assert due.stream == closed_case.stream
    assert due.status == "due"
    assert due.items > 0


def test_shredding_destroys_content_but_the_record_stays_and_verifies(closed_case):
    items = list(ContentItem.objects.filter(stream=closed_case.stream))
    with frozen_at(datetime(2039, 2, 4, 9, tzinfo=UTC)):
        (done,) = retention_run(today=date(2039, 2, 4))
    assert done.status == "shredded"
    for item in items:
        with pytest.raises(DocketError) as refused:
            content_read(item=item.public_id, reader="test", capacity="test")
        assert refused.value.code == "content.shredded"
    last = stream_events(closed_case.stream)[-1]
    assert last.type == "content.shredded"
    assert last.payload["items"] == len(items)
    assert verify_ledger().ok
    assert retention_plan(today=date(2040, 1, 1)) == []  # nothing left to do


def test_a_legal_hold_keeps_content(closed_case):
    legal_hold_place(stream=closed_case.stream, reason="Court order 2038-17", placed_by="test")
    (held,) = retention_run(today=date(2039, 2, 4))
    assert held.status == "held"
    assert ContentItem.objects.filter(stream=closed_case.stream, shredded=False).exists()
