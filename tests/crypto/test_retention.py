"""Retention: policies from the case layer, legal holds, `docket retention run`."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from tests.crypto.conftest import MARKER, needs_journal

from docket.crypto import retention
from docket.crypto.errors import ContentShredded
from docket.crypto.models import CaseKey, ContentItem
from docket.crypto.services import content_read, legal_hold_lift, legal_hold_place

pytestmark = [pytest.mark.django_db(transaction=True), needs_journal]

TODAY = date(2026, 6, 1)


@pytest.fixture
def policy():
    """Stands in for the case layer: closed cases with their retention due dates."""
    due = {
        "case:OLD1": date(2026, 1, 1),
        "case:OLD2": date(2026, 5, 31),
        "case:HELD": date(2025, 1, 1),
        "case:NEW1": date(2030, 1, 1),
    }

    def closed_cases(today):
        return [
            retention.Candidate(stream=s, due=d, reason="closed + 6 years") for s, d in due.items()
        ]

    retention.register_policy(closed_cases)
    yield due
    retention.unregister_policy(closed_cases)


@pytest.fixture
def cases(put, policy):
    items = {s: put(f"{MARKER} in {s}", stream=s) for s in policy}
    legal_hold_place(stream="case:HELD", reason="civil claim pending", placed_by="person:SC1")
    return items


@pytest.fixture(autouse=True)
def without_the_case_layer():
    """These tests exercise the mechanism with their own policies: set the case layer's
    policy and its shredding record aside for the duration."""
    from docket.cases import retention as cases_retention
    from docket.crypto import retention as crypto_retention

    crypto_retention.unregister_policy(cases_retention.closed_cases)
    crypto_retention.off_shred(cases_retention.record_shredding)
    yield
    cases_retention.register()


def run(*args):
    out = io.StringIO()
    call_command("retention", "run", *args, "--today", TODAY.isoformat(), stdout=out)
    return out.getvalue()


def test_plan_lists_due_and_held_but_not_future_cases(cases):
    plan = {d.stream: d for d in retention.retention_plan(today=TODAY)}
    assert set(plan) == {"case:OLD1", "case:OLD2", "case:HELD"}
    assert plan["case:HELD"].status == "held"
    assert plan["case:HELD"].holds == ["civil claim pending"]
    assert plan["case:OLD1"].status == "due"
    assert plan["case:OLD1"].items == 1


def test_dry_run_lists_and_changes_nothing(cases):
    out = run("--dry-run")
    assert "would be shredded (dry run)" in out
    assert "case:OLD1" in out
    assert "case:OLD2" in out
    assert "would shred" in out
    assert "held: civil claim pending" in out
    assert "case:NEW1" not in out
    assert not CaseKey.objects.filter(shredded_at__isnull=False).exists()
    for item in cases.values():
        assert content_read(item=item, reader="person:A", capacity="admin")


def test_run_shreds_due_cases_and_respects_holds(cases):
    out = run()
    assert out.count("shredded") >= 2
    for stream in ("case:OLD1", "case:OLD2"):
        with pytest.raises(ContentShredded) as err:
            content_read(item=cases[stream], reader="person:A", capacity="admin")
        assert "retention: closed + 6 years" in err.value.data["reason"]
    for stream in ("case:HELD", "case:NEW1"):
        assert content_read(item=cases[stream], reader="person:A", capacity="admin")
    assert "case:OLD1" not in run()  # already shredded: not listed again
    hold = retention.LegalHold.objects.get(stream="case:HELD")
    legal_hold_lift(hold=hold, lifted_by="person:SC1")
    run()
    assert ContentItem.objects.get(pk=cases["case:HELD"].pk).shredded


def test_no_policy_means_nothing_due(db, dirs):
    out = io.StringIO()
    call_command("retention", "run", "--dry-run", stdout=out)
    assert "No retention policy is registered" in out.getvalue()


def test_ledger_still_verifies_after_shredding(cases):
    from docket.ledger.services import ledger_append
    from docket.ledger.verify import verify_ledger

    item = cases["case:OLD1"]
    with transaction.atomic():
        ledger_append(
            stream=item.stream,
            type="ledger.note",
            actor="person:C",
            capacity="complainant",
            payload={"text_ref": item.public_id, "label": "statement recorded"},
        )
    content_read(item=item, reader="person:P1", capacity="panel")  # journaled
    assert verify_ledger().ok
    run()
    assert ContentItem.objects.get(pk=item.pk).shredded
    report = verify_ledger()
    assert report.ok, report.faults
    assert report.events == 1
    assert report.journal_entries == 1
