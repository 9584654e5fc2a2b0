"""Broken protocol files: each problem is reported with its file, line and field, in
plain words, and ``docket protocol check`` fails on every one of them."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from docket.protocol.loader import ProtocolInvalid, load_protocol

BROKEN = Path(__file__).resolve().parent / "broken"
ROOT = Path(__file__).resolve().parents[2]

# file -> (line, field, words the message must contain)
EXPECTED: dict[str, tuple[int, str, str]] = {
    "bad_yaml": (18, "", "not valid YAML"),
    "duplicate_key": (8, "protocol.version", "this key appears twice"),
    "unknown_field": (12, "bodies.committee.colour", "not part of the protocol language"),
    "missing_field": (3, "protocol.title", "this field is required"),
    "unknown_condition": (
        28,
        "rules.notice_first.require.happened",
        "unknown condition 'happened'",
    ),
    "bad_condition_setting": (
        28,
        "rules.notice_first.require.days_since.unit",
        "unknown setting 'unit'",
    ),
    "unknown_event_in_condition": (
        28,
        "rules.notice_first.require.occurred.event",
        "no event type 'charges.mailed'",
    ),
    "unknown_action": (22, "actions.expel_at_once", "not an action Docket knows"),
    "unknown_body": (20, "actions.serve_charges.by[1]", "no body 'council'"),
    "unknown_capacity": (20, "actions.serve_charges.by", "unknown capacity 'treasurer'"),
    "bad_stage": (21, "actions.open_vote.stages[0]", "no stage 'hearing'"),
    "bad_moves_to": (20, "actions.serve_charges.moves_to", "no stage 'trial'"),
    "no_closed_stage": (16, "stages", 'needs a "closed" stage'),
    "bad_deadline_event": (33, "deadlines.answer.starts", "no event type 'charges.sent'"),
    "bad_deadline_kind": (36, "deadlines.answer.kind", "'duty' or 'window'"),
    "unknown_deviation_rule": (40, "deviations[0].rules[1]", "no rule 'hearing_first'"),
    "wrong_type": (4, "protocol.version", "valid integer"),
    "unknown_rule_action": (26, "rules.notice_first.applies_to[1]", "no action 'hold_trial'"),
    "bad_material_kind": (
        28,
        "rules.notice_first.require.disclosed.material[0]",
        "unknown material kind 'gossip'",
    ),
    "unknown_sanction_in_condition": (
        29,
        "rules.hearing_before_expulsion.require.any[0].not.sanction_among[1]",
        "no sanction 'banishment'; the sanctions section declares reprimand, expulsion",
    ),
    "sanction_among_on_silent_step": (
        32,
        "rules.hearing_before_expulsion.require.any[0].not.sanction_among",
        "the step close_vote names no sanction, so this condition is always false for it; "
        "apply the rule only to open_vote, issue_decision or apply_sanction",
    ),
    "empty": (1, "", "the file is empty"),
    "not_a_mapping": (1, "", "a protocol is a mapping of sections"),
}


def test_every_broken_file_has_an_expectation():
    assert {p.stem for p in BROKEN.glob("*.yaml")} == {*EXPECTED, "many_problems"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_problem_names_file_line_and_field(name):
    line, field, words = EXPECTED[name]
    path = BROKEN / f"{name}.yaml"
    with pytest.raises(ProtocolInvalid) as caught:
        load_protocol(path)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    (problem,) = problems
    assert (problem.line, problem.field) == (line, field)
    assert words in problem.message
    # The rendered message is "file:line: field: problem".
    rendered = f"{path}:{line}: {field or '(top)'}: "
    assert str(caught.value.message).startswith(rendered), caught.value.message


# What the reported line of the file shows, for problems that point inside it.
ON_THE_LINE = {
    "duplicate_key": "version: 2",
    "unknown_field": "colour: blue",
    "unknown_condition": "happened:",
    "bad_condition_setting": "unit: weeks",
    "unknown_event_in_condition": "charges.mailed",
    "unknown_action": "expel_at_once:",
    "unknown_body": "body:council",
    "unknown_capacity": "treasurer",
    "bad_stage": "stages: [hearing]",
    "bad_moves_to": "moves_to: trial",
    "bad_deadline_event": "starts: charges.sent",
    "bad_deadline_kind": "kind: suggestion",
    "unknown_deviation_rule": "hearing_first",
    "wrong_type": "version: first",
    "unknown_rule_action": "hold_trial",
    "bad_material_kind": "gossip",
    "unknown_sanction_in_condition": "banishment",
    "sanction_among_on_silent_step": "sanction_among: [expulsion]",
}


@pytest.mark.parametrize("name", sorted(ON_THE_LINE))
def test_the_line_is_where_the_problem_is(name):
    line = EXPECTED[name][0]
    text = (BROKEN / f"{name}.yaml").read_text().splitlines()[line - 1]
    assert ON_THE_LINE[name] in text


def test_every_problem_of_a_file_is_reported():
    with pytest.raises(ProtocolInvalid) as caught:
        load_protocol(BROKEN / "many_problems.yaml")
    found = {(p.line, p.field) for p in caught.value.problems}
    assert found == {(4, "protocol.version"), (16, "stages[0].id"), (34, "deadlines.answer.days")}


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path):
    with pytest.raises(ProtocolInvalid) as caught:
        load_protocol(tmp_path / "missing.yaml")
    assert "cannot read the file" in caught.value.problems[0].message


def test_check_command_fails_on_each_broken_file():
    for name, (line, field, _) in EXPECTED.items():
        path = BROKEN / f"{name}.yaml"
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError) as caught:
            call_command("protocol", "check", str(path), stdout=out, stderr=err)
        assert caught.value.returncode == 1
        assert f"{path}:{line}: {field or '(top)'}: " in err.getvalue(), err.getvalue()
        assert out.getvalue() == ""


def test_check_command_reports_good_and_bad_files_together():
    out, err = StringIO(), StringIO()
    good = ROOT / "protocols" / "league-v1.yaml"
    bad = BROKEN / "unknown_body.yaml"
    with pytest.raises(CommandError, match="1 of 2 protocol file"):
        call_command("protocol", "check", str(good), str(bad), stdout=out, stderr=err)
    assert f"{good}: ok — League Disciplinary Protocol v1," in out.getvalue()
    assert f"{bad}:20: actions.serve_charges.by[1]: no body 'council'" in err.getvalue()


def test_show_refuses_a_broken_file():
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("protocol", "show", str(BROKEN / "bad_stage.yaml"), stderr=err)
    assert "bad_stage.yaml:21: actions.open_vote.stages[0]: no stage 'hearing'" in err.getvalue()


def test_cli_exit_status_on_broken_files():
    docket = Path(sys.executable).parent / "docket"
    files = sorted(str(p) for p in BROKEN.glob("*.yaml"))
    result = subprocess.run(
        [str(docket), "protocol", "check", *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    for name, (line, field, _) in EXPECTED.items():
        assert f"{name}.yaml:{line}: {field or '(top)'}: " in result.stderr, name
    assert "ok —" not in result.stdout
