"""Reading YAML documents whose errors must name the file, the line and the field.

Used by protocol files and case interchange files. Safe loading only (no tags, no
objects); duplicate keys are reported, not silently overwritten.

Hostile documents are refused with problems, never a crash (issue 24): before the
document is composed its events are screened for size, nesting depth, explicit tags
(``!!python/name:`` and every other: none is needed) and the number of aliases; while
it is built, an alias that refers to itself and a document that expands to too many
values (an alias bomb) are stopped. ``Limits`` sets the bounds; protocol files use the
defaults, interchange files (which may carry long statements inline) larger ones.
"""

from __future__ import annotations

import contextlib
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


@dataclass(frozen=True)
class Limits:
    max_chars: int = 1024 * 1024  # the whole document
    max_scalar: int = 128 * 1024  # one value
    max_depth: int = 64  # mappings and lists inside each other
    max_aliases: int = 100  # uses of *anchor
    max_values: int = 50_000  # values after aliases are expanded


DEFAULT_LIMITS = Limits()


class _Stop(Exception):
    """The document is too large once expanded: building stops at the first problem."""


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


@dataclass
class _Budget:
    limits: Limits
    values: int = 0


def _build(
    node: yaml.Node,
    path: Loc,
    lines: dict[Loc, int],
    problems: list[Problem],
    budget: _Budget,
    active: frozenset[int] = frozenset(),
) -> Any:
    line = node.start_mark.line + 1
    lines[path] = line
    budget.values += 1
    if budget.values > budget.limits.max_values:
        problems.append(
            Problem(
                line,
                dotted(path),
                f"the document expands to more than {budget.limits.max_values:,} values "
                "(through aliases)",
            )
        )
        raise _Stop
    if id(node) in active:
        problems.append(Problem(line, dotted(path), "an alias refers to itself"))
        raise _Stop
    if isinstance(node, yaml.MappingNode):
        inner = active | {id(node)}
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key: Any = _scalar(key_node, path, problems)
            if key in result:
                problems.append(
                    Problem(
                        key_node.start_mark.line + 1, dotted((*path, key)), "this key appears twice"
                    )
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*path, key), lines, problems, budget, inner)
        return result
    if isinstance(node, yaml.SequenceNode):
        inner = active | {id(node)}
        return [
            _build(item, (*path, i), lines, problems, budget, inner)
            for i, item in enumerate(node.value)
        ]
    return _scalar(node, path, problems)


def _scalar(node: yaml.Node, path: Loc, problems: list[Problem]) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        problems.append(Problem(node.start_mark.line + 1, dotted(path), "a key must be plain text"))
        raise _Stop
    try:
        return _SCALARS.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        # e.g. a number with more digits than Python will convert.
        problem = (
            "a number with too many digits"
            if isinstance(exc, ValueError | OverflowError)
            else getattr(exc, "problem", None) or str(exc).splitlines()[0]
        )
        problems.append(Problem(node.start_mark.line + 1, dotted(path), f"not a value: {problem}"))
        raise _Stop from None


def _screen(text: str, limits: Limits) -> list[Problem]:
    """Refuse what would be costly or dangerous to compose: walks the parser's events,
    which needs no recursion however deep the document is."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
            return [Problem(line, "", f"tags such as {tag!r} are not allowed")]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                return [Problem(line, "", f"nested more than {limits.max_depth} levels deep")]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.max_aliases:
                return [Problem(line, "", f"more than {limits.max_aliases} aliases (*name)")]
        elif isinstance(event, yaml.ScalarEvent) and len(event.value) > limits.max_scalar:
            return [Problem(line, "", f"a value is longer than {limits.max_scalar:,} characters")]
    return []


def read_yaml(
    text: str,
    source: str,
    error: type[FileInvalid] = FileInvalid,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Any, dict[Loc, int]]:
    """Parse ``text``; returns the data and the line of every place in it."""
    if len(text) > limits.max_chars:
        raise error(
            source, [Problem(0, "", f"the file is longer than {limits.max_chars:,} characters")]
        )
    try:
        screened = _screen(text, limits)
        if screened:
            raise error(source, screened)
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
    data: Any = None
    with contextlib.suppress(_Stop):
        data = _build(root, (), lines, problems, _Budget(limits))
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
