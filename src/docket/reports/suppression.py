"""Small-number suppression for published tables.

A table of counts is published with its totals. Any count under ``threshold`` — zero
included — is shown as "fewer than <threshold>" (primary suppression). Zeros are not
shown as 0: if they were, "fewer than 5" would mean 1 to 4, and a row of such cells
whose total is "fewer than 5" could give them away (four cells each at least 1, adding
up to at most 4, are each exactly 1). That alone is not enough:
a hidden count could be worked out from its row or column total and the counts shown
beside it. So further cells are hidden ("not shown", complementary suppression) until
every hidden small count has a **witness**: a second table, consistent with everything
published (every count shown, every total, "fewer than 5" meaning 0 to 4, "not shown" meaning
at least 5), in which that count is different. The witness is found, not
assumed, so the guarantee holds by construction; tests check it independently by
exhaustive search.

The table model: a grid of ``rows x cols`` counts with row totals, column totals and a
grand total (``Table.cross``), or a single row of counts with its total
(``Table.single``).

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
SHOWN, SMALL, HIDDEN = "shown", "small", "hidden"

Cell = tuple[int, int]  # (row, col); -1 is the total row or column


@dataclass(frozen=True)
class Table:
    """Counts with their totals, and which cells are shown, small or hidden."""

    rows: tuple[str, ...]
    cols: tuple[str, ...]
    values: dict[Cell, int]
    status: dict[Cell, str]
    threshold: int
    has_col_totals: bool

    def shown(self, cell: Cell) -> int | None:
        return self.values[cell] if self.status[cell] == SHOWN else None

    def label(self, cell: Cell, *, small: str = "", hidden: str = "") -> str:
        state = self.status[cell]
        if state == SHOWN:
            return str(self.values[cell])
        if state == SMALL:
            return small or f"fewer than {self.threshold}"
        return hidden or "not shown"

    def cells(self) -> list[Cell]:
        return list(self.values)

    def lines(self) -> list[tuple[list[Cell], Cell]]:
        """Each published equation: (the cells that add up, the total they add up to)."""
        return _lines(len(self.rows), len(self.cols), self.has_col_totals)

    def as_rows(self) -> list[dict[str, object]]:
        """For CSV and JSON: each row (then the totals row) with its cells, the row total
        last, each as {"value": the count or None unless shown, "status": ...}."""
        out: list[dict[str, object]] = []
        for r in [*range(len(self.rows)), *([-1] if self.has_col_totals else [])]:
            out.append(
                {
                    "row": self.rows[r] if r >= 0 else "total",
                    "cells": [
                        {"value": self.shown((r, c)), "status": self.status[(r, c)]}
                        for c in [*range(len(self.cols)), -1]
                    ],
                }
            )
        return out


def _lines(n_rows: int, n_cols: int, col_totals: bool) -> list[tuple[list[Cell], Cell]]:
    lines: list[tuple[list[Cell], Cell]] = []
    row_ids = [*range(n_rows), *([-1] if col_totals else [])]
    for r in row_ids:
        lines.append(([(r, c) for c in range(n_cols)], (r, -1)))
    if col_totals:
        for c in [*range(n_cols), -1]:
            lines.append(([(r, c) for r in range(n_rows)], (-1, c)))
    return lines


def single(labels: Sequence[str], counts: Sequence[int], threshold: int = THRESHOLD) -> Table:
    """One row of counts and its total."""
    values: dict[Cell, int] = {(0, c): int(v) for c, v in enumerate(counts)}
    values[(0, -1)] = sum(values.values())
    return _suppress(("all",), tuple(labels), values, threshold, col_totals=False)


def cross(
    rows: Sequence[str],
    cols: Sequence[str],
    counts: Sequence[Sequence[int]],
    threshold: int = THRESHOLD,
) -> Table:
    """A grid of counts with row, column and grand totals."""
    values: dict[Cell, int] = {}
    for r, line in enumerate(counts):
        for c, v in enumerate(line):
            values[(r, c)] = int(v)
        values[(r, -1)] = sum(int(v) for v in line)
    for c in range(len(cols)):
        values[(-1, c)] = sum(values[(r, c)] for r in range(len(rows)))
    values[(-1, -1)] = sum(values[(r, -1)] for r in range(len(rows)))
    return _suppress(tuple(rows), tuple(cols), values, threshold, col_totals=True)


def _suppress(
    rows: tuple[str, ...],
    cols: tuple[str, ...],
    values: dict[Cell, int],
    threshold: int,
    *,
    col_totals: bool,
) -> Table:
    status = {cell: SMALL if v < threshold else SHOWN for cell, v in values.items()}  # primary
    graph = _Graph(len(rows), len(cols), col_totals)
    while True:
        exposed = [
            cell
            for cell, s in status.items()
            if s == SMALL and not has_witness(graph, values, status, cell, threshold)
        ]
        if not exposed:
            break
        extra = _complement_for(graph, values, status, exposed[0], threshold)
        if extra is None:
            break  # everything is already hidden; nothing more can be done
        status[extra] = HIDDEN
    return Table(rows, cols, values, status, threshold, col_totals)


# -- the witness search -------------------------------------------------------------------
#
# Each published equation is a node; each cell is an edge between the equations it takes
# part in (a cell in only one equation is tied to a "free" node with no equation). A
# change of +1/-1 along a cycle of hidden cells keeps every equation true; it is a
# witness if every changed cell stays within what its label says.

_FREE = ("free", 0)


class _Graph:
    def __init__(self, n_rows: int, n_cols: int, col_totals: bool) -> None:
        self.ends: dict[Cell, list[tuple[tuple[str, int], int]]] = {}
        for index, (parts, total) in enumerate(_lines(n_rows, n_cols, col_totals)):
            node = ("line", index)
            for cell in parts:
                self.ends.setdefault(cell, []).append((node, 1))
            self.ends.setdefault(total, []).append((node, -1))
        for ends in self.ends.values():
            if len(ends) == 1:
                ends.append((_FREE, 1))
        self.at: dict[tuple[str, int], list[Cell]] = {}
        for cell, ends in self.ends.items():
            for node, _ in ends:
                self.at.setdefault(node, []).append(cell)

    def coef(self, cell: Cell, node: tuple[str, int]) -> int:
        for n, k in self.ends[cell]:
            if n == node:
                return k
        raise KeyError(node)

    def other(self, cell: Cell, node: tuple[str, int]) -> tuple[str, int]:
        a, b = self.ends[cell]
        return b[0] if a[0] == node else a[0]


def _allowed(value: int, state: str, threshold: int) -> bool:
    if state == SMALL:
        return 0 <= value < threshold
    return value >= threshold


def has_witness(
    graph: _Graph,
    values: dict[Cell, int],
    status: dict[Cell, str],
    cell: Cell,
    threshold: int,
    budget: int = 20000,
) -> bool:
    """Is there a table consistent with what is published where ``cell`` differs?"""
    steps = [0]
    for delta in (1, -1):
        if not _allowed(values[cell] + delta, status[cell], threshold):
            continue
        start, first = graph.ends[cell][0][0], graph.ends[cell][1][0]
        if _walk(graph, values, status, threshold, cell, delta, start, first, cell, delta,
                 {first}, {cell}, steps, budget):  # fmt: skip
            return True
    return False


def _walk(
    graph: _Graph,
    values: dict[Cell, int],
    status: dict[Cell, str],
    threshold: int,
    origin: Cell,
    origin_delta: int,
    start: tuple[str, int],
    node: tuple[str, int],
    came_by: Cell,
    came_delta: int,
    seen: set[tuple[str, int]],
    used: set[Cell],
    steps: list[int],
    budget: int,
) -> bool:
    steps[0] += 1
    if steps[0] > budget:
        return False
    free = node == _FREE
    for nxt in graph.at[node]:
        if nxt in used or status[nxt] == SHOWN:
            continue
        options = (
            (1, -1) if free else (-graph.coef(came_by, node) * came_delta * graph.coef(nxt, node),)
        )
        for delta in options:
            if not _allowed(values[nxt] + delta, status[nxt], threshold):
                continue
            there = graph.other(nxt, node)
            if there == start:
                if start == _FREE or (
                    graph.coef(origin, start) * origin_delta + graph.coef(nxt, start) * delta == 0
                ):
                    return True
                continue
            if there in seen:
                continue
            seen.add(there)
            used.add(nxt)
            if _walk(graph, values, status, threshold, origin, origin_delta, start, there,
                     nxt, delta, seen, used, steps, budget):  # fmt: skip
                return True
            seen.discard(there)
            used.discard(nxt)
    return False


def _complement_for(
    graph: _Graph,
    values: dict[Cell, int],
    status: dict[Cell, str],
    cell: Cell,
    threshold: int,
) -> Cell | None:
    """The next cell to hide so that ``cell`` may get a witness: one that shares an
    equation with a hidden cell connected to it, preferring counts that can move both
    ways (above the threshold), then the smallest."""
    # Hidden cells reachable from ``cell`` (its connected part of the graph).
    reach_nodes: set[tuple[str, int]] = set()
    frontier = [n for n, _ in graph.ends[cell]]
    while frontier:
        node = frontier.pop()
        if node in reach_nodes:
            continue
        reach_nodes.add(node)
        for other in graph.at[node]:
            if status[other] != SHOWN:
                frontier.extend(n for n, _ in graph.ends[other] if n not in reach_nodes)
    candidates = [
        c
        for c, s in status.items()
        if s == SHOWN and any(n in reach_nodes for n, _ in graph.ends[c])
    ] or [c for c, s in status.items() if s == SHOWN]
    if not candidates:
        return None

    def preference(c: Cell) -> tuple[int, int, int]:
        v = values[c]
        rank = 0 if v > threshold else 1 if v == threshold else 2
        is_total = 1 if -1 in c else 0
        return (rank, is_total, v)

    return min(candidates, key=preference)


def exposed_cells(table: Table) -> list[Cell]:
    """Small cells without a witness (empty for every table ``single``/``cross`` make)."""
    graph = _Graph(len(table.rows), len(table.cols), table.has_col_totals)
    return [
        cell
        for cell, s in table.status.items()
        if s == SMALL and not has_witness(graph, table.values, table.status, cell, table.threshold)
    ]
