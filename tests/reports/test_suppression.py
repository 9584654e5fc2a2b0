"""Small-number suppression: no count under the threshold can be worked out from what is
published. Checked by an exhaustive search that shares nothing with the implementation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docket.reports.suppression import HIDDEN, SHOWN, SMALL, Table, cross, exposed_cells, single


def feasible(table: Table, fixed: dict, cap: int) -> bool:
    """Is there an assignment of the unshown cells, within what their labels say, that
    satisfies every published equation and the values in ``fixed``?"""
    t = table.threshold
    unknown = [c for c in table.cells() if table.status[c] != SHOWN]
    eqs = table.lines()

    def domain(cell):
        if cell in fixed:
            return [fixed[cell]]
        if table.status[cell] == SMALL:
            return list(range(t))
        high = min(
            [
                cap,
                *(
                    table.shown(tot)
                    for parts, tot in eqs
                    if cell in parts and table.shown(tot) is not None
                ),
            ]
        )
        return list(range(t, high + 1))

    def consistent(assign):
        for parts, total in eqs:
            cells = [*parts, total]
            vals = [assign.get(c, table.shown(c)) for c in cells]
            if any(v is None for v in vals):
                continue
            if sum(vals[:-1]) != vals[-1]:
                return False
        return True

    def solve(assign, rest):
        if not consistent(assign):
            return False
        # Propagate: an equation with one unknown left fixes it.
        for parts, total in eqs:
            cells = [*parts, total]
            missing = [c for c in cells if c not in assign and table.status[c] != SHOWN]
            if len(missing) == 1:
                (m,) = missing
                known = {c: assign.get(c, table.shown(c)) for c in cells if c != m}
                value = (
                    known[total] - sum(known[c] for c in parts if c != m)
                    if m != total
                    else sum(known[c] for c in parts)
                )
                if value not in domain(m):
                    return False
                return solve({**assign, m: value}, [c for c in rest if c != m])
        if not rest:
            return True
        head, *tail = rest
        return any(solve({**assign, head: v}, tail) for v in domain(head))

    return solve({}, [c for c in unknown if c])


def recoverable(table: Table) -> list:
    """Small cells whose value is the only one consistent with the published table."""
    cap = 2 * table.values[(-1, -1) if table.has_col_totals else (0, -1)] + table.threshold
    found = []
    for cell, state in table.status.items():
        if state != SMALL:
            continue
        others = [
            v
            for v in range(table.threshold)
            if v != table.values[cell] and feasible(table, {cell: v}, cap)
        ]
        if not others:
            found.append(cell)
    return found


def test_a_single_small_cell_gets_a_complement():
    t = single(["a", "b", "c"], [3, 10, 12])
    assert t.status[(0, 0)] == SMALL
    assert t.label((0, 0)) == "fewer than 5"
    hidden = [c for c, s in t.status.items() if s == HIDDEN]
    assert len(hidden) == 1
    assert recoverable(t) == []


def test_without_complement_it_would_be_recoverable():
    t = single(["a", "b", "c"], [3, 10, 12])
    naive = Table(
        t.rows, t.cols, t.values, {c: SMALL if c == (0, 0) else SHOWN for c in t.values}, 5, False
    )
    assert recoverable(naive) == [(0, 0)]
    assert exposed_cells(naive) == [(0, 0)]


def test_cross_table_small_cells_and_totals():
    t = cross(["r1", "r2", "r3"], ["x", "y"], [[3, 10], [7, 8], [20, 1]])
    assert t.status[(0, 0)] == SMALL
    assert t.status[(2, 1)] == SMALL
    assert t.values[(-1, -1)] == 49
    assert t.status[(-1, -1)] == SHOWN
    assert recoverable(t) == []
    assert exposed_cells(t) == []


def test_nothing_small_nothing_hidden():
    t = cross(["a", "b"], ["x", "y"], [[5, 6], [7, 9]])
    assert set(t.status.values()) == {SHOWN}


def test_zero_is_fewer_than_five_too():
    # Were zeros shown, "fewer than 5" would mean 1-4 and these four would each be 1.
    t = single(["a", "b", "c", "d", "e"], [1, 1, 1, 1, 0])
    assert t.label((0, 4)) == "fewer than 5"
    assert recoverable(t) == []


def test_threshold_is_configurable():
    t = single(["a", "b"], [7, 20], threshold=10)
    assert t.status[(0, 0)] == SMALL
    assert t.label((0, 0)) == "fewer than 10"
    assert recoverable(t) == []


counts = st.integers(min_value=0, max_value=12)
small_counts = st.integers(min_value=0, max_value=9)


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=5))
def test_single_rows_never_expose_a_small_count(values):
    t = single([f"c{i}" for i in range(len(values))], values)
    assert recoverable(t) == []


# Derandomized: the exhaustive check costs seconds on some grids; keep the run bounded.
@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.integers(min_value=1, max_value=3).flatmap(
        lambda r: st.integers(min_value=1, max_value=3).flatmap(
            lambda c: st.lists(st.lists(counts, min_size=c, max_size=c), min_size=r, max_size=r)
        )
    )
)
def test_cross_tables_never_expose_a_small_count(grid):
    t = cross([f"r{i}" for i in range(len(grid))], [f"c{j}" for j in range(len(grid[0]))], grid)
    assert recoverable(t) == []
    # Every count that is not small is shown unless hidden as a complement, and small
    # counts are never shown.
    for cell, v in t.values.items():
        if v < 5:
            assert t.status[cell] == SMALL


@pytest.mark.parametrize("n", [0, 1, 4, 5])
def test_labels(n):
    t = single(["only"], [n])
    assert t.label((0, 0)) == ("fewer than 5" if n < 5 else str(n))
