"""Fixtures for the web pages (on top of the shared `keys`, `protocols` and `league` of
docket.demo.testing): the reference case run live, and accounts for its people (each
with an enrolled TOTP authenticator, so they may read content)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from docket.cases import services as s
from docket.cases.models import Case
from docket.core.clock import frozen_at
from docket.demo.reference_live import at
from docket.demo.testing import OPENED_AT, harbor_case_with_panel
from docket.ledger.models import LedgerEvent


def head(case: Case) -> int:
    """The case's last step: a refused one is kept on the record but takes no step."""
    case.refresh_from_db()
    last = (
        LedgerEvent.objects.filter(stream=case.stream)
        .exclude(type="step.refused")
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return last or 0


@pytest.fixture
def run(league):
    from docket.demo.reference_live import run_reference_case

    return run_reference_case(league)


def enroll_totp(user: Any) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def account(make_user, league) -> Callable[..., Any]:
    """``account("N1")``: a signed-in-able user for the League person, with TOTP."""
    from docket.org.services import person_link_account

    made: dict[str, Any] = {}

    def make(key: str, *, mfa: bool = True) -> Any:
        if key in made:
            return made[key]
        user = make_user(f"{key.lower()}@league.example")
        person_link_account(
            actor="test", capacity="test", person=league.person(key), user=user, reason="test"
        )
        if mfa:
            enroll_totp(user)
        made[key] = user
        return user

    return make


@pytest.fixture
def client_for(account) -> Callable[..., Client]:
    def make(key: str, *, mfa: bool = True) -> Client:
        client = Client()
        client.force_login(account(key, mfa=mfa))
        return client

    return make


@pytest.fixture
def small(league):  # type: ignore[no-untyped-def]
    """A case opened by the NDC (C known as Dana Ortiz), with charges served and a witness
    statement given to the respondent."""
    p = league.person
    case = harbor_case_with_panel(league, reference="2013-009", identity="Dana Ortiz")
    ref = case.public_id
    with frozen_at(at(OPENED_AT)):
        s.charges_serve(
            by=p("N1"), case=ref, respondent=p("R"), allegations=["A1"], notice="Notice."
        )
        s.advocate_name(by=p("C"), case=ref, party="complainant", advocate=p("CA"))
        s.statement_record(
            by=p("CA"),
            case=ref,
            author=p("C"),
            role="complainant",
            label="C1",
            text="C's own words.",
        )
        w1 = s.statement_record(
            by=p("N2"),
            case=ref,
            author=p("W1"),
            role="witness",
            label="W1",
            text="Witness one's words.",
        )
        s.material_disclose(by=p("N1"), case=ref, to="respondent", items=[w1.payload["item"]])
    case.refresh_from_db()
    return case
