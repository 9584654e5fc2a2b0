"""Fixtures for the administration pages and account services: a small fictional
organization built through the org services, an administrator and a plain member."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client

from docket.accounts.services import administrator_grant
from docket.org import services
from docket.org.models import Body, Organization, Person, Unit

ACTOR, CAP = "docket-setup", "administrator"


@dataclass
class Org:
    org: Organization
    national: Unit
    coast: Unit
    harbor: Unit
    ndc: Body


@pytest.fixture
def org(db: None) -> Org:
    o = services.organization_create(
        actor=ACTOR, capacity=CAP, name="The League", time_zone="Europe/Amsterdam"
    )
    mk = services.unit_create
    national = mk(actor=ACTOR, capacity=CAP, kind="national", key="national", name="National")
    coast = mk(actor=ACTOR, capacity=CAP, kind="region", key="coast", name="Coast", parent=national)
    harbor = mk(actor=ACTOR, capacity=CAP, kind="branch", key="harbor", name="Harbor", parent=coast)
    ndc = services.body_create(
        actor=ACTOR, capacity=CAP, key="ndc", name="National Disciplinary Committee", unit=national
    )
    return Org(o, national, coast, harbor, ndc)


@pytest.fixture
def admit(org: Org) -> Callable[..., Person]:
    """``admit(name, number, unit=harbor, user=None)``: a named member."""

    def make(name: str, number: str, *, unit: Unit | None = None, user: Any = None) -> Person:
        person = services.person_create(actor=ACTOR, capacity=CAP, display_name=name, user=user)
        services.member_admit(
            actor=ACTOR,
            capacity=CAP,
            person=person,
            member_number=number,
            joined_on=date(2010, 1, 5),
            unit=unit or org.harbor,
            reason="Application approved",
        )
        return person

    return make


def enroll_totp(user: Any) -> str:
    """Enroll a TOTP authenticator (administrators need a second factor); its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.fixture
def admin_user(make_user: Callable[..., Any], org: Org) -> Any:
    user = make_user("dana.admin@example.org", name="Dana Admin")
    admin = administrator_grant(actor=ACTOR, account=user, reason="Runs Docket for the League")
    enroll_totp(admin)
    return admin


@pytest.fixture
def admin_client(admin_user: Any) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def member_client(make_user: Callable[..., Any], admit: Callable[..., Person]) -> Client:
    user = make_user("robin.hale@example.org", name="Robin Hale")
    admit("Robin Hale", "L-0100", user=user)
    client = Client()
    client.force_login(user)
    return client
