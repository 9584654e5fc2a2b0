"""Pytest fixtures shared by every test area (registered in tests/conftest.py):
key files in a temporary folder, the shipped protocols adopted, and the League; and
builders for small League cases that several test areas start from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from docket.cases.models import Case
    from docket.demo.league import League


@pytest.fixture
def keys(settings: Any, tmp_path: Path) -> Path:
    """Fresh signing key and key-encryption key, and a content store, in tmp_path."""
    from django.core.management import call_command

    settings.DOCKET_KEY_DIR = tmp_path / "keys"
    settings.DOCKET_CONTENT_DIR = tmp_path / "content"
    call_command("keys", "init", verbosity=0)
    return Path(settings.DOCKET_KEY_DIR)


@pytest.fixture
def protocols(db: None) -> dict[str, Any]:
    """Every shipped protocol, adopted (by file stem)."""
    from docket.cases.protocols import protocol_adopt_file, shipped_protocols

    return {p.stem: protocol_adopt_file(p, actor="test") for p in shipped_protocols()}


@pytest.fixture
def league(db: None, keys: Path, protocols: dict[str, Any]) -> Any:
    """The League of the reference case: units, people, bodies, seats and terms."""
    from docket.demo.league import build_league

    return build_league()


# --- small cases ---------------------------------------------------------------------------
# C's complaint about R, as in the reference case but shorter: received by the Harbor
# branch executive on the evening of 4 March 2013, referred to the NDC at once, and opened
# by the NDC a week later.
RECEIVED_AT = "2013-03-04T19:00:00-05:00"
OPENED_AT = "2013-03-11T18:00:00-04:00"


def complaint(
    league: League,
    *,
    by: str = "B1",
    received_by: str = "branch_executive",
    respondent: str = "R",
    allegation: str = "Code s.2",
    allegation_text: str = "",
    account: str = "",
    category: str = "conduct",
) -> Case:
    """C's complaint about ``respondent`` (allegation A1 under the League's protocol),
    received in person by ``by`` for ``received_by`` (a body key or
    ``branch_executive``), at the caller's moment (freeze the clock around it)."""
    from docket.cases import services as s

    p = league.person
    return s.complaint_receive(
        by=p(by),
        protocol_id="league-disciplinary",
        received_by=received_by,
        category=category,
        channel="in_person",
        reporter_role="affected",
        complainants=[p("C")],
        respondents=[p(respondent)],
        unit=league.units["harbor"],
        allegations=[s.AllegationInput("A1", allegation, allegation_text)],
        account=account,
    )


def harbor_case_referred(league: League, *, identity: str | None = None, **details: str) -> Case:
    """C's complaint about R (allegation A1, Code s.2), received in person by B1 and
    referred to the NDC; not opened yet. With ``identity``, B1 records it as C's (a
    non-member's) identity before the referral; ``details`` go to :func:`complaint`."""
    from docket.cases import services as s
    from docket.core.clock import frozen_at
    from docket.demo.reference_live import at

    p = league.person
    with frozen_at(at(RECEIVED_AT)):
        case = complaint(league, **{"account": "What C told the branch.", **details})
        if identity is not None:
            s.identity_record(by=p("B1"), case=case.public_id, person=p("C"), identity=identity)
        s.case_refer(by=p("B1"), case=case.public_id, to_body="ndc")
    case.refresh_from_db()
    return case


def harbor_case_with_panel(
    league: League, *, reference: str, identity: str | None = None, **details: str
) -> Case:
    """:func:`harbor_case_referred`, then opened by the NDC as ``reference`` (N1) with the
    panel N1 (chair), N2 and N3, on 11 March 2013."""
    from docket.cases import services as s
    from docket.core.clock import frozen_at
    from docket.demo.reference_live import at

    p = league.person
    case = harbor_case_referred(league, identity=identity, **details)
    with frozen_at(at(OPENED_AT)):
        s.case_open(by=p("N1"), case=case.public_id, body="ndc", reference=reference)
        s.panel_name(
            by=p("N1"),
            case=case.public_id,
            body="ndc",
            members=[p("N1"), p("N2"), p("N3")],
            chair=p("N1"),
        )
    case.refresh_from_db()
    return case
