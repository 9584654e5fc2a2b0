"""Small, fast builders for the case-service tests.

``world`` builds the League (``docket.demo.league.build_league``) once per test module,
with only the protocols the tests need, and drives one case per *stage* through the
services (each stage a fresh case that went through every step before it). Everything
runs with the clock pinned at ``NOW`` (early 2014, when the League's 2013 committees
still sit), inside a transaction that is rolled back when the module ends; each test
runs in a savepoint inside it (pytest-django's ``db``), so tests share the setup and
cannot see each other's writes.

``unchanged()`` snapshots everything a service may write (ledger events of every
stream, content items, case rows, roles, bodies, standing, identities) and asserts that
a refused call left all of it as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from docket.cases import services as s
from docket.cases.acting import load
from docket.cases.models import Case, CaseBody, CaseRole, ProtocolVersion
from docket.core.clock import frozen_at
from docket.core.errors import DocketError, NotFound, ProtocolRefusal
from docket.crypto.models import ContentItem
from docket.demo.league import League, build_league
from docket.ledger.models import LedgerEvent
from docket.ledger.selectors import stream_events
from docket.org.models import Person, StandingChange
from docket.org.selectors import standing_at
from docket.org.services import body_create, seat_create, seat_term_begin

# Early 2014: the 2013 NDC (N1-N4), the SC of 2012-2015 (S1), the AC (X1-X3) and the
# Harbor branch executive (B1) all sit; BC1 (Bay City) never has anything to do with
# these cases.
NOW = datetime(2014, 2, 3, 15, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=30)

STAGES = (
    "received",  # complaint received by the Harbor branch executive (B1)
    "referred",  # referred to the NDC with the record handed over; acknowledged
    "open",  # opened by the NDC, panel N1 (chair), N2, N3
    "investigation",  # charges served, advocates named, statements C1 and W1
    "suspended",  # investigation + interim suspension M1 of R
    "heard",  # W1 disclosed to R, R answered, hearing H1 held
    "voting",  # vote V1 (suspension) open
    "voted",  # V1: three yes, closed
    "decided",  # decision D1: suspension (stage decided)
    "expulsion",  # decision D1: expulsion, a recommendation awaiting the SC
    "annulled",  # investigation; W1 objects to the SC, which annuls the NDC proceeding
    "reinvest",  # annulled; the SC calls in the AC without the record; AC panel X1, X2, S1
    "closed",  # decided, then closed
    "informal",  # a case under the DSA R33 style protocol, opened by its officers (H)
)

# The stage each stage is built on.
PREVIOUS = {
    "referred": "received",
    "open": "referred",
    "investigation": "open",
    "suspended": "investigation",
    "heard": "investigation",
    "voting": "heard",
    "voted": "voting",
    "decided": "voted",
    "expulsion": "heard",
    "annulled": "investigation",
    "reinvest": "annulled",
    "closed": "decided",
}

# Plain texts the services seal; tests check they never reach the ledger in clear.
STATEMENT_C1 = "Complainant statement text: the evening of the ninth, in the hallway."
STATEMENT_W1 = "Witness statement text: W1 saw the two of them near the stairs."


@dataclass
class World:
    league: League
    cases: dict[str, str] = field(default_factory=dict)  # stage -> public id
    items: dict[str, dict[str, str]] = field(default_factory=dict)  # stage -> label -> id
    opened: int = 0

    def p(self, key: str) -> Person:
        return self.league.person(key)

    def case(self, stage: str) -> Case:
        return Case.objects.get(public_id=self.cases[stage])


def adopt(name: str) -> ProtocolVersion:
    from django.conf import settings

    from docket.cases.protocols import protocol_adopt_file

    path = Path(settings.DOCKET_PROTOCOL_DIR) / f"{name}.yaml"
    return protocol_adopt_file(path, actor="test")


def receive(w: World, *, by: str = "B1", **overrides: Any) -> Case:
    """A complaint by C (a guest) about R, received by the Harbor branch executive."""
    args: dict[str, Any] = {
        "by": w.p(by),
        "protocol_id": "league-disciplinary",
        "received_by": "branch_executive",
        "category": "physical misconduct",
        "channel": "in_person",
        "reporter_role": "affected",
        "complainants": [w.p("C")],
        "respondents": [w.p("R")],
        "unit": w.league.units["harbor"],
        "allegations": [s.AllegationInput("A1", "Code of Conduct s.2", "Summary of A1.")],
        "account": "The account given at intake.",
    }
    args.update(overrides)
    return s.complaint_receive(**args)


def _build(w: World, stage: str, items: dict[str, str]) -> str:
    """A fresh case taken through every step up to ``stage``; returns its public id and
    puts the content ids of its statements in ``items`` (label -> id)."""
    p = w.p
    if stage == "informal":
        case = receive(
            w,
            by="N4",
            protocol_id="dsa-resolution-33",
            received_by="hgo",
            protocol=ProtocolVersion.objects.get(protocol_id="dsa-resolution-33"),
            unit=None,
        )
        s.case_open(by=p("N4"), case=case.public_id, body="hgo", reference=_ref(w, stage))
        return case.public_id
    if stage == "received":
        return receive(w).public_id
    ref = _build(w, PREVIOUS[stage], items)
    N1, N2, N3 = p("N1"), p("N2"), p("N3")
    if stage == "referred":
        s.case_refer(by=p("B1"), case=ref, to_body="ndc", reasons="Serious.")
        s.complaint_acknowledge(by=N1, case=ref, note="Received.")
    elif stage == "open":
        s.case_open(by=N1, case=ref, body="ndc", reference=_ref(w, stage))
        s.panel_name(by=N1, case=ref, body="ndc", members=[N1, N2, N3], chair=N1)
    elif stage == "investigation":
        s.charges_serve(
            by=N1, case=ref, respondent=p("R"), allegations=["A1"], notice="Notice of A1."
        )
        s.advocate_name(by=p("R"), case=ref, party="respondent", advocate=p("A"))
        s.advocate_name(by=p("C"), case=ref, party="complainant", advocate=p("CA"))
        e = s.statement_record(
            by=p("CA"), case=ref, author=p("C"), role="complainant", label="C1", text=STATEMENT_C1
        )
        items["C1"] = e.payload["item"]
        e = s.statement_record(
            by=N2, case=ref, author=p("W1"), role="witness", label="W1", text=STATEMENT_W1
        )
        items["W1"] = e.payload["item"]
    elif stage == "suspended":
        s.measure_impose(
            by=N1,
            case=ref,
            measure_id="M1",
            kind="suspension",
            subject=p("R"),
            reasons="For the proceeding.",
        )
    elif stage == "annulled":
        s.objection_file(
            by=p("W1"), case=ref, objection_id="O1", to_body="sc", clauses=["s.4.2"],
            grounds="The statements were not shown.",
        )  # fmt: skip
        s.proceeding_annul(by=p("S1"), case=ref, grounds=["s.4.2"], reasons="Annulled.")
    elif stage == "reinvest":
        s.reinvestigation_order(
            by=p("S1"), case=ref, to_body="ac", hand_over=False, reasons="Afresh."
        )
        X1 = p("X1")
        s.panel_name(by=X1, case=ref, body="ac", members=[X1, p("X2"), p("S1")], chair=X1)
    elif stage == "heard":
        s.material_disclose(by=N1, case=ref, to="respondent", items=[items["W1"]])
        s.response_receive(
            by=p("A"), case=ref, party="respondent", text="R's answer.", to_items=[items["W1"]]
        )
        s.hearing_schedule(by=N1, case=ref, hearing_id="H1", at=NOW + timedelta(days=7))
        s.hearing_hold(by=N1, case=ref, hearing_id="H1", attendance=[N1, N2, N3, p("R")])
    elif stage in ("voting", "expulsion"):
        sanction = "suspension" if stage == "voting" else "expulsion"
        s.vote_open(by=N1, case=ref, vote_id="V1", motion=f"Impose {sanction}", sanction=sanction)
        if stage == "expulsion":
            for member in (N1, N2, N3):
                s.vote_cast(by=member, case=ref, vote_id="V1", choice="yes")
            s.vote_close(by=N1, case=ref, vote_id="V1")
            _decide(ref, N1, "expulsion", recommendation=True)
    elif stage == "voted":
        for member in (N1, N2, N3):
            s.vote_cast(by=member, case=ref, vote_id="V1", choice="yes")
        s.vote_close(by=N1, case=ref, vote_id="V1")
    elif stage == "decided":
        _decide(ref, N1, "suspension")
    elif stage == "closed":
        s.case_close(by=N1, case=ref, disposition="decided")
    return ref


def _decide(ref: str, by: Person, sanction: str, *, recommendation: bool = False) -> None:
    s.decision_issue(
        by=by,
        case=ref,
        decision_id="D1",
        vote_id="V1",
        outcome="sanction",
        sanctions=[sanction],
        recommendation=recommendation,
        findings=[s.FindingInput("A1", "established")],
        rationale="The rationale of D1.",
    )


def _ref(w: World, stage: str) -> str:
    """References 2014-101, 2014-102, … in the order the cases are opened."""
    w.opened += 1
    return f"2014-{100 + w.opened:03d}"


def make_world(stages: tuple[str, ...]) -> World:
    """The League (with an "hgo" body seating N4 for the DSA protocol) and one case per
    stage named. Call with the clock pinned and inside a transaction."""
    adopt("league-v1")
    adopt("dsa-resolution-33")
    league = build_league()
    hgo = body_create(
        actor="test",
        capacity="administrator",
        key="hgo",
        name="Harassment Grievance Officers",
        unit=league.units["national"],
    )
    seat_term_begin(
        actor="test",
        capacity="administrator",
        seat=seat_create(actor="test", capacity="administrator", body=hgo),
        person=league.person("N4"),
        starts=date(2013, 1, 1),
        reason="Elected",
    )
    w = World(league)
    for stage in stages:
        w.items[stage] = {}
        w.cases[stage] = _build(w, stage, w.items[stage])
    return w


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def world_in_transaction(blocker: Any, tmp: Path, stages: tuple[str, ...]) -> Iterator[World]:
    """Keys, content store, clock and the world for a whole module; all rolled back."""
    from django.core.management import call_command

    from docket.crypto.keyfiles import init_signing_key

    settings = override_settings(
        DOCKET_KEY_DIR=tmp / "keys",
        DOCKET_CONTENT_DIR=tmp / "content",
        # Small enough that a too-long text is bad input in every sealing service.
        DOCKET_MAX_UPLOAD_BYTES=64 * 1024,
    )
    settings.enable()
    try:
        init_signing_key()
        call_command("keys", "init", verbosity=0)
        with blocker.unblock(), frozen_at(NOW):
            try:
                with transaction.atomic():
                    yield make_world(stages)
                    raise _Rollback
            except _Rollback:
                pass
    finally:
        settings.disable()


def module_world(*stages: str) -> Callable[..., Any]:
    """A module-scoped ``world`` fixture with the given stages built."""

    @pytest.fixture(scope="module")
    def world(
        django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[World]:
        tmp = tmp_path_factory.mktemp("world")
        with world_in_transaction(django_db_blocker, tmp, stages) as w:
            yield w

    return world


# --- what a service may change ------------------------------------------------------


def snapshot() -> dict[str, Any]:
    return {
        "events": list(LedgerEvent.objects.order_by("stream", "seq").values_list("stream", "seq")),
        "content": sorted(ContentItem.objects.values_list("public_id", flat=True)),
        "cases": list(Case.objects.order_by("pk").values()),
        "roles": sorted(
            CaseRole.objects.values_list("case_id", "person_id", "role", "until"),
            key=repr,
        ),
        "bodies": sorted(CaseBody.objects.values_list(), key=repr),
        "standing": sorted(StandingChange.objects.values_list("pk", flat=True)),
        "identities": sorted(
            Person.objects.exclude(identity_ref="").values_list("pk", "identity_ref")
        ),
    }


# What a refused step writes: the refusal on the case's record, and the case's head.
REFUSAL_FIELDS = ("head_seq", "last_event_at")


@contextlib.contextmanager
def unchanged() -> Iterator[None]:
    """Assert that the block (which is expected to raise) changed nothing but, when the
    protocol refused a step, the one ``step.refused`` event that keeps the refusal on the
    case's record (and the case's head, which it moves)."""
    before = snapshot()
    refusals = LedgerEvent.objects.filter(type="step.refused").count()
    yield
    after = snapshot()
    added = LedgerEvent.objects.filter(type="step.refused").count() - refusals
    assert added in (0, 1), f"{added} refusals recorded"
    if added:
        kept = set(LedgerEvent.objects.filter(type="step.refused").values_list("stream", "seq"))
        after["events"] = [e for e in after["events"] if e in before["events"] or e not in kept]
        for row in before["cases"] + after["cases"]:
            for name in REFUSAL_FIELDS:
                row.pop(name, None)
    for key in before:
        assert after[key] == before[key], f"{key} changed"


def refused(
    call: Callable[[], Any], *, clause: str | None = None, code: str | None = None
) -> ProtocolRefusal:
    """The call is refused by the protocol engine (citing ``clause``), changing nothing
    but the refusal, which is kept on the case's record."""
    with unchanged(), pytest.raises(ProtocolRefusal) as caught:
        call()
    err = caught.value
    assert err.code == "protocol.refused"
    assert err.data["reasons"], "a refusal gives its reasons"
    for reason in err.data["reasons"]:
        assert reason["message"]
    if clause is not None:
        assert clause in {r["clause"] for r in err.data["reasons"]}, err.data["reasons"]
    if code is not None:
        assert code in {r["code"] for r in err.data["reasons"]}, err.data["reasons"]
    return err


def hidden(call: Callable[[], Any]) -> NotFound:
    """The caller may not see the case: answered as "no such case", changing nothing."""
    with unchanged(), pytest.raises(NotFound) as caught:
        call()
    assert caught.value.code == "case.not_found"
    return caught.value


def invalid(call: Callable[[], Any], code: str | None = None) -> DocketError:
    """Bad input: a clear error with a code (400-class), changing nothing."""
    from docket.core.errors import InvalidInput

    with unchanged(), pytest.raises(InvalidInput) as caught:
        call()
    err = caught.value
    assert err.code
    assert err.message
    assert 400 <= err.status < 500
    if code is not None:
        assert err.code == code, err
    return err


# --- what a success leaves behind ---------------------------------------------------


def last_event(public_id: str) -> LedgerEvent:
    return LedgerEvent.objects.filter(stream=f"case:{public_id}").order_by("-seq").first()  # type: ignore[return-value]


def events_of(public_id: str) -> list[Any]:
    return list(stream_events(f"case:{public_id}"))


def roles(public_id: str, role: str) -> set[str]:
    return set(
        CaseRole.objects.filter(case__public_id=public_id, role=role).values_list(
            "person__public_id", flat=True
        )
    )


def holders(public_id: str) -> list[str]:
    return list(
        CaseBody.objects.filter(case__public_id=public_id, relation="holder")
        .order_by("proceeding")
        .values_list("body__key", flat=True)
    )


def current_holder(public_id: str) -> str | None:
    body = CaseBody.objects.filter(
        case__public_id=public_id, relation="holder", current=True
    ).first()
    return body.body.key if body else None


def standing(person: Person) -> str:
    found = standing_at(person)
    assert found is not None
    return str(found.status)


def state(public_id: str) -> Any:
    return load(Case.objects.get(public_id=public_id), lock=False).evaluation.state


def sealed(item: str, *, stream: str) -> ContentItem:
    """The content item exists, is sealed in this case, and is not plaintext in the row."""
    row = ContentItem.objects.get(public_id=item)
    assert row.stream == stream
    return row


def opened(item: str) -> str:
    """The sealed text of a content item (journaled to the test reader)."""
    from docket.crypto.services import content_read

    row = ContentItem.objects.get(public_id=item)
    return content_read(item=row, reader="test", capacity="test").decode("utf-8")


def is_event(
    event: LedgerEvent,
    type_: str,
    *,
    by: Person,
    capacity: str,
    case: str,
) -> LedgerEvent:
    assert event.type == type_, event.type
    assert event.actor == by.public_id
    assert event.capacity == capacity, event.capacity
    assert event.stream == f"case:{case}"
    assert last_event(case).seq == event.seq
    assert Case.objects.get(public_id=case).head_seq == event.seq
    return event
