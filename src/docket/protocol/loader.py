"""Reading protocol files: YAML in, a validated ``Protocol`` out, or errors that name the
file, the line and the field, in plain words."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from docket.core.yamlfile import (
    FileInvalid,
    Loc,
    Problem,
    dotted,
    line_of,
    pydantic_problems,
    read_yaml,
)
from docket.protocol.conditions import ConditionError, parse_condition
from docket.protocol.schema import Protocol, reference_problems


class ProtocolInvalid(FileInvalid):
    code = "protocol.invalid_file"


_PLAIN = {
    "missing": "this field is required",
    "extra_forbidden": "this field is not part of the protocol language",
    "string_pattern_mismatch": "use lower-case letters, digits and underscores",
}


def parse_protocol(text: str, source: str = "<protocol>") -> Protocol:
    """Validate a protocol document; raise ``ProtocolInvalid`` listing every problem."""
    data, lines = read_yaml(text, source, ProtocolInvalid)
    if not isinstance(data, dict):
        raise ProtocolInvalid(source, [Problem(1, "", "a protocol is a mapping of sections")])
    problems: list[Problem] = []
    rules = data.get("rules")
    if isinstance(rules, dict):
        for rid, rule in rules.items():
            if isinstance(rule, dict) and "require" in rule:
                try:
                    rule["require"] = parse_condition(rule["require"], ())
                except ConditionError as exc:
                    loc: Loc = ("rules", rid, "require", *exc.path)
                    problems.append(Problem(line_of(lines, loc), dotted(loc), exc.message))
    if problems:
        raise ProtocolInvalid(source, problems)
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as exc:
        raise ProtocolInvalid(source, pydantic_problems(exc, lines, _PLAIN)) from None
    for loc, message in reference_problems(protocol):
        problems.append(Problem(line_of(lines, loc), dotted(loc), message))
    if problems:
        raise ProtocolInvalid(source, problems)
    return protocol


def load_protocol(path: str | Path) -> Protocol:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolInvalid(str(file), [Problem(0, "", f"cannot read the file: {exc}")]) from None
    return parse_protocol(text, str(file))
