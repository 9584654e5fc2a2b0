"""The protocol language: a pydantic schema for protocol documents.

A protocol is data. Guards are built only from the closed condition vocabulary in
``conditions.py``; nothing in a protocol file is ever evaluated as code.
``docs/protocols.md`` is the reference for people who write protocols.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from docket.protocol.actions import ACTIONS
from docket.protocol.conditions import Condition, parse_condition

KEY = r"^[a-z][a-z0-9_]*$"
PARTY_ROLES = ("complainant", "respondent")
MATERIAL_KINDS = (
    "complaint",
    "complainant_statement",
    "respondent_statement",
    "witness_statement",
    "evidence",
    "investigation_report",
)
# Who may take an action. "body:<key>" names a body; the rest are parts in the case.
CAPACITIES = (
    "anyone",
    "member",
    "participant",
    "complainant",
    "respondent",
    "complainant_advocate",
    "respondent_advocate",
    "party",
    "witness",
    "investigator",
    "panel",
    "panel_chair",
    "holding_body",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Meta(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    adopted: date
    adopted_by: str = Field(min_length=1)
    source: str = ""
    time_zone: str = "UTC"
    supersedes: int | None = None
    # Rules of this version that also bind cases opened under earlier versions.
    applies_to_open_cases: list[str] = []


class Calendar(Strict):
    business_days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
    ]
    holidays: list[date] = []


class Panel(Strict):
    size: int = Field(ge=1, le=99)
    chair: bool = True


class Body(Strict):
    name: str = Field(min_length=1)
    description: str = ""
    per_unit: bool = False
    seats: int | None = Field(default=None, ge=1)
    panel: Panel | None = None
    # A panel whose members' terms end may finish the cases it already holds.
    panel_survives_term: bool = False
    clause: str = ""


class Role(Strict):
    title: str = ""
    advocate: bool = True
    participation: Literal["optional", "statement_required", "required"] = "optional"
    may_waive_hearing: bool = False
    confidential_identity: bool = False
    shown: list[str] = []
    no_contact: bool = False
    clause: str = ""

    @field_validator("shown")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        for kind in value:
            if kind not in MATERIAL_KINDS:
                raise ValueError(f"unknown material kind {kind!r}; use one of {MATERIAL_KINDS}")
        return value


class Stage(Strict):
    id: str = Field(pattern=KEY)
    title: str = Field(min_length=1)


class ActionRule(Strict):
    by: list[str] = Field(min_length=1)
    stages: list[str] = []  # empty: any stage but "closed"
    moves_to: str | None = None
    clause: str = ""
    text: str = ""

    @field_validator("by")
    @classmethod
    def _capacities(cls, value: list[str]) -> list[str]:
        for item in value:
            if item not in CAPACITIES and not re.match(r"^body:[a-z][a-z0-9_]*$", item):
                raise ValueError(
                    f"unknown capacity {item!r}; use body:<key> or one of {', '.join(CAPACITIES)}"
                )
        return value


class Rule(Strict):
    clause: str = Field(min_length=1)
    text: str = Field(min_length=1)
    applies_to: list[str] = Field(min_length=1)
    require: Condition
    # Only actions taken by the body holding the case or its panel (its work on the merits).
    only_holding_body: bool = False
    # Set when an amendment is merged into an earlier version (docket.protocol.amend):
    # the rule binds actions taken from / until these moments.
    effective_from: datetime | None = None
    effective_until: datetime | None = None

    @field_validator("require", mode="before")
    @classmethod
    def _condition(cls, value: Any) -> Condition:
        if isinstance(value, Condition):
            return value
        return parse_condition(value)


class Deadline(Strict):
    @field_validator("met_by", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    clause: str = Field(min_length=1)
    text: str = Field(min_length=1)
    starts: str  # event type
    starts_party: Literal["complainant", "respondent"] | None = None
    # Only events whose payload has these values start it (e.g. {recommendation: true}).
    starts_where: dict[str, str | bool | int] = {}
    days: int = Field(ge=0, le=3650)
    calendar: Literal["calendar", "business"] = "calendar"
    owed_by: str
    kind: Literal["duty", "window"]
    met_by: list[str] = Field(min_length=1)  # event types; any of them meets it
    met_party: Literal["complainant", "respondent"] | None = None
    remind_before_days: int = Field(default=2, ge=0)


class Sanction(Strict):
    title: str = Field(min_length=1)
    threshold: str | None = None  # overrides the decision threshold
    ratified_by: str | None = None  # body key
    standing: Literal["suspended", "expelled", "none"] = "none"
    clause: str = ""


class Decisions(Strict):
    clause: str = ""
    quorum: str = "majority"  # "all", "majority", "2/3", or a number of members
    threshold: str = "majority"  # of votes cast, unless threshold_of says "panel"
    threshold_of: Literal["cast", "panel"] = "cast"
    standard: str = "balance of probabilities"


class Deviation(Strict):
    body: str
    rules: list[str] | Literal["any"]
    clause: str = ""
    min_justification: int = Field(default=40, ge=1)


class Retention(Strict):
    content_years: int = Field(ge=0, le=100)
    clause: str = ""
    text: str = ""


class Protocol(Strict):
    protocol: Meta
    calendar: Calendar = Calendar()
    bodies: dict[str, Body]
    roles: dict[Literal["complainant", "respondent"], Role]
    stages: list[Stage] = Field(min_length=2)
    actions: dict[str, ActionRule]
    rules: dict[str, Rule] = {}
    deadlines: dict[str, Deadline] = {}
    decisions: Decisions = Decisions()
    sanctions: dict[str, Sanction] = {}
    appeal_grounds: list[str] = []
    deviations: list[Deviation] = []
    retention: Retention | None = None

    @property
    def label(self) -> str:
        return f"{self.protocol.title} v{self.protocol.version}"


def reference_problems(p: Protocol) -> list[tuple[tuple[str | int, ...], str]]:
    """Every name a protocol uses must be defined, and every condition must be able to
    hold for each action its rule applies to; each problem names the field at fault."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    stage_ids = {s.id for s in p.stages}
    if len(stage_ids) != len(p.stages):
        problems.append((("stages",), "stage ids must be unique"))
    if "closed" not in stage_ids:
        problems.append((("stages",), 'a protocol needs a "closed" stage'))
    for key in p.bodies:
        if not re.match(KEY, key):
            problems.append((("bodies", key), f"body key {key!r} must be lower_snake_case"))
    for name, action in p.actions.items():
        if name not in ACTIONS:
            problems.append(
                (("actions", name), f"{name!r} is not an action Docket knows; see docs")
            )
        for i, who in enumerate(action.by):
            if who.startswith("body:") and who[5:] not in p.bodies:
                problems.append((("actions", name, "by", i), f"no body {who[5:]!r}"))
        for i, stage in enumerate(action.stages):
            if stage not in stage_ids:
                problems.append((("actions", name, "stages", i), f"no stage {stage!r}"))
        if action.moves_to and action.moves_to not in stage_ids:
            problems.append((("actions", name, "moves_to"), f"no stage {action.moves_to!r}"))
    for rid, rule in p.rules.items():
        for i, act in enumerate(rule.applies_to):
            if act not in ACTIONS:
                problems.append((("rules", rid, "applies_to", i), f"no action {act!r}"))
        for path, message in rule.require.check_names(p):
            problems.append((("rules", rid, "require", *path), message))
        known_actions = [a for a in rule.applies_to if a in ACTIONS]
        for path, condition in rule.require.walk():
            if problem := condition.check_steps(known_actions):
                problems.append((("rules", rid, "require", *path), problem))
    for did, deadline in p.deadlines.items():
        known = {a.event for a in ACTIONS.values()}
        if deadline.starts not in known:
            problems.append((("deadlines", did, "starts"), f"no event type {deadline.starts!r}"))
        for i, event in enumerate(deadline.met_by):
            if event not in known:
                problems.append((("deadlines", did, "met_by", i), f"no event type {event!r}"))
        if deadline.owed_by not in CAPACITIES and not deadline.owed_by.startswith("body:"):
            problems.append((("deadlines", did, "owed_by"), f"unknown {deadline.owed_by!r}"))
    for sid, sanction in p.sanctions.items():
        if sanction.ratified_by and sanction.ratified_by not in p.bodies:
            problems.append((("sanctions", sid, "ratified_by"), "no such body"))
    for i, dev in enumerate(p.deviations):
        if dev.body not in p.bodies:
            problems.append((("deviations", i, "body"), f"no body {dev.body!r}"))
        if isinstance(dev.rules, list):
            for j, rid in enumerate(dev.rules):
                if rid not in p.rules:
                    problems.append((("deviations", i, "rules", j), f"no rule {rid!r}"))
    return problems
