"""What a case page shows a person: read from the case's record and the engine's view of
it, through the person's standing. No rule is decided here; the engine answers what may
happen next and why not, the access selector answers who sees what.

Every function runs a fixed number of queries whatever the size of the case: the access
check's few (docket.access.selectors.case_for), one for the events, one for the people
they name (when the page shows a name), one for the bodies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils.text import capfirst
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext as _

from docket.access import disclosure
from docket.access.selectors import Standing, case_for
from docket.cases.acting import CaseContext, capacities_of, load
from docket.cases.models import CaseBody
from docket.cases.obligations import owes
from docket.core import clock
from docket.events.registry import event_type
from docket.org.models import Body, Person
from docket.protocol.actions import ACTIONS
from docket.protocol.engine import Obligation, Verdict, participant_of
from docket.protocol.state import Event, Material, Participant

from .caselinks import CaseLinks

SIDES = ("complainant", "respondent")
KIND_TITLES = {
    "complainant_statement": "Complainant's statement",
    "respondent_statement": "Respondent's statement",
    "witness_statement": "Witness statement",
    "evidence": "Evidence",
    "investigation_report": "Investigation report",
    "complaint": "The complaint",
}


def kind_title(kind: str) -> str:
    return _(KIND_TITLES.get(kind, kind.replace("_", " ")))


@dataclass(frozen=True)
class ActionChoice:
    """One step of the protocol as it stands for the viewer now."""

    action: str
    title: str
    allowed: bool
    capacity: str
    reasons: tuple[dict[str, str], ...] = ()
    deviable_by: tuple[str, ...] = ()
    has_form: bool = False

    @property
    def by_rule(self) -> bool:
        """Refused only by the protocol's rules (not by who may act or the stage)."""
        return bool(self.reasons) and all(r["code"] == "protocol.rule" for r in self.reasons)


@dataclass(frozen=True)
class Document:
    item: str
    kind: str
    label: str
    author: str | None
    proceeding: int
    seq: int
    withdrawn: bool
    disclosed: dict[str, int]  # side -> seq at which it was given

    @property
    def kind_title(self) -> str:
        return kind_title(self.kind)


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    type: str
    summary: str
    actor: str
    capacity: str
    occurred_at: datetime
    detail: str
    deviation: dict[str, Any] | None
    # The moment as the page prints it (machine-readable and for people), formatted
    # once here rather than by a template filter per row.
    when_iso: str = ""
    when: str = ""


@dataclass(frozen=True)
class StepLink:
    """One step in the "what you can do" panel, ready to print: its title (capitalised),
    the form's address (empty when the step has no form on these pages) and, for steps
    held back by the rules, why."""

    action: str
    title: str
    name: str  # the title as written, for screen readers
    href: str
    reasons: tuple[dict[str, str], ...] = ()
    deviable: bool = False


@dataclass(frozen=True)
class StepLinks:
    now: list[StepLink]
    refused: list[StepLink]
    later: list[str]


def local_date(value: datetime, fmt: str) -> str:
    """``value|date:fmt`` exactly as a template prints it (in the active time zone)."""
    if settings.USE_TZ and is_aware(value):
        value = localtime(value)
    return str(date_filter(value, fmt))


@dataclass
class CasePage:
    """A case as one person may see it now."""

    standing: Standing
    ctx: CaseContext
    person: Person
    at: datetime

    @cached_property
    def people(self) -> dict[str, Person]:
        """Everyone the record names, by public id: read when a page first needs a name
        (a party's page may need none)."""
        named = people_named(self.ctx.events)
        return {p.public_id: p for p in Person.objects.filter(public_id__in=named)}

    # -- who -------------------------------------------------------------------------

    @property
    def case(self):  # type: ignore[no-untyped-def]
        return self.standing.case

    @property
    def protocol(self):  # type: ignore[no-untyped-def]
        return self.ctx.protocol

    @property
    def state(self):  # type: ignore[no-untyped-def]
        return self.ctx.evaluation.state

    @property
    def head(self) -> int:
        return self.ctx.head

    @property
    def full_record(self) -> bool:
        return self.standing.full_record and self.standing.party is None

    @property
    def side(self) -> str | None:
        return self.standing.party

    def body_name(self, key: str | None) -> str:
        if not key:
            return ""
        spec = self.protocol.bodies.get(key)
        return spec.name if spec else key

    def name(self, public_id: str | None) -> str:
        """How the viewer may see a person named in the record."""
        if not public_id:
            return ""
        if public_id == self.person.public_id:
            return _("you")
        if not self.full_record:
            return self._name_for_party(public_id)
        person = self.people.get(public_id)
        return person.display_name if person else _("someone")

    def _name_for_party(self, public_id: str) -> str:
        state = self.state
        side = self.side
        if public_id in state.complainants:
            return _("the complainant")
        if public_id in state.respondents:
            return _("the respondent")
        for s in SIDES:
            if public_id in state.advocates[s]:
                if s == side:
                    person = self.people.get(public_id)
                    return _("your advocate, %(name)s") % {
                        "name": person.display_name if person else ""
                    }
                return (
                    _("the complainant's advocate")
                    if s == "complainant"
                    else _("the respondent's advocate")
                )
        if public_id in state.witnesses:
            return _("a witness")
        return _("a member of the body handling the case")

    def actor(self, event: Event) -> str:
        if event.capacity.startswith("body:"):
            body = self.body_name(event.capacity[5:])
            if not self.full_record:
                return body
            return _("%(name)s for the %(body)s") % {"name": self.name(event.actor), "body": body}
        return self.name(event.actor)

    # -- the record ------------------------------------------------------------------

    @cached_property
    def allegations(self) -> list[dict[str, str]]:
        first = self.ctx.events[0] if self.ctx.events else None
        if first is None or first.type != "complaint.received":
            return []
        return [{"id": str(a["id"]), "rule": str(a["rule"])} for a in first.payload["allegations"]]

    @cached_property
    def timeline(self) -> list[TimelineEntry]:
        return [
            TimelineEntry(
                seq=e.seq,
                type=e.type,
                summary=_(event_type(e.type).summary),
                actor=self.actor(e),
                capacity=e.capacity,
                occurred_at=e.occurred_at,
                detail=self._detail(e),
                deviation=dict(e.deviation) if e.deviation else None,
                when_iso=local_date(e.occurred_at, "c"),
                when=local_date(e.occurred_at, "j M Y, H:i"),
            )
            for e in reversed(self.ctx.events)
        ]

    def _detail(self, e: Event) -> str:
        """A short, non-confidential line about an event (labels, ids, outcomes)."""
        p = e.payload
        t = e.type
        if t == "statement.recorded":
            return _("%(label)s, %(author)s") % {
                "label": p["label"],
                "author": self.name(p["author"]),
            }
        if t in ("evidence.recorded", "report.prepared"):
            return str(p["label"])
        if t == "material.disclosed":
            labels = [self._label(i) for i in p["items"]]
            return _("%(items)s to the %(side)s") % {"items": ", ".join(labels), "side": _(p["to"])}
        if t in ("case.referred", "reinvestigation.ordered", "record.handed_over", "case.reopened"):
            return _("to the %(body)s") % {"body": self.body_name(p["to_body"])}
        if t in ("objection.filed", "correspondence.received"):
            return _("to the %(body)s") % {"body": self.body_name(p["to_body"])}
        if t == "panel.named":
            return ", ".join(self.name(m) for m in p["members"])
        if t in ("vote.opened",):
            vote = self.state.votes.get(str(p["vote_id"]))
            return vote.title if vote is not None else str(p["vote_id"])
        if t == "vote.cast":
            return f"{p['vote_id']}: {p['choice']}"
        if t == "decision.issued":
            return f"{p['decision_id']}: {p['outcome'].replace('_', ' ')}"
        if t in ("mistrial.declared", "proceeding.annulled", "decision.overruled"):
            return ", ".join(p["grounds"])
        if t == "participation.chosen":
            return _(p["choice"].replace("_", " "))
        if t == "case.closed":
            return _(p["disposition"].replace("_", " "))
        if t == "hearing.scheduled":
            return str(p["hearing_id"])
        if t == "measure.imposed":
            return f"{p['measure_id']}: {p['kind'].replace('_', ' ')}"
        if t == "case.opened":
            return str(p["reference"])
        if t == "step.refused":
            spec = ACTIONS.get(str(p["action"]))
            clauses = ", ".join(str(r["clause"]) for r in p["reasons"] if r.get("clause"))
            return _("%(step)s, refused under %(clauses)s") % {
                "step": spec.title if spec else p["action"],
                "clauses": clauses or "-",
            }
        return ""

    def _label(self, item: str) -> str:
        material = self.state.material.get(item)
        return material.label if material else _("an item")

    @cached_property
    def readable(self) -> list[disclosure.Readable]:
        """The items the viewer may read, as the one disclosure rule decides."""
        return disclosure.readable_items(self.standing, self.state, self.ctx.events)

    @cached_property
    def documents(self) -> list[Document]:
        """Material on the record the viewer may know of (labels only; no content)."""
        state = self.state
        docs = [self._document(m) for m in state.material.values()]
        if not self.full_record:
            known = {r.item for r in self.readable if r.source == "material"}
            docs = [d for d in docs if d.item in known]
        return sorted(docs, key=lambda d: d.seq)

    def _document(self, m: Material) -> Document:
        disclosed = {
            side: given[m.id] for side, given in self.state.disclosed.items() if m.id in given
        }
        return Document(
            m.id, m.kind, m.label, m.author, m.proceeding, m.seq, m.withdrawn, disclosed
        )

    def own_side(self, author: str | None) -> bool:
        """Whether ``author`` is on the viewer's side (a party of it or its advocate)."""
        side = self.side
        if side is None or author is None:
            return False
        group = self.state.complainants if side == "complainant" else self.state.respondents
        return author in group or author in self.state.advocates[side]

    @cached_property
    def bodies(self) -> list[dict[str, Any]]:
        """The bodies that held the case, one row per proceeding, with their panels."""
        rows = []
        for proc in self.state.proceedings:
            rows.append(
                {
                    "index": proc.index,
                    "name": self.body_name(proc.body),
                    "kind": proc.kind,
                    "started_at": proc.started_at,
                    "panel": [self.name(p) for p in proc.panel],
                    "chair": self.name(proc.chair) if proc.chair else "",
                    "recused": [self.name(p) for p in sorted(proc.recused)],
                    "record_received": proc.record_received,
                    "void": proc.void,
                    "hearing_held": proc.hearing_held,
                    "current": proc is self.state.proceeding,
                }
            )
        return rows

    @cached_property
    def parties(self) -> list[dict[str, Any]]:
        state = self.state
        rows = []
        for side in SIDES:
            people = state.complainants if side == "complainant" else state.respondents
            for pid in sorted(people):
                person = self.people.get(pid)
                rows.append(
                    {
                        "side": side,
                        "name": self.name(pid),
                        "pseudonymous": bool(person and person.pseudonymous),
                        "identity_kept": bool(person and person.identity_ref),
                        "public_id": pid,
                        "advocates": [self.name(a) for a in sorted(state.advocates[side])],
                        "participation": state.participation.get(side, ""),
                    }
                )
        return rows

    @cached_property
    def obligations(self) -> list[Obligation]:
        return [o for o in self.ctx.evaluation.obligations if o.status in ("open", "overdue")]

    def owes(self, obligation: Obligation) -> bool:
        return owed_by_viewer(obligation.owed_by, self._viewer_keys())

    def _viewer_keys(self) -> set[str]:
        keys = set(self.capacities)
        keys |= set(self.state.roles_of(self.person.public_id))
        if f"body:{self.state.holding_body}" in keys:
            keys.add("holding_body")
        return keys

    @cached_property
    def my_obligations(self) -> list[Obligation]:
        return [o for o in self.obligations if self.owes(o)]

    # -- what the viewer may do -------------------------------------------------------

    @cached_property
    def capacities(self) -> list[str]:
        return capacities_of(self.ctx, self.person, self.at, self.standing.terms)

    @cached_property
    def _participants(self) -> list[tuple[str, Participant]]:
        """Each capacity, as the engine will read an event recorded in it."""
        return [
            (c, participant_of(Event(0, "", self.person.public_id, c, self.at, {})))
            for c in self.capacities
        ]

    def verdicts(self, action: str) -> tuple[str, Verdict]:
        """The best verdict over the viewer's capacities (allowed first)."""
        found: list[tuple[str, Verdict]] = []
        for capacity, participant in self._participants:
            verdict = self.ctx.evaluation.check(action, participant, self.probe_payload(action))
            if verdict.allowed:
                return capacity, verdict
            found.append((capacity, verdict))
        # Prefer a refusal by the rules (the viewer is empowered) over "not yours".
        found.sort(key=lambda cv: not _by_rule(cv[1]))
        return found[0]

    def probe_payload(self, action: str) -> dict[str, Any]:
        """For steps about a particular vote, decision or measure: the one the page would
        offer first, so the engine judges the step as it would be taken."""
        state = self.state
        if action in ("cast_vote", "close_vote"):
            open_votes = [v.id for v in state.votes.values() if not v.closed]
            return {"vote_id": open_votes[-1]} if open_votes else {}
        if action == "issue_decision":
            closed = [v.id for v in state.votes.values() if v.closed]
            return {"vote_id": closed[-1]} if closed else {}
        if action in ("ratify_decision", "overrule_decision", "apply_sanction", "file_appeal"):
            decisions = list(state.decisions)
            return {"decision_id": decisions[-1]} if decisions else {}
        if action in ("lift_measure", "review_measure", "challenge_measure"):
            active = [m.id for m in state.measures.values() if m.active]
            return {"measure_id": active[-1]} if active else {}
        return {}

    @cached_property
    def actions(self) -> list[ActionChoice]:
        from .steps import FORMS

        choices = []
        for name in self.protocol.actions:
            capacity, verdict = self.verdicts(name)
            reasons = tuple(
                {
                    "code": r.code,
                    "clause": r.clause,
                    "message": r.message(self.protocol),
                    "rule": r.rule or "",
                }
                for r in verdict.refusals
            )
            choices.append(
                ActionChoice(
                    action=name,
                    title=ACTIONS[name].title,
                    allowed=verdict.allowed,
                    capacity=capacity,
                    reasons=reasons,
                    deviable_by=verdict.deviable_by,
                    has_form=name in FORMS,
                )
            )
        return choices

    @property
    def allowed_actions(self) -> list[ActionChoice]:
        return [a for a in self.actions if a.allowed and a.action != "receive_complaint"]

    @property
    def refused_actions(self) -> list[ActionChoice]:
        """Steps the viewer could take but the protocol's rules hold back now."""
        return [a for a in self.actions if not a.allowed and a.by_rule]

    @property
    def later_actions(self) -> list[ActionChoice]:
        """Steps the viewer is empowered to take, but not at this stage."""
        return [
            a
            for a in self.actions
            if not a.allowed
            and not a.by_rule
            and all(r["code"] != "protocol.not_empowered" for r in a.reasons)
        ]

    @cached_property
    def steps(self) -> StepLinks:
        """The "what you can do" panel, each row ready to print."""
        href = self.links.act
        now = [
            StepLink(a.action, capfirst(a.title), a.title, href(a.action) if a.has_form else "")
            for a in self.allowed_actions
        ]
        now += [
            StepLink(a.action, capfirst(a.title), a.title, href(a.action)) for a in self.extra_steps
        ]
        refused = [
            StepLink(
                a.action,
                capfirst(a.title),
                a.title,
                href(a.action) if a.has_form else "",
                a.reasons,
                bool(a.deviable_by),
            )
            for a in self.refused_actions
        ]
        later = [capfirst(a.title) for a in self.later_actions]
        return StepLinks(now, refused, later)

    @cached_property
    def links(self) -> CaseLinks:
        return CaseLinks(self.case.public_id)

    @cached_property
    def stage_title(self) -> str:
        return next((st.title for st in self.protocol.stages if st.id == self.state.stage), "")

    @cached_property
    def holder_name(self) -> str:
        if not self.state.holding_body:
            return ""
        return "".join(b["name"] for b in self.bodies if b["current"])

    def my_bodies(self) -> list[str]:
        return [c[5:] for c in self.capacities if c.startswith("body:")]

    @cached_property
    def extra_steps(self) -> list[ActionChoice]:
        """Steps offered beside the protocol's own actions: correcting a statement (the
        engine judges it as recording one) and keeping a non-member's identity (the
        service decides: the body holding the case). A hint for the panel only."""
        from .steps import FORMS, pseudonymous_people, statement_choices

        found = []
        record = next((a for a in self.actions if a.action == "record_statement"), None)
        if record is not None and record.allowed and statement_choices(self):
            form = FORMS["correct_statement"]
            found.append(replace(record, action=form.action, title=str(form.title)))
        holder = self.state.holding_body
        keeps = holder in self.my_bodies() or bool(
            self.state.roles_of(self.person.public_id) & {"panel", "investigator"}
        )
        if keeps and self.full_record and pseudonymous_people(self):
            form = FORMS["record_identity"]
            found.append(
                ActionChoice(
                    action=form.action,
                    title=str(form.title),
                    allowed=True,
                    capacity="",
                    has_form=True,
                )
            )
        return found


def _by_rule(verdict: Verdict) -> bool:
    return bool(verdict.refusals) and all(r.code == "protocol.rule" for r in verdict.refusals)


def owed_by_viewer(owed_by: str, keys: Iterable[str]) -> bool:
    """``keys``: the viewer's parts in the case, ``body:<key>`` for their seats, and
    ``holding_body`` when they sit on it — read by the rule the dashboard's query uses."""
    held = set(keys)
    seats = [k.removeprefix("body:") for k in held if k.startswith("body:")]
    return owes(owed_by, held, seats, "holding_body" in held)


def people_named(events: Iterable[Event]) -> set[str]:
    """Every person id the record names (actors and people in payloads)."""
    found: set[str] = set()
    for e in events:
        found.add(e.actor)
        p = e.payload
        for key in ("author", "advocate", "subject", "person", "to", "sender", "chair"):
            value = p.get(key)
            if isinstance(value, str):
                found.add(value)
        for key in ("complainants", "respondents", "members", "attendance"):
            for value in p.get(key, ()) or ():
                if isinstance(value, str):
                    found.add(value)
    return found


def case_page(person: Person, public_id: str, *, at: datetime | None = None) -> CasePage:
    """The case as ``person`` may see it (NotFound exactly as for a missing case)."""
    moment = at or clock.now()
    standing = case_for(person, public_id, moment)
    ctx = load(standing.case, at=moment, lock=False)
    return CasePage(standing=standing, ctx=ctx, person=person, at=moment)


def case_bodies(page: CasePage) -> list[CaseBody]:
    return list(
        CaseBody.objects.filter(case=page.case).select_related("body").order_by("since_seq")
    )


def body_choices(page: CasePage) -> list[tuple[str, str]]:
    return [(key, spec.name) for key, spec in page.protocol.bodies.items()]


def org_body(page: CasePage, key: str) -> Body | None:
    spec = page.protocol.bodies.get(key)
    query = Body.objects.filter(key=key)
    if spec is not None and spec.per_unit and page.case.unit_id is not None:
        query = query.filter(unit_id=page.case.unit_id)
    return query.first()
