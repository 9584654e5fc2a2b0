"""Import of a member roster from CSV, idempotent by member number.

Two steps so that a file is judged whole before anything changes: ``member_import_plan``
reads and validates every row (errors name the line) and says what it would do;
``member_import_apply`` carries out a plan without errors in one transaction, through
the ordinary services, so each admission or transfer has its ledger event.

Columns: ``member_number``, ``name``, ``joined_on`` (YYYY-MM-DD), ``unit`` (unit key).
A member already on record is left alone when the row agrees, renamed or transferred
(effective now) when it differs; a different ``joined_on`` is refused, since history
is not rewritten by an import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal
from zoneinfo import ZoneInfo

from django.db import transaction

from docket.core.clock import now
from docket.core.errors import InvalidInput
from docket.org import codes
from docket.org.models import Membership, Unit
from docket.org.selectors import organization, unit_at
from docket.org.services.member import member_admit_new, member_transfer
from docket.org.services.person import person_rename

COLUMNS = ("member_number", "name", "joined_on", "unit")
Action = Literal["admit", "rename", "transfer", "unchanged"]


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass(frozen=True)
class PlannedRow:
    line: int
    member_number: str
    name: str
    joined_on: date
    unit_key: str
    actions: tuple[Action, ...]


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if action in row.actions)


def _unreadable(line: int, exc: csv.Error) -> RowError:
    return RowError(line, "", f"cannot be read as CSV ({exc})")


def member_import_plan(text: str) -> ImportPlan:
    """Read and check every row; nothing is written."""
    plan = ImportPlan()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        plan.errors.append(_unreadable(reader.line_num or 1, exc))
        return plan
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        if missing:
            plan.errors.append(RowError(1, "", f"missing column(s): {', '.join(missing)}"))
        if unknown:
            plan.errors.append(RowError(1, "", f"unknown column(s): {', '.join(unknown)}"))
        return plan
    org = organization()
    units = {u.key: u for u in Unit.objects.filter(organization=org)}
    seen: dict[str, int] = {}
    today = now().astimezone(ZoneInfo(org.time_zone)).date()
    parsed: list[tuple[int, dict[str, str]]] = []
    rows = iter(reader)
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            # A field over csv's limit (128 KiB), a NUL byte...: a problem on its line,
            # never a crash; nothing after it is read (issue 24, low).
            plan.errors.append(_unreadable(reader.line_num + 1, exc))
            return plan
        line = reader.line_num
        if None in raw:
            plan.errors.append(RowError(line, "", "more values than columns"))
            continue
        parsed.append((line, {k.strip(): (v or "").strip() for k, v in raw.items()}))
    existing = {
        m.member_number: m
        for m in Membership.objects.filter(
            member_number__in=[r["member_number"] for _, r in parsed]
        ).select_related("person")
    }
    for line, row in parsed:
        errors_before = len(plan.errors)
        number, name, unit_key = row["member_number"], row["name"], row["unit"]
        for column in COLUMNS:
            if not row[column]:
                plan.errors.append(RowError(line, column, "is empty"))
        if len(number) > 40:
            plan.errors.append(RowError(line, "member_number", "is longer than 40 characters"))
        if len(name) > 200:
            plan.errors.append(RowError(line, "name", "is longer than 200 characters"))
        if number and number in seen:
            plan.errors.append(
                RowError(line, "member_number", f"{number} already appears on line {seen[number]}")
            )
        seen.setdefault(number, line)
        joined: date | None = None
        if row["joined_on"]:
            try:
                joined = date.fromisoformat(row["joined_on"])
            except ValueError:
                plan.errors.append(RowError(line, "joined_on", "is not a date (YYYY-MM-DD)"))
            else:
                if joined > today:
                    plan.errors.append(RowError(line, "joined_on", "is in the future"))
        if unit_key and unit_key not in units:
            plan.errors.append(RowError(line, "unit", f"no unit has the key {unit_key!r}"))
        if len(plan.errors) > errors_before or joined is None:
            continue
        member = existing.get(number)
        actions: list[Action] = []
        if member is None:
            actions.append("admit")
        else:
            if member.joined_on != joined:
                plan.errors.append(
                    RowError(
                        line,
                        "joined_on",
                        f"member {number} joined on {member.joined_on.isoformat()}; an "
                        "import does not rewrite history",
                    )
                )
                continue
            if member.person.display_name != name:
                actions.append("rename")
            current = unit_at(member.person)
            if current is None or current.key != unit_key:
                actions.append("transfer")
            if not actions:
                actions.append("unchanged")
        plan.rows.append(PlannedRow(line, number, name, joined, unit_key, tuple(actions)))
    return plan


def member_import_apply(
    *,
    actor: str,
    capacity: str,
    plan: ImportPlan,
    source: str,
    on_row: Callable[[PlannedRow], None] | None = None,
) -> ImportPlan:
    """Carry out a checked plan: the whole file or nothing."""
    if plan.errors:
        raise InvalidInput(
            f"The file has {len(plan.errors)} error(s); nothing was imported.",
            code=codes.IMPORT_INVALID,
            data={"errors": [str(e) for e in plan.errors]},
        )
    reason = f"Member roster import ({source})"
    with transaction.atomic():
        units = {u.key: u for u in Unit.objects.all()}
        for row in plan.rows:
            unit = units[row.unit_key]
            if "admit" in row.actions:
                member_admit_new(
                    actor=actor,
                    capacity=capacity,
                    display_name=row.name,
                    member_number=row.member_number,
                    joined_on=row.joined_on,
                    unit=unit,
                    reason=reason,
                )
            else:
                person = (
                    Membership.objects.select_related("person")
                    .get(member_number=row.member_number)
                    .person
                )
                if "rename" in row.actions:
                    person_rename(
                        actor=actor,
                        capacity=capacity,
                        person=person,
                        display_name=row.name,
                        reason=reason,
                    )
                if "transfer" in row.actions:
                    member_transfer(
                        actor=actor,
                        capacity=capacity,
                        person=person,
                        to_unit=unit,
                        effective=now(),
                        reason=reason,
                    )
            if on_row is not None:
                on_row(row)
    return plan
