"""Retention: which cases' content is due for shredding, and shredding it.

*Which* cases are due depends on the protocol's retention period and each case's
closure date, which the case layer knows. It registers a policy here::

    from docket.crypto import retention

    @retention.register_policy
    def closed_cases(today: date) -> Iterable[retention.Candidate]:
        ...  # yield Candidate(stream="case:…", due=closed_on + period, reason="…")

This module combines the candidates of every policy, drops the ones not yet due or
already shredded, keeps back those under a legal hold, and shreds the rest with
:func:`~docket.crypto.services.case_key_shred`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.db import transaction

from docket.core.errors import DocketError
from docket.crypto.models import CaseKey, ContentItem, LegalHold
from docket.crypto.services import ShredReport, case_key_shred


@dataclass(frozen=True)
class Candidate:
    stream: str
    due: date
    reason: str


Policy = Callable[[date], Iterable[Candidate]]
_policies: list[Policy] = []


def register_policy(policy: Policy) -> Policy:
    """Register a retention policy (usable as a decorator). Idempotent."""
    if policy not in _policies:
        _policies.append(policy)
    return policy


ShredListener = Callable[[str, ShredReport], None]
_listeners: list[ShredListener] = []


def on_shred(listener: ShredListener) -> ShredListener:
    """Register a function told of each shredding, inside its transaction (the case layer
    puts it on the case's record). Idempotent."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def off_shred(listener: ShredListener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def unregister_policy(policy: Policy) -> None:
    if policy in _policies:
        _policies.remove(policy)


def policies() -> list[Policy]:
    return list(_policies)


Status = Literal["due", "held", "shredded", "failed"]


@dataclass
class Decision:
    stream: str
    due: date
    reason: str
    status: Status
    items: int
    holds: list[str]
    error: str = ""


def retention_plan(*, today: date) -> list[Decision]:
    """What a run would do today: cases due and not yet shredded, held ones flagged."""
    earliest: dict[str, Candidate] = {}
    for policy in _policies:
        for candidate in policy(today):
            if candidate.due > today:
                continue
            seen = earliest.get(candidate.stream)
            if seen is None or candidate.due < seen.due:
                earliest[candidate.stream] = candidate
    if not earliest:
        return []
    streams = list(earliest)
    done = set(
        CaseKey.objects.filter(stream__in=streams, shredded_at__isnull=False)
        .exclude(
            stream__in=CaseKey.objects.filter(stream__in=streams, shredded_at__isnull=True).values(
                "stream"
            )
        )
        .values_list("stream", flat=True)
    )
    holds: dict[str, list[str]] = {}
    for hold in LegalHold.objects.filter(stream__in=streams, lifted_at__isnull=True):
        holds.setdefault(hold.stream, []).append(hold.reason)
    plan = []
    for stream in sorted(streams, key=lambda s: (earliest[s].due, s)):
        if stream in done:
            continue
        candidate = earliest[stream]
        plan.append(
            Decision(
                stream=stream,
                due=candidate.due,
                reason=candidate.reason,
                status="held" if stream in holds else "due",
                items=ContentItem.objects.filter(stream=stream, shredded=False).count(),
                holds=holds.get(stream, []),
            )
        )
    return plan


def retention_run(
    *, today: date, dry_run: bool = False, on_progress: Callable[[Decision], None] | None = None
) -> list[Decision]:
    """Shred every due case not under a legal hold (each case in its own transaction)."""
    plan = retention_plan(today=today)
    for decision in plan:
        if decision.status == "due" and not dry_run:
            try:
                with transaction.atomic():
                    report = case_key_shred(
                        stream=decision.stream,
                        reason=f"retention: {decision.reason} (due {decision.due.isoformat()})",
                    )
                    for listener in list(_listeners):
                        listener(decision.stream, report)
                decision.status = "shredded"
            except DocketError as exc:
                decision.status = "held" if exc.code == "content.legal_hold" else "failed"
                decision.error = exc.code
        if on_progress:
            on_progress(decision)
    return plan
