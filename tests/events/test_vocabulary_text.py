"""Issue 24, finding 6: every string of the event vocabulary is marked, and free text
on a case's or a report's record is sealed (pure: no database)."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from docket.events import registry
from docket.events.case import LEGACY_TEXT
from docket.events.registry import Code, Reference, Text


def _all_strings() -> list[tuple[str, str, str, registry.Mark | None]]:
    return [
        (t.name, t.stream, path, mark)
        for t in registry.all_types()
        for path, mark in registry.string_fields(t.payload)
    ]


def test_every_string_of_every_event_type_is_a_reference_a_code_or_marked_text():
    unmarked = [f"{name}.{path}" for name, _, path, mark in _all_strings() if mark is None]
    assert unmarked == [], (
        "These payload fields are free text in clear, where retention cannot shred them: "
        "seal them (Ref) or make them a bounded code (docket.events.registry)"
    )


def test_the_walk_sees_nested_models_and_lists():
    fields = dict(registry.string_fields(registry.event_type("complaint.received").payload))
    assert isinstance(fields["allegations[].id"], Code)
    assert isinstance(fields["allegations[].summary_ref"], Reference)
    assert isinstance(fields["respondents[]"], Reference)


def test_the_walk_fails_on_a_plain_string():
    class Leaky(registry.Payload):
        note: str
        inner: list[dict[str, str]] = []

    assert ("note", None) in registry.string_fields(Leaky)


def test_every_mark_is_registered():
    for name, _, path, mark in _all_strings():
        if isinstance(mark, Code):
            assert registry.CODES[mark.kind] is mark, f"{name}.{path}"
            assert re.compile(mark.pattern)
        elif isinstance(mark, Text):
            assert registry.TEXTS[mark.kind] is mark, f"{name}.{path}"
        else:
            assert isinstance(mark, Reference)
            assert mark.kind in {"person", "content"}


def test_no_text_in_clear_on_a_case_or_report_record_but_a_deviations_justification():
    clear = {
        (name, path)
        for name, stream, path, mark in _all_strings()
        if isinstance(mark, Text) and stream in {"case", "intake", "any"}
    }
    assert clear == {("deviation.granted", "justification")}
    for name, stream, path, mark in _all_strings():
        if isinstance(mark, Text):
            assert stream in mark.streams, f"{name}.{path} may not be on a {stream} stream"


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("local_id", ["W1", "W2b", "D-3", "IR1"], ["W2 (second interview)", "", "x" * 41]),
        ("citation", ["s.4.2", "Code of Conduct s.2 (physical safety)"], ["a\nb", "x" * 201]),
        ("category", ["physical misconduct", "harassment"], ["R hit C!", "x" * 81]),
        ("key", ["ndc", "league-disciplinary", "procedural_error"], ["NDC", "a b"]),
    ],
)
def test_codes_are_bounded(kind, good, bad):
    code = registry.CODES[kind]
    for value in good:
        assert re.fullmatch(code.pattern, value), value
        assert len(value) <= code.max_length, value
    for value in bad:
        assert not (re.fullmatch(code.pattern, value) and len(value) <= code.max_length), value


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("parallel_proceeding.noted", {"forum": "R's employer", "outcome": "cleared"}),
        ("access.granted", {"person": "P1", "until": "2030-01-01T00:00:00Z", "reason": "Audit"}),
        ("vote.opened", {"vote_id": "V1", "motion": "Recommend expulsion"}),
        ("review.concluded", {"corrective_actions": ["training for the NDC"]}),
        ("note.added", {"label": "Call with C's employer"}),
        ("statement.recorded", {"item": "K", "author": "P", "role": "witness",
                                "label": "W2 (second interview)"}),
    ],
)  # fmt: skip
def test_new_events_refuse_the_old_plain_text(event, payload):
    with pytest.raises(registry.InvalidPayload):
        registry.validate(event, payload)


def test_legacy_fields_name_sealed_references():
    for event, fields in LEGACY_TEXT.items():
        model = registry.event_type(event).payload
        marks = dict(registry.string_fields(model))
        for old, new in fields.items():
            assert old not in model.model_fields
            assert isinstance(marks[new], Reference)
            assert marks[new].kind == "content"


def test_a_model_validation_error_is_not_raised_for_the_sealed_shape():
    try:
        registry.validate("parallel_proceeding.noted", {"forum_ref": "K1", "outcome_ref": "K2"})
    except ValidationError:  # pragma: no cover
        pytest.fail("the sealed shape must validate")
