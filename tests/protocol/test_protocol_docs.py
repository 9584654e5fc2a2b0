"""docs/protocols.md lists every action and every condition, and its generated tables
match the code."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from docket.protocol.actions import ACTIONS
from docket.protocol.conditions import CONDITION_KEYWORDS
from docket.protocol.schema import CAPACITIES, MATERIAL_KINDS, Protocol

DOCS = Path(__file__).resolve().parents[2] / "docs"


def tables() -> ModuleType:
    spec = importlib.util.spec_from_file_location("protocol_tables", DOCS / "protocol_tables.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def doc() -> str:
    return (DOCS / "protocols.md").read_text(encoding="utf-8")


def table_rows(name: str) -> list[str]:
    match = re.search(rf"<!-- {name}:begin -->\n(.*?)\n<!-- {name}:end -->", doc(), re.DOTALL)
    assert match, name
    return match.group(1).splitlines()[2:]


def test_every_action_has_a_row_with_its_event():
    rows = {row.split("|")[1].strip(" `"): row for row in table_rows("actions")}
    assert set(rows) == set(ACTIONS)
    for name, action in ACTIONS.items():
        assert f"`{action.event}`" in rows[name]


def test_every_condition_has_a_row_with_an_example():
    rows = {row.split("|")[1].strip(" `"): row for row in table_rows("conditions")}
    assert set(rows) == set(CONDITION_KEYWORDS)
    module = tables()
    assert set(module.CONDITIONS) == set(CONDITION_KEYWORDS)
    assert set(module.MEANING) == set(CONDITION_KEYWORDS)


def test_generated_tables_are_up_to_date():
    module = tables()
    assert module.render(doc()) == doc(), "run .venv/bin/python docs/protocol_tables.py"


def test_every_section_field_capacity_and_material_kind_is_documented():
    text = doc()
    for section in Protocol.model_fields:
        assert f"`{section}`" in text, section
    for capacity in CAPACITIES:
        assert f"`{capacity}`" in text, capacity
    for kind in MATERIAL_KINDS:
        assert f"`{kind}`" in text, kind
    from docket.protocol import schema

    for model in (
        schema.Meta,
        schema.Body,
        schema.Role,
        schema.ActionRule,
        schema.Rule,
        schema.Deadline,
        schema.Sanction,
        schema.Decisions,
        schema.Deviation,
        schema.Retention,
    ):
        for field in model.model_fields:
            assert f"`{field}`" in text, f"{model.__name__}.{field}"
