"""Projections: query tables derived from the ledger, rebuildable and comparable.

An area registers each of its projections once (in its ``AppConfig.ready``)::

    projections.register(
        "cases.case_list",
        rebuild=lambda stream, events: [...rows computed from the events...],
        snapshot=lambda stream: [...the rows the table holds now for that stream...],
        write=lambda stream, rows: ...replace the stream's rows...,
        kinds={"case"},            # stream kinds it derives from (None: all)
        streams=lambda: {...},     # streams it has rows for (finds orphans), optional
    )

Rows are plain dicts of JSON-like values (datetimes allowed); ``rebuild`` and
``snapshot`` must give the same shape so that rows compare equal when nothing drifted.
Services still update their projections themselves, in the transaction that appends.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from docket.ledger.models import LedgerEvent
from docket.ledger.streams import stream_kind

Row = dict[str, Any]
RebuildFn = Callable[[str, Sequence[LedgerEvent]], list[Row]]
SnapshotFn = Callable[[str], list[Row]]
WriteFn = Callable[[str, list[Row]], None]


@dataclass(frozen=True)
class Projection:
    name: str
    rebuild: RebuildFn
    snapshot: SnapshotFn
    write: WriteFn
    kinds: frozenset[str] | None = None
    streams: Callable[[], Iterable[str]] | None = None

    def concerns(self, stream: str) -> bool:
        return self.kinds is None or stream_kind(stream) in self.kinds


_REGISTRY: dict[str, Projection] = {}


def register(
    name: str,
    *,
    rebuild: RebuildFn,
    snapshot: SnapshotFn,
    write: WriteFn,
    kinds: Iterable[str] | None = None,
    streams: Callable[[], Iterable[str]] | None = None,
) -> Projection:
    if name in _REGISTRY:
        raise ValueError(f"projection {name!r} registered twice")
    projection = Projection(
        name, rebuild, snapshot, write, frozenset(kinds) if kinds is not None else None, streams
    )
    _REGISTRY[name] = projection
    return projection


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> list[Projection]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


@dataclass
class Difference:
    projection: str
    stream: str
    missing: list[Row] = field(default_factory=list)  # rebuilt from the ledger, not in the table
    extra: list[Row] = field(default_factory=list)  # in the table, not from the ledger

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(
            json.dumps(
                {
                    "projection": self.projection,
                    "stream": self.stream,
                    "missing": self.missing,
                    "extra": self.extra,
                },
                default=str,
            )
        )
        return result


def _key(row: Row) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def compare(name: str, stream: str, rebuilt: list[Row], current: list[Row]) -> Difference | None:
    want = {_key(r): r for r in rebuilt}
    have = {_key(r): r for r in current}
    if want.keys() == have.keys():
        return None
    return Difference(
        name,
        stream,
        [want[k] for k in sorted(want.keys() - have.keys())],
        [have[k] for k in sorted(have.keys() - want.keys())],
    )


def rebuild_all(
    *, write: bool, only: Iterable[str] | None = None, progress: Callable[[int], None] | None = None
) -> list[Difference]:
    """Rebuild every registered projection for every stream; returns what differed.

    With ``write`` the differing streams are rewritten, each in its own transaction.
    """
    chosen = [p for p in registered() if only is None or p.name in set(only)]
    ledger_streams = list(
        LedgerEvent.objects.values_list("stream", flat=True).distinct().order_by("stream")
    )
    differences: list[Difference] = []
    for projection in chosen:
        streams = [s for s in ledger_streams if projection.concerns(s)]
        known = set(streams)
        orphans = sorted(set(projection.streams()) - known) if projection.streams else []
        for stream in [*streams, *orphans]:
            events = list(LedgerEvent.objects.filter(stream=stream).order_by("seq"))
            rebuilt = projection.rebuild(stream, events) if events else []
            diff = compare(projection.name, stream, rebuilt, projection.snapshot(stream))
            if diff is not None:
                differences.append(diff)
                if write:
                    with transaction.atomic():
                        projection.write(stream, rebuilt)
            if progress:
                progress(1)
    return differences


def count_work(only: Iterable[str] | None = None) -> int:
    streams = LedgerEvent.objects.values("stream").distinct().count()
    return streams * len([p for p in registered() if only is None or p.name in set(only)])
