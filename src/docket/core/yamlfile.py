"""Reading YAML documents whose errors must name the file, the line and the field.

Used by protocol files and case interchange files. Safe loading only (no tags, no
objects); duplicate keys are reported, not silently overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from docket.core.errors import InvalidInput

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def render(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.field or '(top)'}: {self.message}"


class FileInvalid(InvalidInput):
    """A document with problems; its message lists each as ``file:line: field: problem``."""

    code = "file.invalid"

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(
            "\n".join(p.render(source) for p in problems),
            data={"source": source, "problems": [p.__dict__ for p in problems]},
        )


# Builds plain values (text, numbers, dates) from scalar nodes; safe: no tags, no objects.
_SCALARS = yaml.constructor.SafeConstructor()


def dotted(path: Loc) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(lines: Mapping[Loc, int], path: Loc) -> int:
    """The line of ``path``, or of the nearest enclosing place that exists in the file."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 0


def _build(node: yaml.Node, path: Loc, lines: dict[Loc, int], problems: list[Problem]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _SCALARS.construct_object(key_node, deep=True)
            if key in result:
                problems.append(
                    Problem(
                        key_node.start_mark.line + 1, dotted((*path, key)), "this key appears twice"
                    )
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*path, key), lines, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, problems) for i, item in enumerate(node.value)]
    return _SCALARS.construct_object(node, deep=True)


def read_yaml(
    text: str, source: str, error: type[FileInvalid] = FileInvalid
) -> tuple[Any, dict[Loc, int]]:
    """Parse ``text``; returns the data and the line of every place in it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(source, [Problem(line, "", f"not valid YAML: {problem}")]) from None
    if root is None:
        raise error(source, [Problem(1, "", "the file is empty")])
    lines: dict[Loc, int] = {}
    problems: list[Problem] = []
    data = _build(root, (), lines, problems)
    if problems:
        raise error(source, problems)
    return data, lines


def pydantic_problems(
    exc: ValidationError,
    lines: Mapping[Loc, int],
    plain: Mapping[str, str],
    prefix: Loc = (),
) -> list[Problem]:
    """Each pydantic error as a Problem at its line, in plain words where we have them."""
    found = []
    for err in exc.errors():
        loc = (*prefix, *err["loc"])
        found.append(Problem(line_of(lines, loc), dotted(loc), plain.get(err["type"], err["msg"])))
    return found
