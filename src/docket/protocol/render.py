"""A protocol as plain text a member can follow.

Pure (no Django): ``sections(protocol)`` gives titled groups of plain sentences, which
the web pages can lay out; ``render_text(protocol)`` joins them for the terminal
(``docket protocol show``). Every sentence that states a rule names its clause, and
guards are described with each condition's own ``describe()``, so the wording follows
the vocabulary in ``docket.protocol.conditions``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docket.protocol.actions import ACTION_FOR_EVENT, ACTIONS
from docket.protocol.engine import RECORD_ONLY
from docket.protocol.schema import ActionRule, Deadline, Protocol, Role

CAPACITY_WORDS = {
    "anyone": "anyone",
    "member": "any member",
    "participant": "anyone taking part in the case",
    "complainant": "the complainant",
    "respondent": "the respondent",
    "complainant_advocate": "the complainant's advocate",
    "respondent_advocate": "the respondent's advocate",
    "party": "either party",
    "witness": "a witness",
    "investigator": "the investigator",
    "panel": "a member of the panel",
    "panel_chair": "the chair of the panel",
    "holding_body": "the body that holds the case",
}
PARTICIPATION_WORDS = {
    "optional": "need not take part",
    "statement_required": "gives a first statement and need not take part any further",
    "required": "is expected to take part",
}
SHOWN_WORDS = {
    "complaint": "the complaint",
    "complainant_statement": "the complainant's statements",
    "respondent_statement": "the respondent's statements",
    "witness_statement": "witness statements",
    "evidence": "the evidence",
    "investigation_report": "the investigation report",
}


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...]


def words(items: Sequence[str], joiner: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {joiner} " + items[-1]


def cite(clause: str) -> str:
    return f" ({clause})" if clause else ""


def who(protocol: Protocol, capacity: str) -> str:
    """A capacity (``by:`` or ``owed_by:`` value) in plain words."""
    if capacity.startswith("body:"):
        body = protocol.bodies.get(capacity[5:])
        return f"the {body.name}" if body else capacity
    return CAPACITY_WORDS.get(capacity, capacity)


def event_words(event: str) -> str:
    action = ACTION_FOR_EVENT.get(event)
    return f"“{action.title}”" if action else event


def stage_title(protocol: Protocol, stage_id: str) -> str:
    for stage in protocol.stages:
        if stage.id == stage_id:
            return stage.title
    return stage_id


def share(text: str) -> str:
    """A quorum or threshold word in plain words."""
    value = text.strip()
    if value in ("all", "unanimous"):
        return "all"
    if value == "majority":
        return "a majority"
    if value == "2/3":
        return "two thirds"
    if "/" in value:
        return value
    return f"at least {value}"


def sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _header(p: Protocol) -> Section:
    meta = p.protocol
    lines = [
        f"{meta.title}, version {meta.version} (protocol “{meta.id}”).",
        f"Adopted on {meta.adopted.isoformat()} by the {meta.adopted_by}."
        if not meta.adopted_by.lower().startswith("the ")
        else f"Adopted on {meta.adopted.isoformat()} by {meta.adopted_by}.",
    ]
    if meta.source:
        lines.append(sentence(f"Source: {meta.source}"))
    if meta.supersedes:
        lines.append(f"It replaces version {meta.supersedes}.")
    days = words([d.capitalize() for d in p.calendar.business_days])
    lines.append(
        f"Dates are counted in the {meta.time_zone} time zone. Business days are {days}"
        + (
            f", except {words([h.isoformat() for h in p.calendar.holidays])}."
            if p.calendar.holidays
            else "."
        )
    )
    lines.append("A case follows the version of this protocol in force on the day it was opened.")
    return Section(p.label, tuple(lines))


def _bodies(p: Protocol) -> Section:
    out = []
    for body in p.bodies.values():
        parts = [f"The {body.name}{cite(body.clause)}."]
        if body.description:
            parts.append(sentence(body.description))
        if body.per_unit:
            parts.append("There is one for each unit.")
        if body.seats:
            parts.append(f"It has {body.seats} seats.")
        if body.panel:
            chair = " with a chair" if body.panel.chair else ""
            parts.append(f"It hears a case through a panel of {body.panel.size}{chair}.")
        if body.panel_survives_term:
            parts.append("A panel may finish the cases it holds after its members' terms end.")
        out.append(" ".join(parts))
    return Section("Who does what", tuple(out))


def _role(p: Protocol, name: str, role: Role) -> str:
    title = role.title if role.title and role.title.lower() != name else ""
    called = f" (called “{title}” here)" if title else ""
    parts = [f"The {name}{called}{cite(role.clause)}:"]
    rights = []
    if role.advocate:
        rights.append("may be helped by an advocate of their choice")
    else:
        rights.append("has no advocate under this protocol")
    rights.append(PARTICIPATION_WORDS[role.participation])
    if role.may_waive_hearing:
        rights.append("may waive the hearing")
    if role.confidential_identity:
        rights.append("has their identity kept confidential")
    if role.no_contact:
        rights.append("is not contacted by the other party through this process")
    if role.shown:
        rights.append("is shown " + words([SHOWN_WORDS.get(k, k) for k in role.shown]))
    else:
        rights.append("is not shown the other side's material as of right")
    return f"{parts[0]} {words(rights)}."


def _roles(p: Protocol) -> Section:
    return Section(
        "The parties and their rights",
        tuple(_role(p, name, role) for name, role in p.roles.items()),
    )


def _stages(p: Protocol) -> Section:
    return Section(
        "Stages",
        tuple(f"{i}. {s.title}" for i, s in enumerate(p.stages, start=1)),
    )


def _when(p: Protocol, name: str, action: ActionRule) -> str:
    if name in RECORD_ONLY:
        return "at any time, even after the case is closed"
    if not action.stages:
        return "at any stage until the case is closed"
    titles = [f"“{stage_title(p, s)}”" for s in action.stages]
    return "while the case is at " + words(titles, "or")


def _step(p: Protocol, name: str, action: ActionRule) -> str:
    title = ACTIONS[name].title
    by = words([who(p, c) for c in action.by], "or")
    text = f"To {title}{cite(action.clause)}: {by} may do this {_when(p, name, action)}."
    if action.moves_to:
        text += f" The case then moves to “{stage_title(p, action.moves_to)}”."
    if action.text:
        text += " " + sentence(action.text)
    for rule in (r for r in p.rules.values() if name in r.applies_to):
        only = " (when the body holding the case does it)" if rule.only_holding_body else ""
        text += (
            f" First{only}: {sentence(rule.text)[:-1]}{cite(rule.clause)}. "
            f"Docket checks that {rule.require.describe()}."
        )
    return text


def _steps(p: Protocol) -> Section:
    order = {a: i for i, a in enumerate(ACTIONS)}
    names = sorted(p.actions, key=lambda n: (n in RECORD_ONLY, order.get(n, len(order))))
    return Section(
        "Steps, who may take them, and what must be true first",
        tuple(_step(p, n, p.actions[n]) for n in names),
    )


def _deadline(p: Protocol, deadline: Deadline) -> str:
    unit = "business days" if deadline.calendar == "business" else "days"
    start = event_words(deadline.starts)
    if deadline.starts_party:
        start += f" for the {deadline.starts_party}"
    met = words([event_words(e) for e in deadline.met_by], "or")
    if deadline.met_party:
        met += f" by the {deadline.met_party}"
    if deadline.kind == "duty":
        kind = (
            f"This is a duty of {who(p, deadline.owed_by)}: it is shown as overdue if "
            f"{met} has not happened {deadline.days} {unit} after {start}."
        )
    else:
        kind = (
            f"This is a time {who(p, deadline.owed_by)} may use: it ends when {met} happens "
            f"or {deadline.days} {unit} after {start}, whichever comes first."
        )
    remind = (
        f" A reminder goes out {deadline.remind_before_days} days before it falls due."
        if deadline.remind_before_days
        else ""
    )
    return f"{sentence(deadline.text)[:-1]}{cite(deadline.clause)}. {kind}{remind}"


def _deadlines(p: Protocol) -> Section:
    return Section("Time limits", tuple(_deadline(p, d) for d in p.deadlines.values()))


def _decisions(p: Protocol) -> Section:
    d = p.decisions
    quorum = share(d.quorum)
    of = (
        "of the panel members who are not recused"
        if d.threshold_of == "panel"
        else ("of the votes cast (abstentions do not count)")
    )
    lines = [
        f"Panels decide by vote{cite(d.clause)}. A vote is closed only when {quorum} of "
        "the panel members who are not recused have voted.",
        f"A sanction needs {share(d.threshold)} {of}, unless the sanction says otherwise.",
        f"The standard of proof is: {d.standard}.",
    ]
    return Section("Decisions", tuple(lines))


def _sanctions(p: Protocol) -> Section:
    out = []
    for sanction in p.sanctions.values():
        parts = [f"{sentence(sanction.title)[:-1]}{cite(sanction.clause)}."]
        if sanction.threshold:
            parts.append(f"It needs {share(sanction.threshold)} of the vote.")
        if sanction.ratified_by:
            body = p.bodies[sanction.ratified_by].name
            parts.append(f"It takes effect only when the {body} ratifies it.")
        if sanction.standing == "suspended":
            parts.append("The member is suspended.")
        elif sanction.standing == "expelled":
            parts.append("The member is expelled.")
        out.append(" ".join(parts))
    return Section("Sanctions", tuple(out))


def humanize(key: str) -> str:
    return key.replace("_", " ")


def _appeals(p: Protocol) -> Section:
    lines = []
    if p.appeal_grounds:
        lines.append(
            "An appeal may be made on these grounds: "
            + words([humanize(g) for g in p.appeal_grounds], "or")
            + "."
        )
    else:
        lines.append("This protocol provides no grounds of appeal.")
    for name in ("file_appeal", "decide_appeal"):
        action = p.actions.get(name)
        if action is not None:
            by = words([who(p, c) for c in action.by], "or")
            lines.append(
                f"{sentence(f'{by} may {ACTIONS[name].title}')[:-1]}{cite(action.clause)}."
            )
    return Section("Appeals", tuple(lines))


def _deviations(p: Protocol) -> Section:
    lines = []
    for grant in p.deviations:
        body = p.bodies[grant.body].name if grant.body in p.bodies else grant.body
        if grant.rules == "any":
            which = "any rule of this protocol"
        else:
            which = "these rules: " + "; ".join(
                f"{p.rules[r].text.rstrip('.')}{cite(p.rules[r].clause)}"
                for r in grant.rules
                if r in p.rules
            )
        under = f", under {grant.clause}," if grant.clause else ""
        lines.append(
            f"The {body}{under} may go ahead despite {which}. It must give a written "
            f"justification of at least {grant.min_justification} characters; the deviation "
            "stays on the record and shows in every compliance report."
        )
    if not lines:
        lines.append("Nobody may deviate from the rules of this protocol.")
    lines.append("Nobody may deviate from who may take a step or from the order of the stages.")
    return Section("Deviations", tuple(lines))


def _retention(p: Protocol) -> Section:
    r = p.retention
    if r is None:
        return Section(
            "Keeping records",
            ("This protocol sets no retention period: confidential content is kept.",),
        )
    lines = [
        f"Confidential content (statements, evidence, identities) is destroyed "
        f"{r.content_years} years after the case closes{cite(r.clause)}. The record of "
        "what happened stays."
    ]
    if r.text:
        lines.append(sentence(r.text))
    return Section("Keeping records", tuple(lines))


def _amendments(p: Protocol) -> Section | None:
    rules = p.protocol.applies_to_open_cases
    if not rules:
        return None
    text = "; ".join(
        f"{p.rules[r].text.rstrip('.')}{cite(p.rules[r].clause)}" for r in rules if r in p.rules
    )
    return Section(
        "Amendments",
        (f"These rules also bind cases opened under earlier versions: {text}.",),
    )


def sections(protocol: Protocol) -> list[Section]:
    """The protocol in plain sentences, section by section."""
    out = [
        _header(protocol),
        _bodies(protocol),
        _roles(protocol),
        _stages(protocol),
        _steps(protocol),
        _deadlines(protocol),
        _decisions(protocol),
        _sanctions(protocol),
        _appeals(protocol),
        _deviations(protocol),
        _retention(protocol),
    ]
    amendments = _amendments(protocol)
    if amendments is not None:
        out.append(amendments)
    return out


def _wrap(paragraph: str, width: int) -> Iterable[str]:
    indent = "   " if paragraph[:1].isdigit() else ""
    return textwrap.wrap(
        paragraph, width=width, subsequent_indent=indent or "  ", initial_indent=""
    ) or [""]


def render_text(protocol: Protocol, width: int = 88) -> str:
    """The whole protocol as text for a terminal or a printed page."""
    lines: list[str] = []
    for i, section in enumerate(sections(protocol)):
        if i:
            lines.append("")
        lines.append(section.title)
        lines.append("=" * len(section.title) if i == 0 else "-" * len(section.title))
        for paragraph in section.paragraphs:
            wrapped = list(_wrap(paragraph, width))
            if i not in (0,) and not paragraph[:1].isdigit():
                wrapped = ["- " + wrapped[0], *wrapped[1:]]
            lines.extend(wrapped)
    return "\n".join(lines) + "\n"
