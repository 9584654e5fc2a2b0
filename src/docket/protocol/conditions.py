"""The closed vocabulary of conditions that guard actions.

A protocol's rule says ``require:`` followed by one condition; ``all``, ``any`` and
``not`` compose them. Each condition knows how to check itself against a case's state
and how to say, in plain words, why it does not hold. Nothing else can be written in a
protocol: there is no expression language to evaluate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from docket.protocol.actions import SANCTION_FIELDS
from docket.protocol.calendar import add_days
from docket.protocol.state import CaseState, Participant

if TYPE_CHECKING:
    from docket.protocol.schema import Protocol

Path = tuple[str | int, ...]

PART_WORDS = {
    "complainant": "the complainant",
    "respondent": "the respondent",
    "party": "a party",
    "advocate": "an advocate",
    "witness": "a witness",
    "investigator": "the investigator",
    "earlier_panel": "a member of an earlier panel of this case",
    "panel": "a member of the panel",
    "conflicted": "someone who declared a conflict of interest",
}
MATERIAL_WORDS = {
    "complaint": "the complaint",
    "complainant_statement": "the complainant's statements",
    "respondent_statement": "the respondent's statements",
    "witness_statement": "witness statements",
    "evidence": "evidence",
    "investigation_report": "the investigation report",
}


class ConditionError(ValueError):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Context:
    """What a condition may look at: the protocol, the state before the action, the
    person acting, the action's payload, and the moment it is (or was) taken."""

    protocol: Protocol
    state: CaseState
    actor: Participant
    payload: Mapping[str, Any]
    at: datetime


@dataclass(frozen=True)
class Failure:
    reason: str
    data: Mapping[str, Any]


def words(items: list[str], last: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def local_day(moment: datetime, protocol: Protocol) -> str:
    """A date as people of the organization read it: in the protocol's time zone."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(protocol.protocol.time_zone)).strftime("%Y-%m-%d")


class Condition:
    keyword: ClassVar[str] = ""

    def check(self, ctx: Context) -> Failure | None:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        return iter(())

    def check_steps(self, actions: Sequence[str]) -> str | None:
        """What is wrong with guarding these actions by this condition (say, it could
        never hold for one of them), or None."""
        return None

    def walk(self) -> Iterator[tuple[Path, Condition]]:
        """This condition and every one inside it, each with its path (as in check_names)."""
        yield (self.keyword,), self

    def held_reason(self, ctx: Context) -> str | None:
        """Why the condition holds, where that reads plainer under ``not`` than the
        generic "This may not happen once ..."."""
        return None


# -- composition ----------------------------------------------------------------------


@dataclass(frozen=True)
class All(Condition):
    items: tuple[Condition, ...]
    keyword: ClassVar[str] = "all"

    def check(self, ctx: Context) -> Failure | None:
        failures = [f for f in (c.check(ctx) for c in self.items) if f is not None]
        if not failures:
            return None
        return Failure(" ".join(f.reason for f in failures), _merge(failures))

    def describe(self) -> str:
        return words([c.describe() for c in self.items])

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        for i, item in enumerate(self.items):
            for path, msg in item.check_names(protocol):
                yield ("all", i, *path), msg

    def walk(self) -> Iterator[tuple[Path, Condition]]:
        yield ("all",), self
        for i, item in enumerate(self.items):
            for path, inner in item.walk():
                yield ("all", i, *path), inner


@dataclass(frozen=True)
class AnyOf(Condition):
    items: tuple[Condition, ...]
    keyword: ClassVar[str] = "any"

    def check(self, ctx: Context) -> Failure | None:
        failures = []
        for item in self.items:
            failure = item.check(ctx)
            if failure is None:
                return None
            failures.append(failure)
        return Failure(
            "None of these holds: " + "; or ".join(f.reason.rstrip(".") for f in failures) + ".",
            _merge(failures),
        )

    def describe(self) -> str:
        return " or ".join(c.describe() for c in self.items)

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        for i, item in enumerate(self.items):
            for path, msg in item.check_names(protocol):
                yield ("any", i, *path), msg

    def walk(self) -> Iterator[tuple[Path, Condition]]:
        yield ("any",), self
        for i, item in enumerate(self.items):
            for path, inner in item.walk():
                yield ("any", i, *path), inner


@dataclass(frozen=True)
class Not(Condition):
    item: Condition
    keyword: ClassVar[str] = "not"

    def check(self, ctx: Context) -> Failure | None:
        if self.item.check(ctx) is None:
            reason = self.item.held_reason(ctx)
            return Failure(reason or f"This may not happen once {self.item.describe()}.", {})
        return None

    def describe(self) -> str:
        return f"not ({self.item.describe()})"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        for path, msg in self.item.check_names(protocol):
            yield ("not", *path), msg

    def walk(self) -> Iterator[tuple[Path, Condition]]:
        yield ("not",), self
        for path, inner in self.item.walk():
            yield ("not", *path), inner


def _merge(failures: list[Failure]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for failure in failures:
        merged.update(failure.data)
    return merged


# -- facts about the record -----------------------------------------------------------


def _known_event(event: str) -> bool:
    from docket.protocol.actions import ACTION_FOR_EVENT

    return event in ACTION_FOR_EVENT


@dataclass(frozen=True)
class Occurred(Condition):
    event: str
    party: str = ""
    scope: str = "proceeding"
    keyword: ClassVar[str] = "occurred"

    def check(self, ctx: Context) -> Failure | None:
        found = ctx.state.latest_of(
            self.event, self.party, proceeding_only=self.scope == "proceeding"
        )
        if found is None or found[1] > ctx.at:
            return Failure(
                f"{_event_words(self.event, self.party).capitalize()} has not happened.",
                {"missing_event": self.event},
            )
        return None

    def describe(self) -> str:
        return f"{_event_words(self.event, self.party)} has happened"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        if not _known_event(self.event):
            yield ("occurred", "event"), f"no event type {self.event!r}"


def _event_words(event: str, party: str = "") -> str:
    from docket.protocol.actions import ACTION_FOR_EVENT

    action = ACTION_FOR_EVENT.get(event)
    text = f"the step “{action.title}”" if action else event
    return f"{text} (for the {party})" if party else text


@dataclass(frozen=True)
class Disclosed(Condition):
    material: tuple[str, ...]
    to: str
    scope: str = "proceeding"
    keyword: ClassVar[str] = "disclosed"

    def check(self, ctx: Context) -> Failure | None:
        given = ctx.state.disclosed.get(self.to, {})
        missing = [
            m for m in ctx.state.material_in_scope(self.material, self.scope) if m.id not in given
        ]
        if not missing:
            return None
        by_kind: dict[str, list[str]] = {}
        for m in missing:
            by_kind.setdefault(m.kind, []).append(m.label)
        parts = [f"{MATERIAL_WORDS.get(k, k)} {words(v)}" for k, v in by_kind.items()]
        return Failure(
            f"The {self.to} has not been given {words(parts)}.",
            {
                "undisclosed": [m.id for m in missing],
                "undisclosed_labels": [m.label for m in missing],
                "party": self.to,
            },
        )

    def describe(self) -> str:
        kinds = words([MATERIAL_WORDS.get(k, k) for k in self.material])
        return f"the {self.to} has been given {kinds}"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        from docket.protocol.schema import MATERIAL_KINDS, PARTY_ROLES

        for i, kind in enumerate(self.material):
            if kind not in MATERIAL_KINDS:
                yield ("disclosed", "material", i), f"unknown material kind {kind!r}"
        if self.to not in PARTY_ROLES:
            yield ("disclosed", "to"), f"{self.to!r} is not a party role"


@dataclass(frozen=True)
class DeadlinePassedOrMet(Condition):
    deadline: str
    keyword: ClassVar[str] = "deadline_passed_or_met"

    def check(self, ctx: Context) -> Failure | None:
        current = ctx.state.proceeding.index if ctx.state.proceeding else -1
        for instance in ctx.state.deadlines.get(self.deadline, ()):
            due = instance.due
            if instance.proceeding == current and instance.met_at is None and due > ctx.at:
                text = ctx.protocol.deadlines[self.deadline].text
                return Failure(
                    f"A time to answer is still running until {local_day(due, ctx.protocol)}: "
                    f"{text}",
                    {"deadline": self.deadline, "due": due.isoformat()},
                )
        return None

    def describe(self) -> str:
        return f"the time under “{self.deadline}” has been used or has run out"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        if self.deadline not in protocol.deadlines:
            yield ("deadline_passed_or_met", "deadline"), f"no deadline {self.deadline!r}"


@dataclass(frozen=True)
class DaysSince(Condition):
    event: str
    at_least: int
    calendar: str = "calendar"
    party: str = ""
    keyword: ClassVar[str] = "days_since"

    def check(self, ctx: Context) -> Failure | None:
        found = ctx.state.latest_of(self.event, self.party, proceeding_only=True)
        if found is None:
            return Failure(
                f"{_event_words(self.event, self.party).capitalize()} has not happened.",
                {"missing_event": self.event},
            )
        earliest = add_days(found[1], self.at_least, self.calendar, ctx.protocol)
        if ctx.at < earliest:
            return Failure(
                f"At least {self.at_least} {self._unit()} must pass after "
                f"{_event_words(self.event, self.party)}: not before "
                f"{local_day(earliest, ctx.protocol)}.",
                {"not_before": earliest.isoformat()},
            )
        return None

    def _unit(self) -> str:
        return "business days" if self.calendar == "business" else "days"

    def describe(self) -> str:
        return f"{self.at_least} {self._unit()} have passed since {_event_words(self.event)}"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        if not _known_event(self.event):
            yield ("days_since", "event"), f"no event type {self.event!r}"


@dataclass(frozen=True)
class WithinDays(Condition):
    event: str
    days: int
    calendar: str = "calendar"
    keyword: ClassVar[str] = "within_days"

    def check(self, ctx: Context) -> Failure | None:
        found = ctx.state.latest_of(self.event, proceeding_only=False)
        if found is None:
            return Failure(
                f"{_event_words(self.event).capitalize()} has not happened.",
                {"missing_event": self.event},
            )
        deadline = add_days(found[1], self.days, self.calendar, ctx.protocol, end_of_day=True)
        if ctx.at > deadline:
            return Failure(
                f"The time for this ended on {local_day(deadline, ctx.protocol)}, "
                f"{self.days} days after {_event_words(self.event)}.",
                {"closed_on": deadline.isoformat()},
            )
        return None

    def describe(self) -> str:
        return f"within {self.days} days of {_event_words(self.event)}"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        if not _known_event(self.event):
            yield ("within_days", "event"), f"no event type {self.event!r}"


@dataclass(frozen=True)
class HearingHeldOrWaived(Condition):
    waivable_by: tuple[str, ...] = ()
    keyword: ClassVar[str] = "hearing_held_or_waived"

    def check(self, ctx: Context) -> Failure | None:
        current = ctx.state.proceeding
        if current is None:
            return Failure("No hearing has been held.", {})
        if current.hearing_held or current.waived_by & set(self.waivable_by):
            return None
        who = words([f"the {r}" for r in self.waivable_by]) or "nobody"
        return Failure(
            f"No hearing has been held, and {who} has not waived it.",
            {"missing_event": "hearing.held"},
        )

    def describe(self) -> str:
        return "a hearing has been held or validly waived"


@dataclass(frozen=True)
class RecordReceived(Condition):
    keyword: ClassVar[str] = "record_received"

    def check(self, ctx: Context) -> Failure | None:
        current = ctx.state.proceeding
        if current is None or current.record_received:
            return None
        body = ctx.protocol.bodies.get(current.body)
        name = body.name if body else current.body
        return Failure(
            f"The {name} has not received the earlier record of this case.",
            {"body": current.body, "missing_event": "record.handed_over"},
        )

    def describe(self) -> str:
        return "the body holding the case has received the whole earlier record"


@dataclass(frozen=True)
class NothingWithheld(Condition):
    keyword: ClassVar[str] = "nothing_withheld"

    def check(self, ctx: Context) -> Failure | None:
        withheld = [int(seq) for seq in ctx.payload.get("withheld", ())]
        if not withheld:
            return None
        listed = words([str(seq) for seq in withheld])
        return Failure(
            f"Part of the record would be kept back from the body taking the case up "
            f"(entries {listed}).",
            {"withheld": withheld},
        )

    def describe(self) -> str:
        return "the whole record is handed over, nothing kept back"


@dataclass(frozen=True)
class Participating(Condition):
    party: str
    keyword: ClassVar[str] = "participating"

    def check(self, ctx: Context) -> Failure | None:
        choice = ctx.state.participation.get(self.party, "take_part")
        if choice == "take_part":
            return None
        return Failure(
            f"The {self.party} has chosen not to take part in this step.", {"choice": choice}
        )

    def describe(self) -> str:
        return f"the {self.party} takes part"


@dataclass(frozen=True)
class Consented(Condition):
    parties: tuple[str, ...]
    keyword: ClassVar[str] = "consented"

    def check(self, ctx: Context) -> Failure | None:
        missing = [p for p in self.parties if not ctx.state.consents.get(p)]
        if not missing:
            return None
        return Failure(
            f"{words([f'the {p}' for p in missing]).capitalize()} has not given written "
            "consent (or has withdrawn it).",
            {"without_consent": missing},
        )

    def describe(self) -> str:
        return f"{words(list(self.parties))} have consented in writing"


# -- what the step itself proposes ----------------------------------------------------


def named_sanctions(payload: Mapping[str, Any]) -> tuple[str, ...]:
    """The sanctions a step proposes or imposes, read from the fields of
    ``SANCTION_FIELDS``: a vote's motion and applying a sanction name one; a decision
    lists them, and imposes them only when its outcome is a sanction."""
    if payload.get("outcome", "sanction") != "sanction":
        return ()
    named: list[Any] = []
    for field in dict.fromkeys(SANCTION_FIELDS.values()):
        value = payload.get(field)
        named.extend(value if isinstance(value, list | tuple) else [value])
    return tuple(dict.fromkeys(str(s) for s in named if s))


def _sanction_words(sanctions: tuple[str, ...] | list[str], last: str = "or") -> str:
    return words([s.replace("_", " ") for s in sanctions], last)


@dataclass(frozen=True)
class SanctionAmong(Condition):
    sanctions: tuple[str, ...]
    keyword: ClassVar[str] = "sanction_among"

    def check(self, ctx: Context) -> Failure | None:
        named = named_sanctions(ctx.payload)
        if any(s in self.sanctions for s in named):
            return None
        found = f"it concerns {_sanction_words(named, 'and')}" if named else "it names no sanction"
        return Failure(
            f"This step does not concern {_sanction_words(self.sanctions)}: {found}.",
            {"sanctions": list(named)},
        )

    def held_reason(self, ctx: Context) -> str | None:
        among = [s for s in named_sanctions(ctx.payload) if s in self.sanctions]
        return f"This step concerns {_sanction_words(among, 'and')}."

    def describe(self) -> str:
        return f"the step concerns {_sanction_words(self.sanctions)}"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        for i, sanction in enumerate(self.sanctions):
            if sanction not in protocol.sanctions:
                declared = ", ".join(protocol.sanctions) or "none"
                yield (
                    ("sanction_among", i),
                    f"no sanction {sanction!r}; the sanctions section declares {declared}",
                )

    def check_steps(self, actions: Sequence[str]) -> str | None:
        # Never true for a step that names no sanction: under ``not`` the rule would
        # never refuse it, bare it would always refuse it. Either way, not what was meant.
        silent = [a for a in actions if a not in SANCTION_FIELDS]
        if not silent:
            return None
        one = len(silent) == 1
        return (
            f"the step{'' if one else 's'} {words(silent)} name{'s' if one else ''} no "
            f"sanction, so this condition is always false for {'it' if one else 'them'}; "
            f"apply the rule only to {words(list(SANCTION_FIELDS), 'or')}"
        )


# -- facts about who acts -------------------------------------------------------------


def _parts(state: CaseState, person: str) -> set[str]:
    parts = set(state.roles_of(person))
    if person in state.conflicted:
        parts.add("conflicted")
    return parts


@dataclass(frozen=True)
class ActorIsNot(Condition):
    parts: tuple[str, ...]
    keyword: ClassVar[str] = "actor_is_not"

    def check(self, ctx: Context) -> Failure | None:
        clash = sorted(_parts(ctx.state, ctx.actor.person) & set(self.parts))
        if not clash:
            return None
        return Failure(
            f"This cannot be done by {words([PART_WORDS[c] for c in clash])}.",
            {"clash": clash},
        )

    def describe(self) -> str:
        return f"the person acting is not {words([PART_WORDS[p] for p in self.parts], 'or')}"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        yield from _check_parts("actor_is_not", self.parts)


@dataclass(frozen=True)
class MembersAreNot(Condition):
    parts: tuple[str, ...]
    keyword: ClassVar[str] = "members_are_not"

    def check(self, ctx: Context) -> Failure | None:
        clashes: dict[str, list[str]] = {}
        # A panel's members, or the one person appointed (e.g. an investigator).
        named = ctx.payload.get("members") or (
            [ctx.payload["person"]] if ctx.payload.get("person") else []
        )
        for person in named:
            clash = sorted(_parts(ctx.state, str(person)) & set(self.parts))
            if clash:
                clashes[str(person)] = clash
        if not clashes:
            return None
        found = sorted({c for v in clashes.values() for c in v})
        return Failure(
            f"This may not be given to {words([PART_WORDS[c] for c in found], 'or')}.",
            {"conflicted_members": clashes},
        )

    def describe(self) -> str:
        return f"no one named is {words([PART_WORDS[p] for p in self.parts], 'or')}"

    def check_names(self, protocol: Protocol) -> Iterator[tuple[Path, str]]:
        yield from _check_parts("members_are_not", self.parts)


def _check_parts(keyword: str, parts: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    for i, part in enumerate(parts):
        if part not in PART_WORDS:
            yield (keyword, i), f"unknown part {part!r}; use one of {', '.join(PART_WORDS)}"


# -- decisions ------------------------------------------------------------------------


def fraction(text: str, base: int) -> int:
    """How many of ``base`` a quorum or threshold word asks for."""
    text = text.strip()
    if text == "all" or text == "unanimous":
        return base
    if text == "majority":
        return base // 2 + 1
    if "/" in text:
        share = Fraction(text)
        need = share * base
        return int(need) if need.denominator == 1 else int(need) + 1
    return int(text)


def valid_fraction(text: str) -> bool:
    try:
        fraction(text, 3)
    except (ValueError, ZeroDivisionError):
        return False
    return True


@dataclass(frozen=True)
class Quorum(Condition):
    keyword: ClassVar[str] = "quorum"

    def check(self, ctx: Context) -> Failure | None:
        vote = ctx.state.votes.get(str(ctx.payload.get("vote_id", "")))
        if vote is None:
            return Failure("There is no open vote with that name.", {})
        need = fraction(ctx.protocol.decisions.quorum, len(vote.eligible))
        if len(vote.casts) >= need:
            return None
        return Failure(
            f"Only {len(vote.casts)} of {len(vote.eligible)} panel members have voted; "
            f"{need} are needed for a quorum.",
            {"cast": len(vote.casts), "needed": need},
        )

    def describe(self) -> str:
        return "a quorum of the panel has voted"


@dataclass(frozen=True)
class VotePassed(Condition):
    keyword: ClassVar[str] = "vote_passed"

    def check(self, ctx: Context) -> Failure | None:
        decisions = ctx.protocol.decisions
        vote = ctx.state.votes.get(str(ctx.payload.get("vote_id") or ""))
        if vote is None or not vote.closed:
            return Failure(
                "The decision must rest on a vote that has been closed.",
                {"missing_event": "vote.closed"},
            )
        threshold = decisions.threshold
        for sanction in ctx.payload.get("sanctions", ()):
            rule = ctx.protocol.sanctions.get(str(sanction))
            if rule and rule.threshold:
                threshold = rule.threshold
        yes = sum(1 for choice in vote.casts.values() if choice == "yes")
        cast = sum(1 for choice in vote.casts.values() if choice != "abstain")
        base = len(vote.eligible) if decisions.threshold_of == "panel" else cast
        need = fraction(threshold, base)
        if ctx.payload.get("outcome") == "sanction" and yes < need:
            return Failure(
                f"The vote had {yes} in favour; {need} of {base} ({threshold}) are needed.",
                {"yes": yes, "needed": need},
            )
        return None

    def describe(self) -> str:
        return "the vote reached the threshold the protocol sets"


@dataclass(frozen=True)
class Ratified(Condition):
    keyword: ClassVar[str] = "ratified"

    def check(self, ctx: Context) -> Failure | None:
        decision = ctx.state.decisions.get(str(ctx.payload.get("decision_id", "")))
        if decision is None:
            return Failure("There is no such decision.", {})
        if decision.overruled:
            return Failure("The decision was overruled.", {})
        needs = [
            ctx.protocol.sanctions[s].ratified_by
            for s in decision.sanctions
            if s in ctx.protocol.sanctions and ctx.protocol.sanctions[s].ratified_by
        ]
        if needs and not decision.ratified:
            body = ctx.protocol.bodies[str(needs[0])].name
            return Failure(
                f"The decision has not been ratified by the {body}.",
                {"missing_event": "decision.ratified"},
            )
        return None

    def describe(self) -> str:
        return "the decision has been ratified where the protocol requires it"


@dataclass(frozen=True)
class GroundsAllowed(Condition):
    keyword: ClassVar[str] = "grounds_allowed"

    def check(self, ctx: Context) -> Failure | None:
        allowed = set(ctx.protocol.appeal_grounds)
        given = [str(g) for g in ctx.payload.get("grounds", ())]
        wrong = [g for g in given if g not in allowed]
        if not wrong:
            return None
        return Failure(
            f"{words(wrong)} {'is' if len(wrong) == 1 else 'are'} not among the grounds the "
            f"protocol allows ({words(sorted(allowed))}).",
            {"grounds_not_allowed": wrong},
        )

    def describe(self) -> str:
        return "the grounds are among those the protocol allows"


# -- parsing --------------------------------------------------------------------------


def _str(value: Any, path: Path) -> str:
    if not isinstance(value, str) or not value:
        raise ConditionError(path, "expected a non-empty text")
    return value


def _int(value: Any, path: Path) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConditionError(path, "expected a whole number of zero or more")
    return value


def _strs(value: Any, path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not value:
        raise ConditionError(path, "expected a list")
    return tuple(_str(v, (*path, i)) for i, v in enumerate(value))


def _args(raw: Any, path: Path, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConditionError(path, "expected a mapping of settings")
    for key in raw:
        if key not in allowed:
            raise ConditionError((*path, key), f"unknown setting {key!r}")
    for key in required:
        if key not in raw:
            raise ConditionError(path, f"missing setting {key!r}")
    return raw


def _scope(raw: dict[str, Any], path: Path) -> str:
    scope = raw.get("scope", "proceeding")
    if scope not in ("proceeding", "case"):
        raise ConditionError((*path, "scope"), 'scope is "proceeding" or "case"')
    return str(scope)


def _calendar(raw: dict[str, Any], path: Path) -> str:
    kind = raw.get("calendar", "calendar")
    if kind not in ("calendar", "business"):
        raise ConditionError((*path, "calendar"), 'calendar is "calendar" or "business"')
    return str(kind)


def _party(raw: dict[str, Any], key: str, path: Path, *, required: bool) -> str:
    value = raw.get(key, "")
    if (required or value) and value not in ("complainant", "respondent"):
        raise ConditionError((*path, key), 'expected "complainant" or "respondent"')
    return str(value)


def parse_condition(raw: Any, path: Path = ()) -> Condition:
    """Build a condition from YAML data, naming the exact place of any problem."""
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ConditionError(
            path, f"a condition is one of: {', '.join(sorted(_PARSERS))} (exactly one key)"
        )
    ((keyword, value),) = raw.items()
    parser = _PARSERS.get(keyword)
    if parser is None:
        raise ConditionError(
            (*path, keyword),
            f"unknown condition {keyword!r}; known conditions: {', '.join(sorted(_PARSERS))}",
        )
    condition: Condition = parser(value, (*path, keyword))
    return condition


def _parse_list(value: Any, path: Path) -> tuple[Condition, ...]:
    if not isinstance(value, list) or not value:
        raise ConditionError(path, "expected a list of conditions")
    return tuple(parse_condition(v, (*path, i)) for i, v in enumerate(value))


def _p_occurred(value: Any, path: Path) -> Condition:
    if isinstance(value, str):
        return Occurred(value)
    raw = _args(value, path, {"event", "party", "scope"}, {"event"})
    return Occurred(
        _str(raw["event"], (*path, "event")),
        _party(raw, "party", path, required=False),
        _scope(raw, path),
    )


def _p_disclosed(value: Any, path: Path) -> Condition:
    raw = _args(value, path, {"material", "to", "scope"}, {"material", "to"})
    return Disclosed(
        _strs(raw["material"], (*path, "material")),
        _party(raw, "to", path, required=True),
        _scope(raw, path),
    )


def _p_deadline(value: Any, path: Path) -> Condition:
    if isinstance(value, str):
        return DeadlinePassedOrMet(value)
    raw = _args(value, path, {"deadline"}, {"deadline"})
    return DeadlinePassedOrMet(_str(raw["deadline"], (*path, "deadline")))


def _p_days_since(value: Any, path: Path) -> Condition:
    raw = _args(value, path, {"event", "at_least", "calendar", "party"}, {"event", "at_least"})
    return DaysSince(
        _str(raw["event"], (*path, "event")),
        _int(raw["at_least"], (*path, "at_least")),
        _calendar(raw, path),
        _party(raw, "party", path, required=False),
    )


def _p_within(value: Any, path: Path) -> Condition:
    raw = _args(value, path, {"event", "days", "calendar"}, {"event", "days"})
    return WithinDays(
        _str(raw["event"], (*path, "event")),
        _int(raw["days"], (*path, "days")),
        _calendar(raw, path),
    )


def _p_hearing(value: Any, path: Path) -> Condition:
    raw = _args(value, path, {"waivable_by"}, set())
    waivable = _strs(raw["waivable_by"], (*path, "waivable_by")) if "waivable_by" in raw else ()
    for i, role in enumerate(waivable):
        if role not in ("complainant", "respondent"):
            raise ConditionError((*path, "waivable_by", i), f"{role!r} is not a party role")
    return HearingHeldOrWaived(waivable)


def _p_parts(cls: type[ActorIsNot] | type[MembersAreNot]) -> Any:
    def parse(value: Any, path: Path) -> Condition:
        return cls(_strs(value, path))

    return parse


def _p_participating(value: Any, path: Path) -> Condition:
    raw = _args(value, path, {"party"}, {"party"})
    return Participating(_party(raw, "party", path, required=True))


def _p_consented(value: Any, path: Path) -> Condition:
    raw = _args(value, path, {"parties"}, {"parties"})
    parties = _strs(raw["parties"], (*path, "parties"))
    for i, role in enumerate(parties):
        if role not in ("complainant", "respondent"):
            raise ConditionError((*path, "parties", i), f"{role!r} is not a party role")
    return Consented(parties)


def _p_flag(cls: type[Condition]) -> Any:
    def parse(value: Any, path: Path) -> Condition:
        _args(value, path, set(), set())
        return cls()

    return parse


_PARSERS: dict[str, Any] = {
    "all": lambda v, p: All(_parse_list(v, p)),
    "any": lambda v, p: AnyOf(_parse_list(v, p)),
    "not": lambda v, p: Not(parse_condition(v, p)),
    "occurred": _p_occurred,
    "disclosed": _p_disclosed,
    "deadline_passed_or_met": _p_deadline,
    "days_since": _p_days_since,
    "within_days": _p_within,
    "hearing_held_or_waived": _p_hearing,
    "record_received": _p_flag(RecordReceived),
    "nothing_withheld": _p_flag(NothingWithheld),
    "actor_is_not": _p_parts(ActorIsNot),
    "members_are_not": _p_parts(MembersAreNot),
    "participating": _p_participating,
    "consented": _p_consented,
    "quorum": _p_flag(Quorum),
    "vote_passed": _p_flag(VotePassed),
    "ratified": _p_flag(Ratified),
    "grounds_allowed": _p_flag(GroundsAllowed),
    "sanction_among": lambda v, p: SanctionAmong(_strs(v, p)),
}
CONDITION_KEYWORDS = tuple(sorted(_PARSERS))


def deadline_due(start: datetime, days: int, calendar: str, protocol: Protocol) -> datetime:
    return add_days(start, days, calendar, protocol, end_of_day=True)
