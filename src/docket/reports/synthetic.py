"""A synthetic organization of N cases, for tests and benchmarks ONLY.

Writes ``Case`` projection rows in bulk (no ledger events, no people, no content), with
``provenance="synthetic"`` so they can never be mistaken for real cases. The rows have
the shape the protocol engine's projection gives real cases (received, decided, closed,
disposition, outcome, sanctions, appeals, violations, deviations, category), with
distributions that exercise every cell of the transparency report: rare categories,
small counts, long-tailed times to decision.

Never run this against a production database: ``generate`` refuses when the database
holds any case that is not synthetic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from docket.core.ids import public_id

PROVENANCE = "synthetic"
# (category, weight): the last ones are rare, to produce small cells.
CATEGORIES = (
    ("harassment", 30),
    ("discrimination", 18),
    ("physical misconduct", 12),
    ("misuse of funds", 10),
    ("abuse of office", 8),
    ("online conduct", 15),
    ("retaliation", 5),
    ("breach of confidentiality", 1),
    ("election irregularities", 0.2),
)
DISPOSITIONS = (
    ("decided", 55),
    ("withdrawn", 12),
    ("not_proceeded", 14),
    ("informal_resolution", 15),
    ("dismissed", 4),
)
OUTCOMES = (("sanction", 45), ("no_sanction", 40), ("dismissed", 15))
SANCTIONS = (
    ("warning", 40),
    ("reprimand", 25),
    ("suspension", 20),
    ("removal_from_office", 10),
    ("expulsion", 5),
)


@dataclass(frozen=True)
class Generated:
    count: int
    start: datetime
    end: datetime


# How appeals ended (weights), as in docket.reports.transparency.APPEAL_OUTCOMES.
APPEALS_ENDED = (
    ("pending", 0.15), ("upheld", 0.2), ("dismissed", 0.45), ("varied", 0.1), ("remanded", 0.1),
)  # fmt: skip


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def generate(
    n: int,
    *,
    seed: int = 2024,
    start: datetime = datetime(2020, 1, 1, tzinfo=UTC),
    years: int = 5,
    batch: int = 5000,
) -> Generated:
    """Add ``n`` synthetic cases received between ``start`` and ``start + years``."""
    from docket.cases.models import Case, ProtocolVersion

    if Case.objects.exclude(provenance=PROVENANCE).exists():
        raise RuntimeError("Refusing to add synthetic cases to a database with real cases.")
    protocol = ProtocolVersion.objects.order_by("pk").first()
    if protocol is None:
        raise RuntimeError("Adopt a protocol first (synthetic cases need one).")
    rng = random.Random(seed)  # noqa: S311  (test and bench data, not secrets)
    span = timedelta(days=365 * years)
    end = start + span
    rows: list[Case] = []
    for i in range(n):
        received = start + timedelta(seconds=rng.randrange(int(span.total_seconds())))
        fields = _case_fields(rng, received, end)
        rows.append(
            Case(
                public_id=public_id(),
                reference=f"S-{i + 1:06d}",
                protocol=protocol,
                provenance=PROVENANCE,
                **fields,
            )
        )
        if len(rows) >= batch:
            Case.objects.bulk_create(rows)
            rows = []
    if rows:
        Case.objects.bulk_create(rows)
    return Generated(n, start, end)


def _case_fields(rng: random.Random, received: datetime, horizon: datetime) -> dict[str, object]:
    category = _pick(rng, CATEGORIES)
    fields: dict[str, object] = {
        "category": category,
        "stage": "investigation",
        "closed": False,
        "disposition": "",
        "outcome": "",
        "sanctions": [],
        "received_at": received,
        "opened_at": received + timedelta(days=rng.randint(0, 14)),
        "decided_at": None,
        "closed_at": None,
        "appeals": 0,
        "violations": 0,
        "deviations": 0,
        "head_seq": rng.randint(3, 60),
    }
    if rng.random() < 0.06:
        fields["violations"] = rng.randint(1, 3)
    if rng.random() < 0.03:
        fields["deviations"] = 1
    # Long-tailed: most cases take weeks, some take years.
    days = rng.lognormvariate(4.0, 0.8)
    ended = received + timedelta(days=days)
    if ended >= horizon or rng.random() < 0.05:
        fields["last_event_at"] = received
        return fields  # still open
    disposition = _pick(rng, DISPOSITIONS)
    fields.update(closed=True, stage="closed", disposition=disposition, closed_at=ended)
    if disposition == "decided":
        outcome = _pick(rng, OUTCOMES)
        decided = ended - timedelta(days=rng.uniform(0, min(days, 10)))
        fields.update(outcome=outcome, decided_at=decided)
        if outcome == "sanction":
            sanctions = [_pick(rng, SANCTIONS)]
            if rng.random() < 0.1:
                extra = _pick(rng, SANCTIONS)
                if extra not in sanctions:
                    sanctions.append(extra)
            fields["sanctions"] = sanctions
        if rng.random() < 0.15:
            fields["appeals"] = 1 if rng.random() < 0.9 else 2
            fields["appeal_outcome"] = _pick(rng, APPEALS_ENDED)
    fields["last_event_at"] = ended
    return fields
