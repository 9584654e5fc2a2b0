"""The protocol engine: given a protocol, a case's events and a moment, say what state
the case is in, what each person may do now (and why not), what is owed by when, and
every breach of the protocol so far.

Pure and deterministic: no Django, no database, no clock of its own. The same guards
judge history (each event against the state just before it) and decide live requests
(an action against the state now), so a step refused live is exactly a step that is
reported as a violation when it appears in an imported record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from docket.protocol.actions import ACTIONS
from docket.protocol.conditions import Context, Failure, deadline_due
from docket.protocol.schema import ActionRule, Protocol, Rule
from docket.protocol.state import CaseState, DeadlineInstance, Event, Participant

# Actions that only add to the record and never change its course: taken in any stage,
# even after closing, and never judged against stages.
RECORD_ONLY = frozenset(
    {
        "add_note",
        "receive_correspondence",
        "link_case",
        "export_record",
        "grant_access",
        "revoke_access",
    }
)


# Stable reason codes of the engine's refusals (``Refusal.code``); tests, the API and the
# pages rely on them.
NOT_PROVIDED = "protocol.not_provided"
NOT_EMPOWERED = "protocol.not_empowered"
WRONG_STAGE = "protocol.wrong_stage"
RULE = "protocol.rule"
INVALID = "protocol.invalid"
UNKNOWN_REFERENCE = "protocol.unknown_reference"
# A step would give someone a part in the case (a statement's author, an advocate) that
# the record does not allow them: see ``PART_FIELDS`` and ``_check_part``.
PART_REFUSED = "protocol.part_refused"
# An access grant is ended for someone who holds none.
NO_GRANT = "protocol.no_grant"

# Steps that give a part in the case to the person a payload field names, and the field.
PART_FIELDS: dict[str, str] = {"record_statement": "author", "name_advocate": "advocate"}

# What the caller knows of the people a step would give a part to, beyond the record:
# person id -> the bodies through which they hold a seat in the case now (holding it or
# addressed by it). A person missing from the mapping is on no record here. ``None``
# (judging history): nothing is known beyond the record.
Named = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Refusal:
    code: str  # one of the reason codes above
    clause: str
    reason: str
    rule: str | None = None
    rule_text: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    def message(self, protocol: Protocol) -> str:
        ref = f"Protocol {protocol.label}, {self.clause}" if self.clause else protocol.label
        tail = f": {self.rule_text}" if self.rule_text else "."
        return f"{self.reason} {ref}{tail}"


@dataclass(frozen=True)
class Verdict:
    action: str
    allowed: bool
    refusals: tuple[Refusal, ...] = ()
    deviable_by: tuple[str, ...] = ()  # bodies empowered to take it anyway, with reasons
    deviation: bool = False  # allowed only because a valid deviation was given
    # (body, seq of the grant, justification) when allowed under a deviation granted
    # earlier in this proceeding by an empowered body
    granted: tuple[str, int, str] | None = None

    @property
    def title(self) -> str:
        return ACTIONS[self.action].title


@dataclass(frozen=True)
class Violation:
    key: str  # rule id, or "<code>:<action>" for refusals that are not rules
    clause: str
    text: str
    reason: str
    events: tuple[int, ...]
    proceeding: int
    code: str


@dataclass(frozen=True)
class DeviationRecord:
    seq: int
    action: str
    rules: tuple[str, ...]
    body: str
    actor: str
    justification: str
    clauses: tuple[str, ...]
    granted_at: int | None = None  # the grant's event, when the step relied on one


@dataclass(frozen=True)
class Obligation:
    deadline: str
    clause: str
    text: str
    owed_by: str
    kind: str
    proceeding: int
    started_seq: int
    started_at: datetime
    due: datetime
    remind_at: datetime
    met_at: datetime | None
    met_seq: int | None
    status: str  # open | met | met_late | overdue | lapsed | cancelled


@dataclass
class Evaluation:
    protocol: Protocol
    state: CaseState
    at: datetime
    violations: list[Violation]
    deviations: list[DeviationRecord]
    obligations: list[Obligation]

    def check(
        self,
        action: str,
        participant: Participant,
        payload: Mapping[str, Any] | None = None,
        deviation: Mapping[str, Any] | None = None,
        named: Named | None = None,
    ) -> Verdict:
        """May ``participant`` take ``action`` now (with this payload, this deviation)?
        ``named``: the seats of the people the step would give a part to (``Named``)."""
        return judge(
            self.protocol,
            self.state,
            action,
            participant,
            payload or {},
            self.at,
            deviation,
            named,
        )

    def permitted(self, participant: Participant) -> list[Verdict]:
        """Every action the protocol provides, allowed or refused for this participant."""
        names = list(self.protocol.actions)
        if self.protocol.deviations:
            names.append("grant_deviation")
        return [self.check(name, participant) for name in names]

    def open_obligations(self) -> list[Obligation]:
        return [o for o in self.obligations if o.status in ("open", "overdue")]


@dataclass(frozen=True)
class _Compiled:
    """One action's rules in the shape the hot path wants (built once per protocol)."""

    name: str
    rule: ActionRule
    by: frozenset[str]
    by_bodies: frozenset[str]
    stages: frozenset[str]
    rules: tuple[tuple[str, Rule], ...]
    record_only: bool
    checks: tuple[Check, ...]  # structural checks that can apply to this action
    allowed: Verdict


_COMPILED: dict[int, tuple[Protocol, dict[str, _Compiled]]] = {}


def _compiled(protocol: Protocol) -> dict[str, _Compiled]:
    # Protocols are immutable, so each is compiled once; keyed by identity and holding
    # the protocol itself so the id cannot be reused while the entry lives.
    entry = _COMPILED.get(id(protocol))
    if entry is not None and entry[0] is protocol:
        return entry[1]
    if len(_COMPILED) > 64:
        _COMPILED.clear()
    rules: dict[str, list[tuple[str, Rule]]] = {}
    for rid, rule in protocol.rules.items():
        for action in rule.applies_to:
            rules.setdefault(action, []).append((rid, rule))
    table = {
        name: _Compiled(
            name=name,
            rule=a,
            by=frozenset(a.by),
            by_bodies=frozenset(b[5:] for b in a.by if b.startswith("body:")),
            stages=frozenset(a.stages),
            rules=tuple(rules.get(name, ())),
            record_only=name in RECORD_ONLY,
            checks=structural_checks(name),
            allowed=Verdict(name, True),
        )
        for name, a in protocol.actions.items()
    }
    _COMPILED[id(protocol)] = (protocol, table)
    return table


def rules_for(protocol: Protocol, action: str) -> tuple[tuple[str, Rule], ...]:
    compiled = _compiled(protocol).get(action)
    return compiled.rules if compiled else ()


def capacities(state: CaseState, participant: Participant) -> set[str]:
    held = set(state.roles_of(participant.person))
    held.add("anyone")
    if participant.member:
        held.add("member")
    for body in participant.bodies:
        held.add(f"body:{body}")
    if state.holding_body is not None and state.holding_body in participant.bodies:
        held.add("holding_body")
    return held


def _may_act(c: _Compiled, state: CaseState, participant: Participant) -> bool:
    # Cheapest tests first; the person's parts in the case only when needed.
    if participant.bodies & c.by_bodies or "anyone" in c.by:
        return True
    if "holding_body" in c.by and state.holding_body in participant.bodies:
        return True
    if "member" in c.by and participant.member:
        return True
    return not c.by.isdisjoint(state.roles_of(participant.person))


def judge(
    protocol: Protocol,
    state: CaseState,
    action: str,
    participant: Participant,
    payload: Mapping[str, Any],
    at: datetime,
    deviation: Mapping[str, Any] | None = None,
    named: Named | None = None,
) -> Verdict:
    if action not in ACTIONS:
        return Verdict(action, False, (Refusal("protocol.unknown_action", "", "Unknown action."),))
    if action == "grant_deviation":
        return _judge_grant(protocol, state, participant, payload)
    c = _compiled(protocol).get(action)
    if c is None:
        return Verdict(
            action,
            False,
            (
                Refusal(
                    "protocol.not_provided",
                    "",
                    f"This protocol does not provide for the step “{ACTIONS[action].title}”.",
                ),
            ),
        )
    return _judge(protocol, c, state, participant, payload, at, deviation, named)


def _judge(
    protocol: Protocol,
    c: _Compiled,
    state: CaseState,
    participant: Participant,
    payload: Mapping[str, Any],
    at: datetime,
    deviation: Mapping[str, Any] | None,
    named: Named | None = None,
) -> Verdict:
    action, rule_of = c.name, c.rule
    refusals: list[Refusal] = []
    if not _may_act(c, state, participant):
        refusals.append(
            Refusal(
                "protocol.not_empowered",
                rule_of.clause,
                f"Only {_who(protocol, rule_of.by)} may {ACTIONS[action].title}.",
                data={"by": list(rule_of.by)},
            )
        )
    if not c.record_only and not (state.stage in c.stages if c.stages else not state.closed):
        refusals.append(
            Refusal(
                "protocol.wrong_stage",
                rule_of.clause,
                f"This step is not possible while the case is at the stage "
                f"“{_stage_title(protocol, state)}”.",
                data={"stage": state.stage, "stages": list(rule_of.stages)},
            )
        )
    if payload:
        for check in c.checks:
            check(protocol, state, participant, payload, refusals)
        if action in PART_FIELDS:
            _check_part(c, state, participant, payload, named, refusals)
        elif action == "revoke_access":
            _check_revoke(c, state, payload, at, refusals)
    failed_rules: list[str] = []
    if c.rules:
        ctx: Context | None = None
        # "Work of the holding body" includes its panel, however the member acts.
        current = state.proceeding
        holding = state.holding_body in participant.bodies or (
            current is not None and participant.person in current.sitting()
        )
        for rid, rule in c.rules:
            if rule.only_holding_body and not holding:
                continue
            if (rule.effective_from and at < rule.effective_from) or (
                rule.effective_until and at >= rule.effective_until
            ):
                continue
            if ctx is None:
                ctx = Context(protocol, state, participant, payload, at)
            failure: Failure | None = rule.require.check(ctx)
            if failure is not None:
                failed_rules.append(rid)
                refusals.append(
                    Refusal(
                        "protocol.rule",
                        rule.clause,
                        failure.reason,
                        rid,
                        rule.text,
                        dict(failure.data),
                    )
                )
    if not refusals:
        return c.allowed
    deviable = _deviable_by(protocol, refusals, failed_rules)
    grant = _granted(state, refusals, failed_rules)
    if grant is not None:
        return Verdict(c.name, True, tuple(refusals), deviable, deviation=True, granted=grant)
    if deviation is not None and _deviation_valid(protocol, participant, deviation, deviable):
        return Verdict(action, True, tuple(refusals), deviable, deviation=True)
    return Verdict(action, False, tuple(refusals), deviable)


def _who(protocol: Protocol, by: Sequence[str]) -> str:
    names = []
    for item in by:
        if item.startswith("body:"):
            body = protocol.bodies.get(item[5:])
            names.append(f"the {body.name}" if body else item)
        else:
            names.append(_CAPACITY_WORDS.get(item, item))
    return " or ".join(names)


_CAPACITY_WORDS = {
    "anyone": "anyone",
    "member": "a member",
    "participant": "someone taking part in the case",
    "complainant": "the complainant",
    "respondent": "the respondent",
    "complainant_advocate": "the complainant's advocate",
    "respondent_advocate": "the respondent's advocate",
    "party": "a party",
    "witness": "a witness",
    "investigator": "the investigator",
    "panel": "a member of the panel",
    "panel_chair": "the chair of the panel",
    "holding_body": "the body that holds the case",
}


def _stage_title(protocol: Protocol, state: CaseState) -> str:
    for stage in protocol.stages:
        if stage.id == state.stage:
            return stage.title
    return state.stage


_SIDES = {
    "complainant": frozenset({"complainant", "complainant_advocate"}),
    "respondent": frozenset({"respondent", "respondent_advocate"}),
}
# Payload fields that name a body of the protocol.
_BODY_FIELDS = ("to_body", "body")

Found = list[Refusal]


def _bad(found: Found, reason: str, clause: str = "") -> None:
    found.append(Refusal("protocol.invalid", clause, reason))


def _unknown(found: Found, reason: str) -> None:
    # Names something that does not exist: bad input rather than a breach.
    found.append(Refusal("protocol.unknown_reference", "", reason))


def _for_holding_body(state: CaseState, participant: Participant) -> bool:
    current = state.proceeding
    return state.holding_body in participant.bodies or (
        current is not None and participant.person in current.sitting()
    )


Check = Callable[[Protocol, CaseState, Participant, Mapping[str, Any], Found], None]


def _check_bodies(
    protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
) -> None:
    for name in _BODY_FIELDS:
        key = p.get(name)
        if isinstance(key, str) and key not in protocol.bodies:
            _unknown(found, f"The protocol has no body “{key}”.")


def _check_side(
    protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
) -> None:
    side = p.get("party")
    if side in _SIDES:
        roles = state.roles_of(who.person)
        own = {s for s, parts in _SIDES.items() if roles & parts}
        if own and side not in own and not _for_holding_body(state, who):
            _bad(found, "You can take this step only for your own side of the case.")


def _check_cast(
    protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
) -> None:
    vote = state.votes.get(str(p.get("vote_id", "")))
    if vote is None:
        _unknown(found, "There is no vote with that name.")
    elif vote.closed:
        _bad(found, "That vote is closed.")
    elif who.person not in vote.eligible:
        _bad(found, "Only the members of the panel who are not recused may vote.")
    elif who.person in vote.casts:
        _bad(found, "You have already voted.")


def _check_close(
    protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
) -> None:
    vote = state.votes.get(str(p.get("vote_id", "")))
    if vote is None:
        _unknown(found, "There is no vote with that name.")
    elif vote.closed:
        _bad(found, "That vote is closed.")


def _check_open_vote(
    protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
) -> None:
    sanction = p.get("sanction")
    if sanction and sanction not in protocol.sanctions:
        _unknown(found, f"The protocol has no sanction “{sanction}”.")
    if str(p.get("vote_id", "")) in state.votes:
        _bad(found, "A vote with that name was already held in this case.")


def _check_decision(
    protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
) -> None:
    decision = state.decisions.get(str(p.get("decision_id", "")))
    if decision is None:
        _unknown(found, "There is no decision with that name.")
    elif "sanction" in p and p.get("sanction") not in decision.sanctions:
        _bad(found, "That decision does not impose this sanction.")


def _check_measure(
    protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
) -> None:
    measure = state.measures.get(str(p.get("measure_id", "")))
    if measure is None:
        _unknown(found, "There is no measure with that name.")
    elif not measure.active:
        _bad(found, "That measure is no longer in force.")


def _check_statement_change(
    protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
) -> None:
    """A statement is corrected or withdrawn by its author, their side's advocate, or the
    body that holds the case; it must be on the record."""
    item = p.get("supersedes") if "supersedes" in p else p.get("item")
    if not item or ("supersedes" not in p and "author" in p):
        return  # a new statement, not a change to one
    material = state.material.get(str(item))
    if material is None or not material.kind.endswith("_statement"):
        _unknown(found, "There is no such statement on this case's record.")
        return
    if who.person == material.author or _for_holding_body(state, who):
        return
    author_side = material.kind.removesuffix("_statement")
    if author_side in _SIDES and f"{author_side}_advocate" in state.roles_of(who.person):
        return
    _bad(found, "Only the person who gave a statement, their advocate, or the body holding the "
                "case may change it.")  # fmt: skip


def _role_check(kind: str) -> Check:
    def check(
        protocol: Protocol, state: CaseState, who: Participant, p: Mapping[str, Any], found: Found
    ) -> None:
        side = p.get("party")
        role = protocol.roles.get(str(side or ""))  # type: ignore[call-overload]
        if role is None:
            return
        if kind == "advocate" and not role.advocate:
            _bad(found, f"The protocol does not give the {side} an advocate.", role.clause)
        elif (
            kind == "participation"
            and role.participation == "required"
            and p.get("choice") not in (None, "take_part")
        ):
            _bad(found, f"Under this protocol the {side} is asked to take part.", role.clause)
        elif kind == "waiver" and not role.may_waive_hearing:
            _bad(found, f"The protocol does not let the {side} waive the hearing.", role.clause)

    return check


# Parts a person holds through the case itself that bar them from being given another
# part by someone else: the panel (sitting or recused), the investigation, a declared
# conflict. A seat in a body that holds the case or is addressed by it comes from
# ``named``: the record does not hold seats.
_SEATED_PARTS = frozenset({"panel", "investigator"})


def _seated(state: CaseState, person: str, named: Named | None) -> bool:
    current = state.proceeding
    return bool(
        state.roles_of(person) & _SEATED_PARTS
        or person in state.conflicted
        or (current is not None and person in current.panel)
        or (named is not None and named.get(person))
    )


def _check_part(
    c: _Compiled,
    state: CaseState,
    who: Participant,
    p: Mapping[str, Any],
    named: Named | None,
    found: Found,
) -> None:
    """Who may give whom a part in the case, decided here for every path (pages, API,
    imports): a statement is recorded by its author, their side's advocate, or the body
    holding the case on someone's behalf, under the author's real part; a new witness is
    called only by the body holding the case; an advocate is nobody who already takes
    part in the case otherwise or sits on it. A seat holder (the holding or an addressed
    body, the panel, the investigator, someone with a declared conflict) is given a part
    only by their own act. One answer for every refusal (and for a person on no record),
    so that the answer tells nobody who takes part in the case or who exists."""
    field = PART_FIELDS[c.name]
    if c.name == "record_statement" and "supersedes" in p:
        return  # a correction keeps the author and part of the statement it corrects
    person = str(p.get(field) or "")
    if _part_allowed(c.name, state, who, p, person, named):
        return
    what = "advocate" if c.name == "name_advocate" else "the author of this statement"
    found.append(
        Refusal(
            PART_REFUSED,
            c.rule.clause,
            f"That person cannot be named {what} in this case.",
            data={"field": field},
        )
    )


def _part_allowed(
    action: str,
    state: CaseState,
    who: Participant,
    p: Mapping[str, Any],
    person: str,
    named: Named | None,
) -> bool:
    if not person or (named is not None and person not in named):
        return False
    roles = state.roles_of(person)
    actor = who.person
    by_self = actor == person
    seated = _seated(state, person, named)
    if action == "name_advocate":
        side = str(p.get("party", ""))
        other = {"complainant": "respondent", "respondent": "complainant"}.get(side)
        if other is None or by_self:
            return False
        return not (roles & {"party", "witness", f"{other}_advocate"} or seated)
    # record_statement
    role = str(p.get("role", ""))
    for_body = _for_holding_body(state, who) or "investigator" in state.roles_of(actor)
    if role in _SIDES:
        if role not in roles:
            return False
        return by_self or for_body or f"{role}_advocate" in state.roles_of(actor)
    if role != "witness" or roles & {"party", "advocate"}:
        return False
    if by_self:
        return "witness" in roles or for_body or seated
    return for_body and not seated


def _check_revoke(
    c: _Compiled, state: CaseState, p: Mapping[str, Any], at: datetime, found: Found
) -> None:
    """Access is ended only for someone who holds a grant to this case now."""
    until = state.grants.get(str(p.get("person", "")))
    if until is None or until <= at:
        found.append(
            Refusal(
                NO_GRANT,
                c.rule.clause,
                "That person holds no access grant to this case.",
                data={"field": "person"},
            )
        )


_SPECIFIC: dict[str, Check] = {
    "cast_vote": _check_cast,
    "close_vote": _check_close,
    "open_vote": _check_open_vote,
    "ratify_decision": _check_decision,
    "overrule_decision": _check_decision,
    "apply_sanction": _check_decision,
    "file_appeal": _check_decision,
    "lift_measure": _check_measure,
    "review_measure": _check_measure,
    "challenge_measure": _check_measure,
    "record_statement": _check_statement_change,
    "withdraw_statement": _check_statement_change,
    "name_advocate": _role_check("advocate"),
    "choose_participation": _role_check("participation"),
    "waive_hearing": _role_check("waiver"),
}


def structural_checks(action: str) -> tuple[Check, ...]:
    """The checks every protocol implies for ``action``: bodies named exist; a party acts
    only for their own side; votes are cast once by those entitled; the decisions,
    measures, votes and statements referred to exist; party rights given by the roles
    section. Chosen once per action from its payload's fields."""
    from docket.events.registry import event_type

    fields = set(event_type(ACTIONS[action].event).payload.model_fields)
    checks: list[Check] = []
    if fields & set(_BODY_FIELDS):
        checks.append(_check_bodies)
    if "party" in fields:
        checks.append(_check_side)
    if action in _SPECIFIC:
        checks.append(_SPECIFIC[action])
    return tuple(checks)


def _granted(
    state: CaseState, refusals: list[Refusal], failed: list[str]
) -> tuple[str, int, str] | None:
    """The grant that covers every failed rule in this proceeding, if there is one."""
    current = state.proceeding
    if current is None or not failed or any(r.code != "protocol.rule" for r in refusals):
        return None
    grants = [current.granted.get(rid.split("@", 1)[0]) for rid in failed]
    if any(g is None for g in grants):
        return None
    return grants[0]


def _judge_grant(
    protocol: Protocol, state: CaseState, participant: Participant, payload: Mapping[str, Any]
) -> Verdict:
    """May this person, for a body they sit on, allow these rules to be departed from in
    this proceeding (protocol ``deviations``)?"""
    action = "grant_deviation"
    rules = [str(r) for r in payload.get("rules", ())]
    unknown = [r for r in rules if r not in protocol.rules]
    if unknown:
        return Verdict(
            action,
            False,
            (
                Refusal(
                    "protocol.unknown_reference",
                    "",
                    f"The protocol has no rule {', '.join(unknown)}.",
                ),
            ),
        )
    empowered = [
        g for g in protocol.deviations
        if g.body in participant.bodies and (g.rules == "any" or set(rules) <= set(g.rules))
    ]  # fmt: skip
    if not empowered:
        who = sorted({g.body for g in protocol.deviations})
        names = (
            " or ".join(f"the {protocol.bodies[b].name}" for b in who if b in protocol.bodies)
            or "no body"
        )
        clause = protocol.deviations[0].clause if protocol.deviations else ""
        return Verdict(
            action,
            False,
            (
                Refusal(
                    "protocol.not_empowered",
                    clause,
                    f"Only {names} may allow departing from these rules.",
                    data={"bodies": who},
                ),
            ),
        )
    grant = empowered[0]
    if state.closed:
        return Verdict(
            action, False, (Refusal("protocol.wrong_stage", grant.clause, "The case is closed."),)
        )
    if len(str(payload.get("justification", "")).strip()) < grant.min_justification:
        return Verdict(
            action,
            False,
            (
                Refusal(
                    "protocol.invalid",
                    grant.clause,
                    f"Write the justification out in full (at least {grant.min_justification} "
                    "characters): everyone who reads the record will see it.",
                ),
            ),
        )
    return Verdict(action, True)


def _deviable_by(protocol: Protocol, refusals: list[Refusal], failed: list[str]) -> tuple[str, ...]:
    # Only refusals by rules can be deviated from; who may act and stage order cannot.
    if not failed or any(r.code != "protocol.rule" for r in refusals):
        return ()
    bodies = []
    # An amended rule ("name@v2") is deviable where the rule of that name is.
    names = {rid.split("@", 1)[0] for rid in failed}
    for grant in protocol.deviations:
        if grant.rules == "any" or names <= set(grant.rules):
            bodies.append(grant.body)
    return tuple(bodies)


def _deviation_valid(
    protocol: Protocol,
    participant: Participant,
    deviation: Mapping[str, Any],
    deviable: tuple[str, ...],
) -> bool:
    body = str(deviation.get("body", ""))
    justification = str(deviation.get("justification", "")).strip()
    if body not in deviable or body not in participant.bodies:
        return False
    needed = min((g.min_justification for g in protocol.deviations if g.body == body), default=40)
    return len(justification) >= needed


def participant_of(event: Event) -> Participant:
    """Who acted, as the record says: the capacity names the body they sat in."""
    bodies = frozenset({event.capacity[5:]}) if event.capacity.startswith("body:") else frozenset()
    return Participant(person=event.actor, bodies=bodies, member=event.capacity != "guest")


def evaluate(protocol: Protocol, events: Iterable[Event], at: datetime) -> Evaluation:
    """Fold the events, judging each against the state just before it."""
    state = CaseState(stage=protocol.stages[0].id)
    violations: dict[tuple[str, int, str], dict[str, Any]] = {}
    deviations: list[DeviationRecord] = []
    starts, meets = _deadline_index(protocol)
    timed = starts.keys() | meets.keys()
    # event type -> (action, stage it moves to) for the actions this protocol governs
    governed = {
        ACTIONS[name].event: (compiled, compiled.rule.moves_to)
        for name, compiled in _compiled(protocol).items()
    }
    people: dict[tuple[str, str], Participant] = {}
    for event in events:
        step = governed.get(event.type)
        if event.type == "deviation.granted":
            verdict = _judge_grant(protocol, state, participant_of(event), event.payload)
            if not verdict.allowed:
                _add_violations(violations, state, event, verdict)
        elif step is not None:
            found = people.get((event.actor, event.capacity))
            who = found if found is not None else participant_of(event)
            people[(event.actor, event.capacity)] = who
            verdict = _judge(
                protocol,
                state=state,
                c=step[0],
                participant=who,
                payload=event.payload,
                at=event.occurred_at,
                deviation=event.deviation,
            )
            if verdict.deviation:
                deviations.append(_deviation_record(event, verdict))
            elif not verdict.allowed:
                _add_violations(violations, state, event, verdict)
                if any(r.code == PART_REFUSED for r in verdict.refusals):
                    # On the record as it happened, but it gives nobody a part.
                    state.withheld.add(event.seq)
        state.apply(event)
        if step is not None and step[1]:
            state.stage = step[1]
        elif event.type == "case.closed":
            state.stage = "closed"
        if event.type in timed:
            _track_deadlines(protocol, state, event, starts, meets)
    return Evaluation(
        protocol=protocol,
        state=state,
        at=at,
        violations=[_violation(protocol, key, v) for key, v in violations.items()],
        deviations=deviations,
        obligations=_obligations(protocol, state, at),
    )


def _deviation_record(event: Event, verdict: Verdict) -> DeviationRecord:
    rules = tuple(r.rule for r in verdict.refusals if r.rule)
    if event.deviation is not None:
        body = str(event.deviation.get("body", ""))
        justification = str(event.deviation.get("justification", ""))
        granted_at = None
    else:  # taken under a deviation granted earlier in this proceeding
        assert verdict.granted is not None
        body, granted_at, justification = verdict.granted
    return DeviationRecord(
        seq=event.seq,
        action=verdict.action,
        rules=rules,
        body=body,
        actor=event.actor,
        justification=justification,
        clauses=tuple(r.clause for r in verdict.refusals),
        granted_at=granted_at,
    )


def attributed(refusals: Iterable[Refusal]) -> list[Refusal]:
    """The refusals a judged step is reported under: each breach under the rule that
    explains it. A step out of the protocol's order of stages is a finding of its own
    only when no rule of the protocol explains it (a vote held before any hearing breaks
    the hearing rule; that it came "at the wrong stage" is the same breach again)."""
    found = list(refusals)
    if any(r.code == RULE for r in found):
        found = [r for r in found if r.code != WRONG_STAGE]
    return found


def _add_violations(
    found: dict[tuple[str, int, str], dict[str, Any]],
    state: CaseState,
    event: Event,
    verdict: Verdict,
) -> None:
    # One violation per rule, per proceeding, per acting body: the same breach repeated
    # by the same body in the same proceeding is one breach, named at its first step,
    # with the later steps it taints; a second body breaking the rule is a second one.
    index = state.proceeding.index if state.proceeding else 0
    acting = event.capacity if event.capacity.startswith("body:") else ""
    for refusal in attributed(verdict.refusals):
        key = refusal.rule or f"{refusal.code}:{verdict.action}"
        entry = found.setdefault(
            (key, index, acting), {"refusal": refusal, "events": [], "code": refusal.code}
        )
        if event.seq not in entry["events"]:
            entry["events"].append(event.seq)


def _violation(protocol: Protocol, key: tuple[str, int, str], entry: dict[str, Any]) -> Violation:
    refusal: Refusal = entry["refusal"]
    return Violation(
        key=key[0],
        clause=refusal.clause,
        text=refusal.rule_text,
        reason=refusal.reason,
        events=tuple(entry["events"]),
        proceeding=key[1],
        code=entry["code"],
    )


def _deadline_index(
    protocol: Protocol,
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    starts: dict[str, list[str]] = {}
    meets: dict[str, list[str]] = {}
    for did, deadline in protocol.deadlines.items():
        starts.setdefault(deadline.starts, []).append(did)
        for event in deadline.met_by:
            meets.setdefault(event, []).append(did)
    return starts, meets


def _party_of(event: Event) -> str:
    value = event.payload.get("party") or event.payload.get("to") or ""
    return str(value)


def _track_deadlines(
    protocol: Protocol,
    state: CaseState,
    event: Event,
    starts: Mapping[str, list[str]],
    meets: Mapping[str, list[str]],
) -> None:
    if event.type not in meets and event.type not in starts:
        return
    index = state.proceeding.index if state.proceeding else 0
    for did in meets.get(event.type, ()):
        deadline = protocol.deadlines[did]
        if deadline.met_party and deadline.met_party != _party_of(event):
            continue
        for instance in state.deadlines.get(did, ()):
            if instance.met_at is None:
                instance.met_at = event.occurred_at
                instance.met_seq = event.seq
    for did in starts.get(event.type, ()):
        deadline = protocol.deadlines[did]
        if deadline.starts_party and deadline.starts_party != _party_of(event):
            continue
        if any(event.payload.get(k) != v for k, v in deadline.starts_where.items()):
            continue
        due = deadline_due(event.occurred_at, deadline.days, deadline.calendar, protocol)
        state.deadlines.setdefault(did, []).append(
            DeadlineInstance(did, index, event.seq, event.occurred_at, due)
        )


def _obligations(protocol: Protocol, state: CaseState, at: datetime) -> list[Obligation]:
    from datetime import timedelta

    current = state.proceeding.index if state.proceeding else 0
    result = []
    for did, instances in state.deadlines.items():
        deadline = protocol.deadlines[did]
        for inst in instances:
            if inst.met_at is not None:
                status = "met" if inst.met_at <= inst.due else "met_late"
            elif state.closed or inst.proceeding != current:
                status = "cancelled"
            elif at > inst.due:
                status = "overdue" if deadline.kind == "duty" else "lapsed"
            else:
                status = "open"
            result.append(
                Obligation(
                    deadline=did,
                    clause=deadline.clause,
                    text=deadline.text,
                    owed_by=deadline.owed_by,
                    kind=deadline.kind,
                    proceeding=inst.proceeding,
                    started_seq=inst.started_seq,
                    started_at=inst.started_at,
                    due=inst.due,
                    remind_at=inst.due - timedelta(days=deadline.remind_before_days),
                    met_at=inst.met_at,
                    met_seq=inst.met_seq,
                    status=status,
                )
            )
    result.sort(key=lambda o: (o.due, o.started_seq))
    return result
