"""Case interchange: the reference history imports and is judged; export then import
gives the same case; bad files are refused whole (issue 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from docket.cases import interchange
from docket.cases.acting import load
from docket.cases.models import Case
from docket.cases.services.interchange import case_export, case_import
from docket.core.errors import InvalidInput
from docket.crypto.models import ContentItem
from docket.ledger.models import LedgerEvent
from docket.org.models import Person
from docket.org.services import organization_create

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reference-case.yaml"
pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db, keys, protocols):
    return organization_create(
        actor="test", capacity="admin", name="The League", time_zone="America/New_York"
    )


def counts():
    return (
        Case.objects.count(),
        LedgerEvent.objects.count(),
        Person.objects.count(),
        ContentItem.objects.count(),
    )


def normalized(case: Case) -> list[tuple]:
    """The case's events with references replaced by what they point at."""
    names = {p.public_id: p.display_name for p in Person.objects.all()}
    texts = {}
    for item in ContentItem.objects.filter(stream=case.stream):
        from docket.crypto.services import content_read

        texts[item.public_id] = content_read(item=item, reader="test", capacity="test")

    def resolve(kind, value):
        return names[value] if kind == "person" else texts[value]

    return [
        (
            e.type,
            e.occurred_at,
            e.capacity,
            names[e.actor],
            repr(interchange.translated(e.type, e.payload, resolve)),
            e.deviation,
        )
        for e in LedgerEvent.objects.filter(stream=case.stream).order_by("seq")
    ]


def test_reference_history_imports_and_yields_the_three_violations(org):
    result = case_import(parsed=interchange.read(FIXTURE), recorded_by="test")
    case = result.case
    assert case is not None
    assert case.reference == "2013-004"
    assert result.events == 46
    evaluation = load(case, lock=False).evaluation
    assert {(v.key, v.clause) for v in evaluation.violations} == {
        ("statements_shown_before_vote", "s.4.2"),
        ("hearing_before_vote", "s.4.3"),
        ("record_before_work", "s.7.3"),
    }
    rows = LedgerEvent.objects.filter(stream=case.stream)
    assert {r.provenance for r in rows} == {"import"}
    assert {r.recorded_by for r in rows} == {"Review secretary"}
    first = rows.order_by("seq").first()
    assert first.occurred_at.year == 2013
    assert first.recorded_at.year >= 2026
    assert case.violations == 3
    assert case.stage == "review"
    # The complainant, not a member, is known by her label; her name is sealed.
    complainant = Person.objects.get(display_name="Complainant C")
    assert complainant.pseudonymous
    assert complainant.identity_ref
    assert not Person.objects.filter(display_name="Dana Ortiz").exists()


def test_export_then_import_gives_the_same_case(org, tmp_path):
    first = case_import(parsed=interchange.read(FIXTURE), recorded_by="test").case
    exported = case_export(case=first, reader="test")
    exported.document["case"]["reference"] = "2013-004-copy"
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(exported.document, sort_keys=False))
    second = case_import(parsed=interchange.read(tmp_path / "case.yaml"), recorded_by="test").case
    assert normalized(second) == normalized(first)


def test_sealed_attachments_round_trip_and_refuse_a_wrong_passphrase(org, tmp_path):
    first = case_import(parsed=interchange.read(FIXTURE), recorded_by="test").case
    exported = case_export(case=first, reader="test", content="sealed", passphrase="tide pool")
    exported.document["case"]["reference"] = "2013-004-sealed"
    for name, data in exported.attachments.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
        assert b"Interview notes" not in data
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(exported.document, sort_keys=False))
    parsed = interchange.read(tmp_path / "case.yaml")
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        case_import(parsed=parsed, recorded_by="test", passphrase="wrong")
    assert refused.value.code == "interchange.sealed_attachment"
    assert counts() == before
    second = case_import(parsed=parsed, recorded_by="test", passphrase="tide pool").case
    assert normalized(second) == normalized(first)


BROKEN = [
    # (what to change, expected "line: field" fragment, expected message fragment)
    (
        lambda t: t.replace("type: vote.cast, actor: N2", "type: vote.caste, actor: N2"),
        "events[18].type",
        "not a case event type",
    ),
    (
        lambda t: t.replace("actor: W2, capacity: witness", "actor: W9, capacity: witness"),
        "events[22].actor",
        "no person 'W9'",
    ),
    (
        lambda t: t.replace("item: statement-w3,", "item: statement-w9,"),
        "events[15].payload",
        "'statement-w9' is not listed in content",
    ),
    (
        lambda t: t.replace("choice: statement_only", "choice: maybe"),
        "events[11].payload.choice",
        "Input should be",
    ),
    (
        lambda t: t.replace("docket_interchange: 1", "docket_interchange: 2"),
        "docket_interchange",
        "Input should be 1",
    ),
]


@pytest.mark.parametrize(("change", "where", "what"), BROKEN)
def test_bad_files_are_refused_whole_with_file_line_errors(org, tmp_path, change, where, what):
    text = change(FIXTURE.read_text())
    path = tmp_path / "broken.yaml"
    path.write_text(text)
    before = counts()
    with pytest.raises(interchange.InterchangeInvalid) as refused:
        case_import(parsed=interchange.read(path), recorded_by="test")
    message = refused.value.message
    assert f"{path}:" in message, message
    assert where in message, message
    assert what in message, message
    line = int(message.split(f"{path}:")[1].split(":")[0])
    assert line > 1
    assert counts() == before


def test_dry_run_changes_nothing(org):
    before = counts()
    result = case_import(parsed=interchange.read(FIXTURE), recorded_by="test", dry_run=True)
    assert result.case is None
    assert result.events == 46
    assert len(result.violations) == 3
    assert counts() == before
