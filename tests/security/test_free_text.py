"""Issue 24, Medium 6: free text in ledger payloads is stored in clear, where retention
cannot shred it (the forum and outcome of a parallel proceeding, grant reasons, note
and statement labels; the demo stored "R's employer ... cleared; the complainant did not
take part").

The attack as written: read the ledger's own bytes (``LedgerEvent.body``, what a stolen
database or backup holds, and what retention never touches) for the text people wrote.
Now every free-text field is sealed by the service into a content item, or is a bounded
code that refuses prose; shredding the case's key makes the sealed text unreadable while
the ledger still verifies. All people are fictional (the League of docket.demo).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from docket.cases import interchange
from docket.cases import services as s
from docket.cases.models import Case
from docket.cases.services.interchange import case_import
from docket.core.clock import frozen_at
from docket.core.errors import DocketError, InvalidInput
from docket.crypto.services import case_key_shred, content_read
from docket.demo.reference_live import at
from docket.demo.testing import OPENED_AT, harbor_case_with_panel
from docket.ledger.models import LedgerEvent
from docket.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reference-case.yaml"
FORUM = "R's employer (Harbor Freight Co-op)"
OUTCOME = "cleared; the complainant did not take part"
GRANT = "Audit by the treasurer of the Bay City branch"
MOTION = "Expel R for the assault on C at the March meeting"
ACTIONS = "Train the NDC panel on hearing rules"


def _ledger_bytes(stream: str) -> bytes:
    return b"".join(bytes(e.body) for e in LedgerEvent.objects.filter(stream=stream))


def _read(item: str) -> str:
    return content_read(item=item, reader="test", capacity="test").decode("utf-8")


@pytest.fixture
def case(league: Any) -> Case:
    p = league.person
    made = harbor_case_with_panel(league, reference="2013-026")
    ref = made.public_id
    with frozen_at(at(OPENED_AT)):
        s.parallel_proceeding_note(by=p("N1"), case=ref, forum=FORUM, outcome=OUTCOME)
        s.access_grant(
            by=p("N1"), case=ref, person=p("BC1"), until=at(OPENED_AT) + timedelta(days=30),
            reason=GRANT,
        )  # fmt: skip
        s.note_add(by=p("N1"), case=ref, text="Minutes of the panel's first meeting.", label="N1")
    made.refresh_from_db()
    return made


def test_medium6_free_text_of_new_events_is_not_in_the_ledgers_bytes(case):
    plain = _ledger_bytes(case.stream)
    for text in (FORUM, OUTCOME, GRANT, "R's employer", "did not take part", "treasurer"):
        assert text.encode() not in plain, text
    (noted,) = LedgerEvent.objects.filter(stream=case.stream, type="parallel_proceeding.noted")
    assert _read(noted.payload["forum_ref"]) == FORUM
    assert _read(noted.payload["outcome_ref"]) == OUTCOME
    (granted,) = LedgerEvent.objects.filter(stream=case.stream, type="access.granted")
    assert _read(granted.payload["reason_ref"]) == GRANT


def test_medium6_labels_are_codes_and_prose_is_refused_on_every_path_through_the_service(
    case, league
):
    p = league.person
    ref = case.public_id
    with frozen_at(at(OPENED_AT)):
        for call in (
            lambda: s.note_add(by=p("N1"), case=ref, text="T.", label="Call with C's employer"),
            lambda: s.statement_record(
                by=p("N2"), case=ref, author=p("W1"), role="witness",
                label="W1 (R shouted at her)", text="Statement.",
            ),
        ):  # fmt: skip
            with pytest.raises(InvalidInput) as refused:
                call()
            assert refused.value.data["field"] == "label"
    assert b"shouted" not in _ledger_bytes(case.stream)
    assert b"Call with" not in _ledger_bytes(case.stream)


def test_medium6_shredding_makes_the_sealed_text_unreadable_and_the_ledger_verifies(case):
    refs = [
        e.payload[k]
        for e in LedgerEvent.objects.filter(stream=case.stream)
        for k in ("forum_ref", "outcome_ref", "reason_ref")
        if k in e.payload
    ]
    assert len(refs) == 3
    case_key_shred(stream=case.stream, reason="retention period ended")
    for item in refs:
        with pytest.raises(DocketError) as refused:
            _read(item)
        assert refused.value.code == "content.shredded"
    assert verify_ledger().ok


def test_medium6_an_imported_record_seals_the_text_an_older_file_held_in_clear(league):
    """The reference case's file is in the older shape (forum, outcome and the motions in
    clear); the import seals them into content items of the new case."""
    result = case_import(parsed=interchange.read(FIXTURE), recorded_by="Review secretary")
    assert result.case is not None
    plain = _ledger_bytes(result.case.stream)
    for text in ("R's employer", "did not take part", "Recommend expulsion"):
        assert text.encode() not in plain, text
    (noted,) = LedgerEvent.objects.filter(
        stream=result.case.stream, type="parallel_proceeding.noted"
    )
    assert _read(noted.payload["forum_ref"]) == "R's employer"
    assert _read(noted.payload["outcome_ref"]) == OUTCOME
