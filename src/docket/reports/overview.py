"""The compliance overview: the open cases a person follows as a whole (through a body,
a panel, an investigation or a grant; never as a party), those that need
attention first.

Everything listed is read from the projections — ``Case.violations`` and
``Case.deviations``, and the running deadlines in ``CaseObligation`` — a page at a time,
so a page costs the same among a hundred thousand cases as among a thousand. Only the
cases shown that have violations are read by the protocol engine, for the clauses
they break.

"Needs attention" holds every such case with a violation or an overdue duty, in this
order: first the cases with an overdue duty, the one overdue longest first (by its
oldest overdue duty); then the cases with violations and nothing overdue, the most
violations first, then the longest open (earliest received). The other open cases
follow, most recently active first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from docket.access.selectors import visible_page
from docket.cases.models import Case, CaseObligation
from docket.cases.projection import engine_event
from docket.cases.protocols import case_protocol
from docket.ledger.models import LedgerEvent
from docket.protocol.engine import evaluate
from docket.protocol.schema import Protocol
from docket.protocol.state import Event
from docket.web.overview import PAGE_SIZE, Scope

ATTENTION_PAGE = 25  # cases per page of "Needs attention"
OTHERS_PAGE = PAGE_SIZE  # cases per page of the other open cases


@dataclass
class Row:
    case: Case
    overdue: int = 0  # overdue duties
    overdue_since: datetime | None = None  # when the oldest of them was due
    clauses: list[str] = field(default_factory=list)  # clauses violated

    @property
    def violations(self) -> int:
        return self.case.violations

    @property
    def deviations(self) -> int:
        return self.case.deviations


@dataclass
class Section:
    """One page of a list of cases, counted from 1, without counting them all."""

    rows: list[Row]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def overdue_q(at: datetime) -> Q:
    """Cases (rows of ``Case``) with a duty past its due time at ``at``."""
    return Q(Exists(_overdue(at).filter(case=OuterRef("pk"))))


def _overdue(at: datetime) -> QuerySet[CaseObligation]:
    # CaseObligation.status_at: a duty is overdue once its due time has passed.
    return CaseObligation.objects.filter(kind="duty", due__lt=at)


def needs_attention(scope: Scope, number: int) -> Section:
    """Page ``number`` of the open cases ``scope.person`` follows as a whole that have
    an overdue duty or a violation, in the order the module describes."""
    number, size = max(1, number), ATTENTION_PAGE
    start, stop = (number - 1) * size, number * size
    late = _longest_overdue(scope, stop + 1)
    ids = [case_id for case_id, _due in late[start:stop]]
    has_next = len(late) > stop
    if not has_next:
        # The overdue ones end on this page or before: the rest of it (and one case more,
        # to know whether a page follows) are the cases with violations alone.
        skip = max(0, start - len(late))
        broken = (
            Case.objects.filter(scope.followed("pk"), ~overdue_q(scope.at))
            .filter(closed=False, violations__gt=0)
            .order_by("-violations", "received_at", "id")
            .values_list("pk", flat=True)
        )
        more = list(broken[skip : stop + 1 - len(late)])
        ids += more
        has_next = len(ids) > size
        ids = ids[:size]
    found = Case.objects.select_related("protocol").in_bulk(ids)
    return Section(_figures([found[i] for i in ids], scope.at), number, has_next)


def _longest_overdue(scope: Scope, count: int) -> list[tuple[int, datetime]]:
    """The first ``count`` cases with an overdue duty, the longest overdue first: (case
    id, due time of its oldest overdue duty). Walks the overdue duties in due order (the
    ``(kind, due)`` index) and stops once ``count`` cases are found."""
    duties = (
        _overdue(scope.at)
        .filter(scope.followed("case_id"), case__closed=False)
        .order_by("due", "pk")
    )
    found: dict[int, datetime] = {}
    batch = 2 * count + 10  # a case has few duties running at once
    walk = duties
    while len(found) < count:
        chunk = list(walk.values_list("case_id", "due", "pk")[:batch])
        for case_id, due, _pk in chunk:
            found.setdefault(case_id, due)
        if len(chunk) < batch:
            break
        _case, due, pk = chunk[-1]
        walk = duties.filter(Q(due__gt=due) | Q(due=due, pk__gt=pk))
    return list(found.items())[:count]


def other_open(scope: Scope, number: int) -> Section:
    """Page ``number`` of the open cases ``scope.person`` follows as a whole with no
    violation and nothing overdue, most recently active first."""
    number, size = max(1, number), OTHERS_PAGE
    start = (number - 1) * size
    calm = Q(closed=False, violations=0) & scope.followed("pk") & ~overdue_q(scope.at)
    cases = visible_page(
        scope.person, scope.at, start, start + size + 1, among=calm, links=scope.links
    )
    return Section([Row(c) for c in cases[:size]], number, len(cases) > size)


def _figures(cases: Sequence[Case], at: datetime) -> list[Row]:
    """Rows for ``cases``: their overdue duties (one query for them all) and, for those
    with violations, the clauses the engine finds violated."""
    rows = {c.pk: Row(c) for c in cases}
    for case_id, due in (
        _overdue(at).filter(case_id__in=rows).order_by("due").values_list("case_id", "due")
    ):
        row = rows[case_id]
        row.overdue += 1
        row.overdue_since = row.overdue_since or due
    for case_id, clauses in violated_clauses([c for c in cases if c.violations], at).items():
        rows[case_id].clauses = clauses
    return list(rows.values())


def violated_clauses(cases: Sequence[Case], at: datetime) -> dict[int, list[str]]:
    """Case id -> the clauses the engine finds violated, for ``cases`` (their events in
    one query; each protocol version read once)."""
    if not cases:
        return {}
    events: dict[str, list[Event]] = defaultdict(list)
    rows = LedgerEvent.objects.filter(stream__in=[c.stream for c in cases]).order_by(
        "stream", "seq"
    )
    for row in rows.only(
        "stream", "seq", "type", "actor", "capacity", "occurred_at", "payload", "deviation"
    ):
        events[row.stream].append(engine_event(row))
    protocols: dict[int, Protocol] = {}
    found: dict[int, list[str]] = {}
    for case in cases:
        if case.protocol_id not in protocols:
            protocols[case.protocol_id] = case_protocol(case.protocol)
        evaluation = evaluate(protocols[case.protocol_id], events[case.stream], at)
        found[case.pk] = sorted({v.clause for v in evaluation.violations})
    return found
