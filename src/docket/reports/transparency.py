"""The transparency report: anonymized numbers about all cases, for the membership.

Built from aggregate queries over the ``Case`` projection (a handful of GROUP BY
queries; no Python loop over cases), then passed through small-number suppression
(``suppression.py``): every count under the threshold is shown as "fewer than 5",
and further cells are hidden so that none of those can be worked out from totals.

What a period covers (``start`` to ``end`` inclusive, in the organization's time zone):

- **received**: cases whose complaint was received in the period, by category;
- **decided**: cases decided in the period, by category and outcome; their sanctions;
  the time from report to decision (median and quartiles, in whole days) and its
  distribution; how many were appealed;
- **ended**: cases closed in the period, by how they ended;
- **integrity**: cases active at some time in the period (received before its end,
  not closed before its start) with violations of the protocol found and deviations
  recorded.

Categories with fewer cases than the threshold in a table are merged into "other
categories", so a rare category's name does not single anyone out. No name, reference,
date of a single case or free text appears in the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
)

from docket.cases.models import Case

from . import suppression
from .suppression import Table

OTHER = "other categories"
OUTCOMES = ("sanction", "no_sanction", "dismissed")
# The closed vocabularies of docket.events.case (case.closed, decision.issued).
DISPOSITIONS = (
    "decided",
    "withdrawn",
    "not_proceeded",
    "informal_resolution",
    "dismissed",
    "reviewed",
)
# Time from report to decision, in days: [low, high) buckets for the distribution.
BUCKETS = ((0, 31), (31, 61), (61, 91), (91, 181), (181, 366), (366, None))
INTEGRITY = ("neither", "violations", "deviations", "both")


class DaysBetween(Func):
    """Whole days from ``received_at`` to ``decided_at`` (floored), in the database."""

    output_field = IntegerField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(start), F(end))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST((julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::integer",
            arg_joiner=" - ",
            **extra,
        )


class Scan(Func):
    """A column read so that SQLite does not pick an index for a range condition on it.

    Over most of the table, SQLite's index range scan plus a table lookup per row is
    several times slower than reading the table once; PostgreSQL's planner chooses well
    on its own, so there this is the plain column."""

    template = "%(expressions)s"

    def __init__(self, field: str, output_field: Any) -> None:
        super().__init__(F(field), output_field=output_field)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


def _at(field: str) -> Scan:
    return Scan(field, DateTimeField())


@dataclass(frozen=True)
class Spread:
    n: int
    median: float | None
    p25: float | None
    p75: float | None
    suppressed: bool


# How appeals against the period's decisions ended (the latest appeal of each case).
APPEAL_OUTCOMES = ("pending", "upheld", "dismissed", "varied", "remanded")


@dataclass
class TransparencyReport:
    start: date
    end: date
    threshold: int
    time_zone: str
    received: Table
    decided: Table
    sanctions: Table
    ended: Table
    durations: Table
    time_to_decision: Spread
    appeals: Table
    appeal_outcomes: Table
    appeal_count: int | None  # total appeals filed against those decisions (None: hidden)
    integrity: Table
    violations_total: int | None
    deviations_total: int | None
    notes: list[str] = field(default_factory=list)

    def tables(self) -> list[tuple[str, Table]]:
        return [
            ("received", self.received),
            ("decided", self.decided),
            ("sanctions", self.sanctions),
            ("ended", self.ended),
            ("time_to_decision", self.durations),
            ("appeals", self.appeals),
            ("appeal_outcomes", self.appeal_outcomes),
            ("integrity", self.integrity),
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": "docket-transparency/1",
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "threshold": self.threshold,
            "tables": {
                name: {"columns": [*t.cols, "total"], "rows": t.as_rows()}
                for name, t in self.tables()
            },
            "time_to_decision_days": {
                "n": self.time_to_decision.n if not self.time_to_decision.suppressed else None,
                "median": self.time_to_decision.median,
                "p25": self.time_to_decision.p25,
                "p75": self.time_to_decision.p75,
            },
            "appeals_filed": self.appeal_count,
            "violations_found": self.violations_total,
            "deviations_recorded": self.deviations_total,
        }

    def csv_rows(self) -> Iterable[list[str]]:
        """table, row, column, value (the count, or "fewer than N" / "not shown")."""
        yield ["table", "row", "column", "value"]
        for name, t in self.tables():
            cols = [*t.cols, "total"]
            for row in t.as_rows():
                for col, cell in zip(cols, row["cells"], strict=True):  # type: ignore[call-overload]
                    value = cell["value"]
                    shown = (
                        str(value)
                        if cell["status"] == suppression.SHOWN
                        else f"fewer than {t.threshold}"
                        if cell["status"] == suppression.SMALL
                        else "not shown"
                    )
                    yield [name, str(row["row"]), col, shown]
        s = self.time_to_decision
        for key, value in (("median", s.median), ("p25", s.p25), ("p75", s.p75)):
            yield ["time_to_decision_days", key, "days", "" if value is None else f"{value:g}"]
        for key, total in (
            ("appeals_filed", self.appeal_count),
            ("violations_found", self.violations_total),
            ("deviations_recorded", self.deviations_total),
        ):
            yield ["totals", key, "count", "not shown" if total is None else str(total)]


def org_time_zone() -> str:
    from docket.org.models import Organization

    found = Organization.objects.values_list("time_zone", flat=True).first()
    return found or settings.TIME_ZONE


def period_bounds(start: date, end: date, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def transparency_report(
    start: date,
    end: date,
    *,
    threshold: int = suppression.THRESHOLD,
    cases: QuerySet[Case] | None = None,
) -> TransparencyReport:
    """The report for ``start``..``end`` (inclusive). ``cases`` narrows the base set
    (tests, synthetic data); by default every case."""
    tz = org_time_zone()
    lo, hi = period_bounds(start, end, tz)
    base = cases if cases is not None else Case.objects.all()
    base = base.order_by()

    # A few aggregate queries, each one pass over the cases of one part of the report.
    scan = base.alias(
        rcv=_at("received_at"),
        dec=_at("decided_at"),
        end=_at("closed_at"),
        shut=Scan("closed", BooleanField()),
    )
    received_c = Q(rcv__gte=lo, rcv__lt=hi)
    decided_c = Q(dec__gte=lo, dec__lt=hi)
    closed_c = Q(shut=True, end__gte=lo, end__lt=hi)
    active_c = Q(rcv__lt=hi) & ~Q(shut=True, end__lt=lo)

    received_counts = {
        g["category"]: g["n"]
        for g in scan.filter(received_c).values("category").annotate(n=Count("id"))
    }
    received_rows = _merge_rare({(k,): v for k, v in received_counts.items()}, threshold)
    received = suppression.single(
        [r[0] for r in received_rows], [v for v in received_rows.values()], threshold
    )

    groups = list(
        scan.filter(decided_c)
        .values("category")
        .annotate(
            n=Count("id"),
            n_appealed=Count("id", filter=Q(appeals__gt=0)),
            appeals_total=Sum("appeals"),
            **{f"o_{o}": Count("id", filter=Q(outcome=o)) for o in OUTCOMES},
        )
    )
    grid: dict[tuple[str, str], int] = {}
    for g in groups:
        for o in OUTCOMES:
            grid[(g["category"], o)] = g[f"o_{o}"]
        other = g["n"] - sum(g[f"o_{o}"] for o in OUTCOMES)
        if other:
            grid[(g["category"], "other")] = other
    decided = _cross_by_category(grid, OUTCOMES, threshold)
    appealed = sum(g["n_appealed"] for g in groups)
    appeals_total = sum(g["appeals_total"] or 0 for g in groups)
    not_appealed = sum(g["n"] for g in groups) - appealed

    ended_counts = scan.filter(closed_c).aggregate(
        all=Count("id"), **{k: Count("id", filter=Q(disposition=k)) for k in DISPOSITIONS}
    )
    closed_total = ended_counts.pop("all")
    if closed_total != sum(ended_counts.values()):
        ended_counts["other"] = closed_total - sum(ended_counts.values())

    i = scan.filter(active_c).aggregate(
        n_neither=Count("id", filter=Q(violations=0, deviations=0)),
        n_violations=Count("id", filter=Q(violations__gt=0, deviations=0)),
        n_deviations=Count("id", filter=Q(violations=0, deviations__gt=0)),
        n_both=Count("id", filter=Q(violations__gt=0, deviations__gt=0)),
        violations_total=Sum("violations"),
        deviations_total=Sum("deviations"),
    )
    decided_q = scan.filter(decided_c)
    sanction_groups = (
        decided_q.filter(outcome="sanction")
        .values_list("sanctions")
        .annotate(n=Count("id"))
        .values_list("sanctions", "n")
    )
    per_sanction: dict[str, int] = {}
    for kinds, n in sanction_groups:  # over distinct sanction lists, not over cases
        for kind in kinds or []:
            per_sanction[str(kind)] = per_sanction.get(str(kind), 0) + n
    names = sorted(per_sanction)
    sanctions = suppression.single(names, [per_sanction[k] for k in names], threshold)

    kinds = [*DISPOSITIONS, *(["other"] if "other" in ended_counts else [])]
    ended = suppression.single(kinds, [ended_counts.get(k, 0) for k in kinds], threshold)

    histogram = dict(
        decided_q.filter(received_at__isnull=False)
        .annotate(days=DaysBetween("decided_at", "received_at"))
        .values_list("days")
        .annotate(n=Count("id"))
        .values_list("days", "n")
    )
    spread = _spread(histogram, threshold)
    buckets = [
        sum(n for d, n in histogram.items() if d >= low and (high is None or d < high))
        for low, high in BUCKETS
    ]
    durations = suppression.single([_bucket_label(b) for b in BUCKETS], buckets, threshold)

    appeals = suppression.single(["appealed", "not_appealed"], [appealed, not_appealed], threshold)
    outcome_counts = dict(
        decided_q.filter(appeals__gt=0)
        .values_list("appeal_outcome")
        .annotate(n=Count("id"))
        .values_list("appeal_outcome", "n")
    )
    appeal_outcomes = suppression.single(
        list(APPEAL_OUTCOMES), [outcome_counts.get(k, 0) for k in APPEAL_OUTCOMES], threshold
    )
    appeal_count = appeals_total if appealed >= threshold else None

    integrity = suppression.single(list(INTEGRITY), [i[f"n_{k}"] for k in INTEGRITY], threshold)
    with_v = i["n_violations"] + i["n_both"]
    with_d = i["n_deviations"] + i["n_both"]
    return TransparencyReport(
        start=start,
        end=end,
        threshold=threshold,
        time_zone=tz,
        received=received,
        decided=decided,
        sanctions=sanctions,
        ended=ended,
        durations=durations,
        time_to_decision=spread,
        appeals=appeals,
        appeal_outcomes=appeal_outcomes,
        appeal_count=appeal_count,
        integrity=integrity,
        violations_total=(i["violations_total"] or 0) if with_v >= threshold else None,
        deviations_total=(i["deviations_total"] or 0) if with_d >= threshold else None,
    )


def _merge_rare(counts: dict[tuple[str], int], threshold: int) -> dict[tuple[str], int]:
    kept = {k: v for k, v in sorted(counts.items()) if v >= threshold}
    rare = sum(v for v in counts.values() if v < threshold)
    if rare:
        kept[(OTHER,)] = rare
    return kept


def _cross_by_category(
    grid: dict[tuple[str, str], int], cols: tuple[str, ...], threshold: int
) -> Table:
    totals: dict[str, int] = {}
    for (category, _), n in grid.items():
        totals[category] = totals.get(category, 0) + n
    extra = sorted({o for _, o in grid if o not in cols})
    columns = (*cols, *extra)
    rows: dict[str, list[int]] = {}
    for (category, outcome), n in sorted(grid.items()):
        row = category if totals[category] >= threshold else OTHER
        rows.setdefault(row, [0] * len(columns))[columns.index(outcome)] += n
    names = sorted(r for r in rows if r != OTHER) + ([OTHER] if OTHER in rows else [])
    return suppression.cross(names, columns, [rows[r] for r in names], threshold)


def _spread(histogram: dict[int, int], threshold: int) -> Spread:
    n = sum(histogram.values())
    if n < threshold:
        return Spread(n, None, None, None, suppressed=n > 0)
    ordered = sorted(histogram.items())

    def quantile(q: float) -> float:
        # Linear interpolation between order statistics (like statistics.quantiles
        # with method="inclusive"), over the counts per day.
        pos = q * (n - 1)
        low, frac = int(pos), pos - int(pos)
        return _nth(ordered, low) + frac * (_nth(ordered, min(low + 1, n - 1)) - _nth(ordered, low))

    return Spread(n, quantile(0.5), quantile(0.25), quantile(0.75), suppressed=False)


def _nth(ordered: list[tuple[int, int]], k: int) -> int:
    seen = 0
    for value, count in ordered:
        seen += count
        if k < seen:
            return value
    return ordered[-1][0]


def _bucket_label(bucket: tuple[int, int | None]) -> str:
    low, high = bucket
    return f"{low}+ days" if high is None else f"{low}-{high - 1} days"
