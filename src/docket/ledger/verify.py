"""Verification of every chain, the journal and the checkpoints, straight from the database.

One streaming pass over each table in (stream, seq) order, inside one read snapshot:
each row's bytes are hashed, linked to the row before, parsed once, and every queryable
column is compared with what the bytes say. Checkpoint leaves, receipts and exported
checkpoints become "expected (seq, hash)" positions that the same pass checks, so a
rewritten or truncated chain is caught against anything that was signed earlier.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from docket.ledger import chain, log, merkle, note, proofs, signed
from docket.ledger.models import LogCheckpoint, LogLeaf
from docket.ledger.streams import JOURNAL

Progress = Callable[[int], None]
CHUNK = 5000

EVENT_SQL = (
    "SELECT stream, seq, type, actor, capacity, {occurred_at}, {recorded_at}, recorded_by,"
    " provenance, payload, deviation, prev_hash, hash, body FROM ledger_event"
    " ORDER BY stream, seq"
)


def event_sql(vendor: str) -> str:
    # Datetimes are read as text: that skips a Python converter per value (the slowest part
    # of reading a row) and on PostgreSQL gives the very spelling of the canonical bytes.
    # The comparison below still accepts datetime objects and other spellings.
    if vendor == "sqlite":
        cast = "CAST({} AS TEXT)"
    elif vendor == "postgresql":
        cast = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    else:
        cast = "{}"
    return EVENT_SQL.format(
        occurred_at=cast.format("occurred_at"), recorded_at=cast.format("recorded_at")
    )


JOURNAL_SQL = (
    "SELECT seq, reader, capacity, stream, item, action, at, prev_hash, hash, body"
    " FROM ledger_journal ORDER BY seq"
)
_EVENT_TEXT = ("type", "actor", "capacity", "recorded_by", "provenance")
_EVENT_KEYS = frozenset(
    ("stream", "seq", "occurred_at", "recorded_at", "payload", "deviation", *_EVENT_TEXT)
)
_JOURNAL_TEXT = ("reader", "capacity", "stream", "item", "action")


@dataclass(frozen=True)
class Fault:
    where: str  # a stream, "journal", "checkpoint" or "receipt"
    seq: int | None
    problem: str
    detail: str = ""

    def __str__(self) -> str:
        at = f"{self.where}#{self.seq}" if self.seq is not None else self.where
        return f"{at}: {self.problem}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Report:
    faults: list[Fault] = field(default_factory=list)
    streams: int = 0
    events: int = 0
    journal_entries: int = 0
    checkpoints: int = 0
    proofs: int = 0  # receipts and exported checkpoints checked

    @property
    def ok(self) -> bool:
        return not self.faults

    def add(self, where: str, seq: int | None, problem: str, detail: str = "") -> None:
        self.faults.append(Fault(where, seq, problem, detail))

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


@dataclass
class Expectations:
    """Positions signed earlier that the current chains must still contain."""

    # stream -> seq -> [(source, hash)]
    at: dict[str, dict[int, list[tuple[str, str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )

    def expect(self, stream: str, seq: int, head_hash: str, source: str) -> None:
        if seq > 0:
            self.at[stream][seq].append((source, head_hash))


def verify_ledger(
    *,
    receipts: Iterable[Mapping[str, Any]] = (),
    exports: Iterable[Mapping[str, Any]] = (),
    org_public_key: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check everything; ``receipts`` and ``exports`` are parsed JSON documents."""
    report = Report()
    advance = progress or (lambda n: None)
    expected = Expectations()
    with read_snapshot():
        heads = _heads()
        log_expected = _check_checkpoints(report, expected, org_public_key)
        _check_log(report, log_expected, org_public_key)
        for doc in receipts:
            if doc.get("format") == proofs.RECEIPT_FORMAT:
                _add_receipt(report, expected, doc, org_public_key)
            else:
                _add_proof(report, expected, doc, signed.check_receipt, "receipt", org_public_key)
        for doc in exports:
            _add_proof(report, expected, doc, signed.check_export, "export", org_public_key)
        _check_events(report, _rows(event_sql(connection.vendor)), heads, expected, advance)
        _check_journal(report, _rows(JOURNAL_SQL), heads.get(JOURNAL), expected, advance)
    return report


def count_records() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM ledger_event) + (SELECT COUNT(*) FROM ledger_journal)"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@contextlib.contextmanager
def read_snapshot() -> Iterator[None]:
    """One consistent view of all tables while appends go on (no write lock held)."""
    if connection.in_atomic_block:
        yield  # already inside a transaction (tests, callers): it is the snapshot
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Django would BEGIN IMMEDIATE (a write lock); a deferred read transaction in WAL
        # mode keeps the snapshot of its first read and blocks no writer.
        connection.ensure_connection()
        raw = connection.connection
        raw.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            raw.execute("COMMIT")
        return
    yield


def _rows(sql: str) -> Iterator[tuple[Any, ...]]:
    cursor = connection.chunked_cursor()  # server-side on PostgreSQL: bounded memory
    try:
        cursor.execute(sql)
        if connection.vendor != "postgresql":
            while batch := cursor.fetchmany(CHUNK):
                yield from batch
            return
        # Fetch the next batch while this one is checked, so that the server's work and
        # ours overlap instead of taking turns.
        fetch = cursor.cursor.fetchmany
        with ThreadPoolExecutor(1, thread_name_prefix="ledger-verify") as pool:
            pending = pool.submit(fetch, CHUNK)
            while batch := pending.result():
                pending = pool.submit(fetch, CHUNK)
                yield from batch
    finally:
        cursor.close()


def _heads() -> dict[str, tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT stream, seq, hash FROM ledger_head")
        return {stream: (int(seq), head) for stream, seq, head in cursor.fetchall()}


def _as_utc(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _same_instant(stated: Any, value: Any) -> bool:
    try:
        return bool(
            isinstance(stated, str)
            and stated.endswith("Z")
            and datetime.fromisoformat(stated) == _as_utc(value)
        )
    except (TypeError, ValueError):
        return False


def _json_equal(column: Any, value: Any) -> bool:
    """Column JSON equals the value from the bytes, types included (True is not 1)."""
    if column is None:
        return value is None
    if isinstance(column, str | bytes):
        column = json.loads(column)
    dump = json.dumps
    return dump(column, sort_keys=True, separators=(",", ":")) == dump(
        value, sort_keys=True, separators=(",", ":")
    )


def _check_events(
    report: Report,
    rows: Iterable[tuple[Any, ...]],
    heads: Mapping[str, tuple[int, str]],
    expected: Expectations,
    advance: Progress,
) -> None:
    base = hashlib.sha256(chain.EVENT_DOMAIN)
    scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
    dumps = json.dumps
    add = report.add
    seen: set[str] = set()
    current: str | None = None
    expect = last_seq = 0
    prev = last_hash = ""
    wanted: Mapping[int, list[tuple[str, str]]] = {}
    count = 0

    def finish() -> None:
        if current is None:
            return
        _end_of_chain(report, current, last_seq, last_hash, heads.get(current), wanted)

    for row in rows:
        (
            stream,
            seq,
            type_,
            actor,
            capacity,
            occurred,
            recorded,
            recorded_by,
            provenance,
            payload,
            deviation,
            prev_col,
            hash_col,
            body,
        ) = row
        count += 1
        if count % CHUNK == 0:
            advance(CHUNK)
        if stream != current:
            finish()
            current, expect, prev = stream, 1, chain.genesis(stream)
            seen.add(stream)
            wanted = expected.at.get(stream, {})
        else:
            expect += 1
        if not isinstance(body, bytes):
            body = bytes(body)
        h = base.copy()
        h.update(body)
        if h.hexdigest() != hash_col:
            add(stream, seq, "hash", "the stored hash is not the hash of the event's bytes")
        if seq != expect:
            add(stream, seq, "sequence", f"expected seq {expect} here (missing or moved event)")
            expect = seq
        last_seq, last_hash = seq, hash_col
        try:
            text = body.decode("utf-8")
            doc, end = scan(text, 0)  # the C scanner, without json.loads' wrappers
            e = doc["event"]
            body_prev = doc["prev_hash"]
            if end != len(text) or len(doc) != 2 or e.keys() != _EVENT_KEYS:
                raise ValueError
        except (ValueError, TypeError, KeyError, AttributeError, StopIteration):
            add(stream, seq, "malformed", "the event's bytes are not a ledger event")
            prev = hash_col
            continue
        if body_prev != prev:
            add(stream, seq, "link", "prev_hash does not name the previous event's hash")
        prev = hash_col
        if prev_col != body_prev:
            add(stream, seq, "column prev_hash", "differs from the event's bytes")
        if e["stream"] != stream:
            add(stream, seq, "column stream", "differs from the event's bytes")
        if e["seq"] != seq:
            add(stream, seq, "column seq", f"the event's bytes say seq {e['seq']}")
        if (e["type"], e["actor"], e["capacity"], e["recorded_by"], e["provenance"]) != (
            type_,
            actor,
            capacity,
            recorded_by,
            provenance,
        ):
            for name, value in zip(
                _EVENT_TEXT, (type_, actor, capacity, recorded_by, provenance), strict=True
            ):
                if e[name] != value:
                    add(stream, seq, f"column {name}", "differs from the event's bytes")
        for name, value in (("occurred_at", occurred), ("recorded_at", recorded)):
            stated = e[name]
            # PostgreSQL text is spelled as the bytes; SQLite's is "2020-01-01 00:00:00.000123".
            if value.__class__ is str and (
                value == stated or value == f"{stated[:10]} {stated[11:-1]}"
            ):
                continue
            if not _same_instant(stated, value):
                add(stream, seq, f"column {name}", "differs from the event's bytes")
        # Appends store the payload in canonical key order, so on SQLite the column text
        # equals json.dumps of the parsed bytes; anything else takes the exact comparison.
        if payload != dumps(e["payload"]) and not _json_equal(payload, e["payload"]):
            add(stream, seq, "column payload", "differs from the event's bytes")
        if (deviation is not None or e["deviation"] is not None) and not _json_equal(
            deviation, e["deviation"]
        ):
            add(stream, seq, "column deviation", "differs from the event's bytes")
        if seq in wanted:
            for source, want in wanted[seq]:
                if want != hash_col:
                    add(stream, seq, "rewritten", f"{source} recorded hash {want[:16]}… here")
    finish()
    advance(count % CHUNK)
    report.events += count
    report.streams += len(seen)
    for stream, (seq, _) in heads.items():
        if stream != JOURNAL and stream not in seen and seq > 0:
            add(stream, None, "missing", f"the head says seq {seq} but the stream has no events")
    for stream, positions in expected.at.items():
        if stream != JOURNAL and stream not in seen:
            sources = sorted({src for items in positions.values() for src, _ in items})
            add(stream, None, "vanished", "the stream is gone; seen by " + ", ".join(sources))


def _end_of_chain(
    report: Report,
    stream: str,
    last_seq: int,
    last_hash: str,
    head: tuple[int, str] | None,
    wanted: Mapping[int, list[tuple[str, str]]],
) -> None:
    if head is None:
        report.add(stream, last_seq, "head", "the stream has no head row")
    elif head != (last_seq, last_hash):
        report.add(
            stream,
            last_seq,
            "head",
            f"the head row says seq {head[0]} hash {head[1][:16]}…, the chain ends here",
        )
    for seq in sorted(s for s in wanted if s > last_seq):
        sources = ", ".join(src for src, _ in wanted[seq])
        report.add(
            stream, seq, "truncated", f"the chain ends at seq {last_seq}; {sources} saw seq {seq}"
        )


def _check_journal(
    report: Report,
    rows: Iterable[tuple[Any, ...]],
    head: tuple[int, str] | None,
    expected: Expectations,
    advance: Progress,
) -> None:
    base = hashlib.sha256(chain.JOURNAL_DOMAIN)
    prev = chain.genesis(JOURNAL)
    wanted = expected.at.get(JOURNAL, {})
    expect = count = 0
    last_hash = ""
    for seq, reader, capacity, stream, item, action, at, prev_col, hash_col, body in rows:
        count += 1
        expect += 1
        if not isinstance(body, bytes):
            body = bytes(body)
        h = base.copy()
        h.update(body)
        if h.hexdigest() != hash_col:
            report.add(JOURNAL, seq, "hash", "the stored hash is not the hash of the entry's bytes")
        if seq != expect:
            report.add(JOURNAL, seq, "sequence", f"expected seq {expect} here")
            expect = seq
        try:
            doc = json.loads(body)
            e = doc["entry"]
            body_prev = doc["prev_hash"]
        except (ValueError, TypeError, KeyError):
            report.add(JOURNAL, seq, "malformed", "the entry's bytes are not a journal entry")
            prev = last_hash = hash_col
            continue
        if body_prev != prev:
            report.add(JOURNAL, seq, "link", "prev_hash does not name the previous entry's hash")
        if prev_col != body_prev:
            report.add(JOURNAL, seq, "column prev_hash", "differs from the entry's bytes")
        if e.get("seq") != seq:
            report.add(JOURNAL, seq, "column seq", f"the entry's bytes say seq {e.get('seq')}")
        for name, value in zip(
            _JOURNAL_TEXT, (reader, capacity, stream, item, action), strict=True
        ):
            if e.get(name) != value:
                report.add(JOURNAL, seq, f"column {name}", "differs from the entry's bytes")
        try:
            same_time = datetime.fromisoformat(e["at"]) == _as_utc(at)
        except (KeyError, TypeError, ValueError):
            same_time = False
        if not same_time:
            report.add(JOURNAL, seq, "column at", "differs from the entry's bytes")
        if seq in wanted:
            for source, want in wanted[seq]:
                if want != hash_col:
                    report.add(JOURNAL, seq, "rewritten", f"{source} recorded hash {want[:16]}…")
        prev = last_hash = hash_col
    advance(count)
    report.journal_entries += count
    last = (expect, last_hash) if count else None
    if count and head != last:
        report.add(JOURNAL, expect, "head", "the journal's head row differs from its last entry")
    if not count and head is not None and head[0] > 0:
        report.add(
            JOURNAL, None, "missing", f"the head says seq {head[0]} but there are no entries"
        )
    for seq in sorted(s for s in wanted if s > expect):
        sources = ", ".join(src for src, _ in wanted[seq])
        report.add(JOURNAL, seq, "truncated", f"the journal ends at seq {expect}; {sources} saw it")


def _check_checkpoints(
    report: Report, expected: Expectations, org_key: str | None
) -> list[tuple[int, str, list[signed.Leaf]]]:
    """Returns, per checkpoint, (seq, public key, the heads it moved): what the log of
    heads must hold."""
    moved: list[tuple[int, str, list[signed.Leaf]]] = []
    previous: signed.Statement | None = None
    previous_leaves: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, made_at, size, root, prev_hash, statement, signature, public_key,"
            " leaves, hash FROM ledger_checkpoint ORDER BY seq"
        )
        rows = cursor.fetchall()
    for (
        seq,
        made_at,
        size,
        root,
        prev_hash,
        statement_bytes,
        signature,
        public_key,
        leaves_b,
        digest,
    ) in rows:
        report.checkpoints += 1
        where = "checkpoint"
        try:
            statement = signed.Statement.from_dict(json.loads(bytes(statement_bytes)))
            leaves = [tuple(x) for x in json.loads(bytes(leaves_b))]
        except (ValueError, TypeError, KeyError):
            report.add(where, seq, "malformed", "the checkpoint's bytes cannot be read")
            continue
        if not signed.signature_valid(public_key, statement, signature):
            report.add(where, seq, "signature", "the signature does not verify")
        if org_key is not None and public_key != org_key:
            report.add(where, seq, "key", "signed by a key that is not the organization's key")
        columns = (statement.seq, statement.size, statement.root, statement.prev_hash)
        if columns != (seq, size, root, prev_hash) or _as_utc(made_at) != _as_utc(
            statement.made_at
        ):
            report.add(where, seq, "columns", "the columns differ from the signed statement")
        if digest != statement.hash():
            report.add(where, seq, "hash", "the stored hash is not the statement's hash")
        want_prev = previous.hash() if previous else signed.FIRST_PREV
        if statement.prev_hash != want_prev or (previous and statement.seq != previous.seq + 1):
            report.add(where, seq, "link", "does not follow the previous checkpoint")
        typed = [(str(s), int(q), str(h)) for s, q, h in leaves]
        if typed != signed.sort_leaves(typed) or len(typed) != statement.size:
            report.add(where, seq, "leaves", "leaves are not sorted or differ from the size")
        if merkle.root(signed.leaf_hashes(typed)).hex() != statement.root:
            report.add(where, seq, "root", "the leaves do not give the signed root")
        current = {s: (q, h) for s, q, h in typed}
        for stream, (old_seq, old_hash) in previous_leaves.items():
            now = current.get(stream)
            if now is None:
                report.add(
                    where, seq, "consistency", f"{stream} vanished since checkpoint {seq - 1}"
                )
            elif now[0] < old_seq or (now[0] == old_seq and now[1] != old_hash):
                report.add(
                    where, seq, "consistency", f"{stream} does not extend checkpoint {seq - 1}"
                )
        for stream, (q, h) in current.items():
            expected.expect(stream, q, h, f"checkpoint {seq}")
        moved.append((seq, public_key, [x for x in typed if previous_leaves.get(x[0]) != x[1:]]))
        previous, previous_leaves = statement, current
    return moved


def _check_log(
    report: Report, moved: list[tuple[int, str, list[signed.Leaf]]], org_key: str | None
) -> None:
    """The log of heads and its C2SP notes, rebuilt from the checkpoints: each logged
    checkpoint appended exactly the heads it moved, and its note signs that tree."""
    leaves = [
        (int(i), s, int(q), h, int(c))
        for i, s, q, h, c in LogLeaf.objects.order_by("index").values_list(
            "index", "stream", "seq", "hash", "checkpoint"
        )
    ]
    notes = {
        int(c): (int(size), root, text)
        for c, size, root, text in LogCheckpoint.objects.values_list(
            "checkpoint", "size", "root", "note"
        )
    }
    position = 0
    hashes: list[bytes] = []
    for seq, public_key, added in moved:
        if seq not in notes:
            if any(c > seq for c in notes):
                report.add("log", seq, "missing", "this checkpoint was never logged")
            continue
        size, root, text = notes.pop(seq)
        got = leaves[position : position + len(added)]
        if [(s, q, h) for _, s, q, h, _ in got] != added or any(
            i != position + k or c != seq for k, (i, _, _, _, c) in enumerate(got)
        ):
            report.add("log", seq, "leaves", "the logged heads differ from the checkpoint's")
        position += len(added)
        hashes += signed.leaf_hashes(added)
        want = merkle.root(hashes)
        if size != position or root != want.hex():
            report.add("log", seq, "root", "the log's size or root differs from its leaves")
        try:
            key = bytes.fromhex(org_key or public_key)
            tree = note.open_checkpoint(text, log.verifier_for(key))
        except (ValueError, note.NoteError) as exc:
            report.add("log", seq, "signature", str(exc))
            continue
        if (tree.size, tree.root) != (position, want):
            report.add("log", seq, "note", "the signed note names another tree")
    if position != len(leaves):
        report.add("log", None, "leaves", f"{len(leaves) - position} leaves no checkpoint made")
    for seq in sorted(notes):
        report.add("log", seq, "orphan", "a signed note for a checkpoint that does not exist")


def _add_receipt(
    report: Report, expected: Expectations, doc: Mapping[str, Any], org_key: str | None
) -> None:
    """A v2 receipt: its proofs hold under the organization's key, every event hash it
    keeps is still in the chain, and its checkpoint is still on record."""
    report.proofs += 1
    try:
        verifier = (
            log.verifier_for(bytes.fromhex(org_key))
            if org_key
            else note.parse_vkey(str(doc.get("key", "")))
        )
        facts = proofs.check_receipt(doc, verifier)
    except (ValueError, note.NoteError) as exc:
        report.add("receipt", None, "invalid", str(exc))
        return
    first = facts.checkpoints[0]
    source = f"receipt (log size {first.size})"
    for seq, head in facts.events:
        expected.expect(facts.stream, seq, head, source)
    stored = LogCheckpoint.objects.filter(size=first.size).values_list("root", flat=True)
    if not stored:
        report.add("receipt", first.size, "checkpoint missing", "no longer in the database")
    elif first.root.hex() not in stored:
        report.add("receipt", first.size, "checkpoint differs", "the stored one was replaced")


def _add_proof(
    report: Report,
    expected: Expectations,
    doc: Mapping[str, Any],
    check: Callable[[Mapping[str, Any]], signed.Checked],
    kind: str,
    org_key: str | None,
) -> None:
    report.proofs += 1
    try:
        checked = check(doc)
    except (ValueError, KeyError, TypeError) as exc:
        report.add(kind, None, "invalid", str(exc))
        return
    if org_key is not None and checked.public_key != org_key:
        report.add(kind, None, "key", "signed by a key that is not the organization's key")
    source = f"{kind} (checkpoint {checked.statement.seq})"
    for stream, seq, head in checked.leaves:
        expected.expect(stream, seq, head, source)
    # The signed checkpoint itself must still be on record, unchanged.
    with connection.cursor() as cursor:
        cursor.execute("SELECT hash FROM ledger_checkpoint WHERE seq = %s", [checked.statement.seq])
        row = cursor.fetchone()
    if row is None:
        report.add(kind, checked.statement.seq, "checkpoint missing", "no longer in the database")
    elif row[0] != checked.statement.hash():
        report.add(kind, checked.statement.seq, "checkpoint differs", "the stored one was replaced")
