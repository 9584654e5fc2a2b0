"""The one disclosure rule: which sealed items of a case a person may read, which of its
events they are shown, and the capacity each read is journaled under.

``docket.access.selectors.case_for`` decides whether someone sees a case at all; this
module decides what they may read inside it. The pages, the API, downloads and the
party portal all ask here, in the single form (``may_read``) or the bulk form
(``readable_items``) of the same predicate, so no interface can show what another
refuses (tests/access/test_disclosure_parity.py).

Inside a case a person may see:

- **The whole record** (bodies holding the case, panels, investigators, grantees): every
  item of the case.
- **A party's side** (the party and their advocates): the material disclosed to that
  side; material their own side wrote (a statement the advocate filed for the
  complainant, the complainant's own); their side's answers; the written notice of the
  allegations, when they are the respondent; the reasons for each decision.
- **Anyone with a part** (witnesses and reporters too): what they wrote themselves (the
  items they sealed).

Nothing else, and an item of another case is never readable through this one. The rule
reads the case's state as the protocol engine folds it (``CaseState``) and its events;
it decides, it does not fetch content: ``docket.crypto`` decrypts and journals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from docket.crypto.models import ContentItem
from docket.events.registry import UnknownEventType, event_type, references
from docket.org.models import Body
from docket.protocol.state import CaseState

from .selectors import Standing

SIDES = ("complainant", "respondent")

# What each side is given beyond disclosed material: (event type, field, to whom).
# "own side" is the side the event's ``party`` names.
GIVEN_TO_SIDES: tuple[tuple[str, str, str], ...] = (
    ("response.received", "item", "own side"),
    ("charges.served", "notice_ref", "respondent"),
    ("decision.issued", "rationale_ref", "both"),
)

# Milestones every party side is told about, whoever took them.
PARTY_MILESTONES = frozenset(
    {
        "complaint.received",
        "case.opened",
        "case.referred",
        "panel.named",
        "hearing.scheduled",
        "hearing.adjourned",
        "decision.issued",
        "decision.ratified",
        "decision.overruled",
        "appeal.filed",
        "appeal.decided",
        "mistrial.declared",
        "proceeding.annulled",
        "case.closed",
        "case.reopened",
    }
)
# Payload fields that name whom an event is about (a person's public id or a side).
NAMING_FIELDS = ("to", "subject", "person", "advocate", "author", "party")

# The order in which a part names the capacity of a read (the first the reader holds).
READING_ROLES = (
    "panel_chair",
    "panel",
    "investigator",
    "grantee",
    "respondent",
    "complainant",
    "respondent_advocate",
    "complainant_advocate",
    "witness",
    "reporter",
)


class RecordEvent(Protocol):
    """An event of the record as either the ledger or the engine holds it."""

    @property
    def seq(self) -> int: ...

    @property
    def type(self) -> str: ...

    @property
    def actor(self) -> str: ...

    @property
    def payload(self) -> Mapping[str, Any]: ...


E = TypeVar("E", bound=RecordEvent)


@dataclass(frozen=True)
class Readable:
    """One item the viewer may read, with what the interfaces need to title it."""

    item: str
    source: str  # "material" or "<event type>.<field>"
    kind: str  # the material's kind, or "" for other items
    label: str  # the material's label, or ""
    seq: int  # where it entered the record
    about: str = ""  # the decision or allegation an item belongs to


def readable_items(
    standing: Standing,
    state: CaseState,
    events: Sequence[RecordEvent],
    sealed_by_viewer: Iterable[str] | None = None,
) -> list[Readable]:
    """Every item of the case the viewer may read, in the order of the record.

    ``sealed_by_viewer``: the items of this case the viewer sealed themselves (what they
    wrote), when the caller has them; otherwise they are read here (one query, and only
    for viewers who do not see the whole record). Whole-record viewers may also read
    items listed nowhere here (a non-member's identity): ``may_read`` says so."""
    full = standing.full_record
    mine = (
        set()
        if full
        else set(sealed_by(standing) if sealed_by_viewer is None else sealed_by_viewer)
    )
    found: dict[str, Readable] = {}

    def add(readable: Readable) -> None:
        found.setdefault(readable.item, readable)

    viewer = standing.person.public_id
    side = standing.party
    own_side = _own_side(state, side)
    for m in sorted(state.material.values(), key=lambda m: m.seq):
        to_side = side is not None and (m.id in state.disclosed[side] or m.author in own_side)
        if full or to_side or m.author == viewer or m.id in mine:
            add(Readable(m.id, "material", m.kind, m.label, m.seq))
    for e in events:
        payload = e.payload
        if full:
            for field, item, about in _sealed_refs(e):
                add(Readable(item, f"{e.type}.{field}", "", "", e.seq, about))
            continue
        for given_type, field, to in GIVEN_TO_SIDES if side is not None else ():
            given = payload.get(field)
            if e.type != given_type or not given:
                continue
            if to == "both" or to == side or (to == "own side" and payload.get("party") == side):
                add(Readable(str(given), f"{e.type}.{field}", "", "", e.seq, _about(payload)))
        for field, item, about in _sealed_refs(e) if mine else ():
            if item in mine:
                add(Readable(item, f"{e.type}.{field}", "", "", e.seq, about))
    return sorted(found.values(), key=lambda r: r.seq)


def may_read(
    standing: Standing, state: CaseState, events: Sequence[RecordEvent], item: str
) -> bool:
    """Whether the viewer may read ``item``, an item of this case (the caller has found
    it in the case's stream; an item of another case is never asked about here): the
    single form of ``readable_items``."""
    if standing.full_record:
        return True
    return any(r.item == item for r in readable_items(standing, state, events))


def sealed_by(standing: Standing) -> set[str]:
    """The items of the case the viewer sealed themselves (one query)."""
    return set(
        ContentItem.objects.filter(
            stream=standing.case.stream, author=standing.person.public_id
        ).values_list("public_id", flat=True)
    )


def shown_events(standing: Standing, events: Sequence[E]) -> list[E]:
    """The events of the record the viewer is shown: all of them for the whole record;
    otherwise their own steps, the steps that name them or their side, and, for a side,
    the milestones every party is told about."""
    if standing.full_record:
        return list(events)
    person = standing.person.public_id
    side = standing.party
    return [e for e in events if _concerns(e, person, side)]


def reading_capacity(standing: Standing) -> str:
    """The capacity a read is journaled under: the body the viewer sees the case through
    (the one holding it first), else their part in it."""
    if standing.bodies:
        keys = {
            t.seat.body_id: t.seat.body.key
            for t in standing.terms
            if t.seat.body_id in standing.bodies
        }
        if len(keys) < len(standing.bodies):  # terms not read with the standing
            keys = dict(Body.objects.filter(pk__in=standing.bodies).values_list("pk", "key"))
        holding = standing.case.holding_body_id
        ordered = sorted(keys.items(), key=lambda kv: (kv[0] != holding, kv[1]))
        if ordered:
            return f"body:{ordered[0][1]}"
    for role in READING_ROLES:
        if role in standing.roles:
            return role
    return "viewer"


# --- internals ---------------------------------------------------------------------------


def _own_side(state: CaseState, side: str | None) -> set[str]:
    if side is None:
        return set()
    group = state.complainants if side == "complainant" else state.respondents
    return group | state.advocates[side]


def _about(payload: Mapping[str, Any]) -> str:
    return str(payload.get("decision_id") or payload.get("appeal_id") or "")


def _sealed_refs(e: RecordEvent) -> list[tuple[str, str, str]]:
    """(field, item, what it is about) for every content item the event refers to, as
    the event vocabulary marks its fields (``docket.events.registry.references``)."""
    try:
        model = event_type(e.type).payload
    except UnknownEventType:  # a type this version does not know refers to nothing readable
        return []
    payload = e.payload
    about = _about(payload)
    found: list[tuple[str, str, str]] = []
    for field, (kind, _is_list, nested) in references(model).items():
        value = payload.get(field)
        if not value:
            continue
        if nested is not None:  # e.g. the allegations of a complaint, each with its summary
            for entry in value if isinstance(value, list) else [value]:
                for sub, (sub_kind, _, _) in references(nested).items():
                    ref = entry.get(sub) if isinstance(entry, dict) else None
                    if sub_kind == "content" and ref:
                        found.append((f"{field}.{sub}", str(ref), str(entry.get("id", about))))
            continue
        if kind != "content":
            continue
        for item in value if isinstance(value, list) else [value]:
            found.append((field, str(item), about))
    return found


def _concerns(event: RecordEvent, person: str, side: str | None) -> bool:
    if event.actor == person:
        return True
    payload = event.payload or {}
    for name in NAMING_FIELDS:
        value = payload.get(name)
        if value == person or (side is not None and value == side):
            return True
    return side is not None and event.type in PARTY_MILESTONES
