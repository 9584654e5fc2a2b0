"""Generate the tables of actions and conditions in docs/protocols.md from the code.

    .venv/bin/python docs/protocol_tables.py          # rewrite the tables in place
    .venv/bin/python docs/protocol_tables.py --check  # exit 1 if the doc is out of date

The tables sit between ``<!-- NAME:begin -->`` and ``<!-- NAME:end -->`` markers.
tests/protocol/test_protocol_docs.py runs the check, so a new action or condition
cannot ship without its line in the reference.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from docket.events.registry import event_type
from docket.protocol.actions import ACTIONS, SANCTION_FIELDS
from docket.protocol.conditions import CONDITION_KEYWORDS, parse_condition, words
from docket.protocol.engine import RECORD_ONLY

DOC = Path(__file__).resolve().parent / "protocols.md"

# keyword -> (settings, an example as written in a protocol)
CONDITIONS: dict[str, tuple[str, str]] = {
    "all": (
        "a list of conditions; every one must hold",
        "all: [{record_received: {}}, {quorum: {}}]",
    ),
    "any": (
        "a list of conditions; at least one must hold",
        "any: [{not: {occurred: appeal.filed}}, {occurred: appeal.decided}]",
    ),
    "not": ("one condition, which must not hold", "not: {occurred: appeal.filed}"),
    "occurred": (
        "`event` (an event type; a bare event type is short for this), `party` (complainant"
        " or respondent: only events for that party), `scope` (proceeding, the default, or"
        " case)",
        "occurred: {event: charges.served, scope: case}",
    ),
    "disclosed": (
        "`material` (kinds: complaint, complainant_statement, respondent_statement,"
        " witness_statement, evidence, investigation_report), `to` (complainant or"
        " respondent), `scope` (proceeding or case)",
        "disclosed: {material: [witness_statement], to: respondent}",
    ),
    "deadline_passed_or_met": (
        "`deadline` (a key of the deadlines section; a bare key is short for this)",
        "deadline_passed_or_met: respondent_answer",
    ),
    "days_since": (
        "`event`, `at_least` (days), `calendar` (calendar or business), `party`",
        "days_since: {event: charges.served, at_least: 10}",
    ),
    "within_days": (
        "`event`, `days`, `calendar` (calendar or business)",
        "within_days: {event: decision.issued, days: 14}",
    ),
    "hearing_held_or_waived": (
        "`waivable_by` (a list of party roles; none: the hearing cannot be waived)",
        "hearing_held_or_waived: {waivable_by: [respondent]}",
    ),
    "record_received": ("none", "record_received: {}"),
    "nothing_withheld": ("none", "nothing_withheld: {}"),
    "actor_is_not": (
        "a list of parts: party, complainant, respondent, advocate, witness, investigator,"
        " panel, earlier_panel, conflicted",
        "actor_is_not: [investigator, conflicted]",
    ),
    "members_are_not": (
        "a list of parts (as for actor_is_not), checked for every person the step names: "
        "the members of a panel, or the one person appointed (an investigator)",
        "members_are_not: [party, witness, advocate, conflicted]",
    ),
    "participating": ("`party`", "participating: {party: complainant}"),
    "consented": (
        "`parties` (a list of party roles)",
        "consented: {parties: [complainant, respondent]}",
    ),
    "quorum": ("none; uses decisions.quorum", "quorum: {}"),
    "vote_passed": (
        "none; uses decisions.threshold and the sanction's own threshold",
        "vote_passed: {}",
    ),
    "ratified": ("none; uses each sanction's ratified_by", "ratified: {}"),
    "grounds_allowed": ("none; uses appeal_grounds", "grounds_allowed: {}"),
    "sanction_among": (
        "a list of keys of the sanctions section (a bare key is short for a list of one)",
        "sanction_among: [expulsion, suspension]",
    ),
}

MEANING: dict[str, str] = {
    "all": "every listed condition holds",
    "any": "at least one listed condition holds",
    "not": "the inner condition does not hold",
    "occurred": "an event of this type is on the record (before the moment judged)",
    "disclosed": "every item of these kinds in scope has been given to the party",
    "deadline_passed_or_met": "no time under this deadline is still running in this proceeding",
    "days_since": "at least N days have passed since the latest such event in this proceeding",
    "within_days": "no more than N days have passed since the latest such event",
    "hearing_held_or_waived": (
        "a hearing was held in this proceeding, or waived by a party allowed to"
    ),
    "record_received": "the body holding the case has received the whole earlier record",
    "nothing_withheld": "a handover of the record keeps no part of it back",
    "actor_is_not": "the person acting plays none of these parts in the case",
    "members_are_not": "nobody the step names (panel members, an appointee) plays these parts",
    "participating": "the party has not chosen to step back",
    "consented": "each party has given written consent and not withdrawn it",
    "quorum": "enough panel members have voted on the vote named in the payload",
    "vote_passed": "the closed vote reached the threshold (for sanctions)",
    "ratified": "the decision was ratified where a sanction requires it, and not overruled",
    "grounds_allowed": "the appeal's grounds are all among appeal_grounds",
    "sanction_among": (
        "the step proposes or imposes one of these sanctions: the sanction of a vote's motion,"
        " of a decision whose outcome is a sanction, or the sanction applied; only "
        + words([f"`{a}`" for a in SANCTION_FIELDS])
        + " name one, and a rule that applies this condition to any other step is refused"
        " when the protocol is loaded"
    ),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def actions_table() -> str:
    rows = [
        "| action | event | what it means | record-only |",
        "| --- | --- | --- | --- |",
    ]
    for action in ACTIONS.values():
        summary = event_type(action.event).summary
        rows.append(
            f"| `{action.name}` | `{action.event}` | {_cell(action.title)}: "
            f"{_cell(summary)} | {'yes' if action.name in RECORD_ONLY else ''} |"
        )
    return "\n".join(rows)


def conditions_table() -> str:
    rows = [
        "| condition | settings | holds when | example | read as |",
        "| --- | --- | --- | --- | --- |",
    ]
    for keyword in CONDITION_KEYWORDS:
        settings, example = CONDITIONS[keyword]
        described = parse_condition(yaml.safe_load(example)).describe()
        rows.append(
            f"| `{keyword}` | {_cell(settings)} | {_cell(MEANING[keyword])} | "
            f"`{_cell(example)}` | {_cell(described)} |"
        )
    return "\n".join(rows)


TABLES = {"actions": actions_table, "conditions": conditions_table}


def render(doc: str) -> str:
    for name, make in TABLES.items():
        pattern = re.compile(
            rf"(<!-- {name}:begin -->\n).*?(\n<!-- {name}:end -->)", flags=re.DOTALL
        )
        if not pattern.search(doc):
            raise SystemExit(f"docs/protocols.md has no <!-- {name}:begin/end --> markers")
        table = make()
        doc = pattern.sub(lambda m, t=table: m.group(1) + t + m.group(2), doc)
    return doc


def main(argv: list[str]) -> int:
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print("docs/protocols.md is out of date: run docs/protocol_tables.py")
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
