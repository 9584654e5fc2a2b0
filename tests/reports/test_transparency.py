"""The transparency report over a generated organization of 10,000 cases, checked against
counts made independently in Python over the generated rows."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date

import pytest
from tests.reports.test_suppression import recoverable

from docket.cases.models import Case
from docket.reports import suppression
from docket.reports.synthetic import generate
from docket.reports.transparency import OTHER, period_bounds, transparency_report

pytestmark = pytest.mark.django_db

START, END = date(2021, 1, 1), date(2022, 12, 31)


@pytest.fixture
def org(protocols):
    generate(10_000, seed=7)
    rows = list(
        Case.objects.values(
            "category", "outcome", "sanctions", "disposition", "closed", "received_at",
            "decided_at", "closed_at", "appeals", "violations", "deviations", "appeal_outcome",
        )
    )  # fmt: skip
    assert len(rows) == 10_000
    return rows


def in_period(value, lo, hi):
    return value is not None and lo <= value < hi


def check_table(table, expected_cells):
    """Every shown cell equals the independent count; small ones are hidden."""
    for cell, want in expected_cells.items():
        assert table.values[cell] == want, cell
        if 0 < want < table.threshold:
            assert table.status[cell] == suppression.SMALL
            assert table.label(cell) == "fewer than 5"
        elif table.status[cell] == suppression.SHOWN:
            assert table.label(cell) == str(want)
    assert_protected(table)


def assert_protected(table):
    """No small count can be worked out: by exhaustive search where the numbers are small
    enough for it, and otherwise by the necessary condition that no published equation has
    exactly one unknown, plus the witness each small count must have."""
    total = table.values[(-1, -1) if table.has_col_totals else (0, -1)]
    if total <= 40:
        assert recoverable(table) == []
    for parts, line_total in table.lines():
        unknown = [c for c in [*parts, line_total] if table.status[c] != suppression.SHOWN]
        if len(unknown) == 1:  # a hidden complement may be recoverable; a small count not
            assert table.status[unknown[0]] == suppression.HIDDEN, (parts, unknown)
    assert suppression.exposed_cells(table) == []


def test_numbers_match_independent_counts(org):
    lo, hi = period_bounds(START, END, "UTC")
    report = transparency_report(START, END)

    received = Counter(r["category"] for r in org if in_period(r["received_at"], lo, hi))
    rare = {k for k, v in received.items() if v < 5}
    t = report.received
    expected = {(0, t.cols.index(k)): v for k, v in received.items() if k not in rare}
    if rare:
        expected[(0, t.cols.index(OTHER))] = sum(received[k] for k in rare)
    expected[(0, -1)] = sum(received.values())
    check_table(t, expected)
    assert t.values[(0, -1)] > 3000

    decided = [r for r in org if in_period(r["decided_at"], lo, hi)]
    by = Counter((r["category"], r["outcome"]) for r in decided)
    cat_totals = Counter(r["category"] for r in decided)
    d = report.decided
    assert d.values[(-1, -1)] == len(decided)
    for category, total in cat_totals.items():
        if total >= 5:
            r = d.rows.index(category)
            assert d.values[(r, -1)] == total
            for outcome in ("sanction", "no_sanction", "dismissed"):
                assert d.values[(r, d.cols.index(outcome))] == by[(category, outcome)]
    for outcome in ("sanction", "no_sanction", "dismissed"):
        col = d.cols.index(outcome)
        assert d.values[(-1, col)] == sum(1 for r in decided if r["outcome"] == outcome)
    assert_protected(d)

    sanctions = Counter(s for r in decided for s in r["sanctions"])
    st = report.sanctions
    for name, n in sanctions.items():
        assert st.values[(0, st.cols.index(name))] == n

    ended = Counter(
        r["disposition"] for r in org if r["closed"] and in_period(r["closed_at"], lo, hi)
    )
    en = report.ended
    for kind, n in ended.items():
        assert en.values[(0, en.cols.index(kind))] == n
    assert en.values[(0, -1)] == sum(ended.values())

    days = sorted(
        int((r["decided_at"] - r["received_at"]).total_seconds() // 86400) for r in decided
    )
    q1, med, q3 = statistics.quantiles(days, n=4, method="inclusive")
    assert report.time_to_decision.n == len(days)
    assert report.time_to_decision.median == pytest.approx(statistics.median(days))
    assert report.time_to_decision.median == pytest.approx(med)
    assert report.time_to_decision.p25 == pytest.approx(q1)
    assert report.time_to_decision.p75 == pytest.approx(q3)
    assert report.durations.values[(0, 0)] == sum(1 for x in days if x <= 30)
    assert report.durations.values[(0, -1)] == len(days)

    appealed = sum(1 for r in decided if r["appeals"] > 0)
    assert report.appeals.values[(0, 0)] == appealed
    assert report.appeal_count == sum(r["appeals"] for r in decided)
    outcomes = [r["appeal_outcome"] for r in decided if r["appeals"] > 0]
    for i, outcome in enumerate(report.appeal_outcomes.cols):
        assert report.appeal_outcomes.values[(0, i)] == outcomes.count(outcome)
    assert report.appeal_outcomes.values[(0, -1)] == len(outcomes)

    active = [
        r
        for r in org
        if r["received_at"] < hi and not (r["closed"] and r["closed_at"] and r["closed_at"] < lo)
    ]
    integ = report.integrity
    assert integ.values[(0, -1)] == len(active)
    assert integ.values[(0, 1)] == sum(1 for r in active if r["violations"] and not r["deviations"])
    assert integ.values[(0, 3)] == sum(1 for r in active if r["violations"] and r["deviations"])
    assert report.violations_total == sum(r["violations"] for r in active)


def test_small_numbers_are_suppressed_and_nothing_identifies_anyone(org):
    # A short period: many small cells.
    report = transparency_report(date(2021, 3, 1), date(2021, 3, 7))
    small = [
        (name, cell) for name, t in report.tables() for cell, s in t.status.items() if s == "small"
    ]
    assert small, "a three-week period should have small cells"
    for _name, t in report.tables():
        assert_protected(t)
    text = "\n".join(",".join(row) for row in report.csv_rows())
    assert "fewer than 5" in text
    for r in Case.objects.values_list("public_id", "reference")[:200]:
        assert r[0] not in text
        assert r[1] not in text


def test_empty_period():
    report = transparency_report(date(1990, 1, 1), date(1990, 12, 31))
    assert report.received.values[(0, -1)] == 0
    assert report.time_to_decision.median is None
    assert report.time_to_decision.suppressed is False
