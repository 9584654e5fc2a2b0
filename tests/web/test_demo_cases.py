"""The demo step: League, protocols, the reference case live, accounts with TOTP."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from docket.cases.models import Case
from docket.demo import load_demo
from docket.org.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_case_and_accounts_twice_without_change(keys):
    demo = load_demo()
    assert Case.objects.filter(reference="2013-004").count() == 1
    s5 = demo.users["league_s5"]
    assert Person.objects.get(user=s5).display_name == "Maren Voss"
    assert Authenticator.objects.filter(user=s5, type="totp").exists()
    assert any("TOTP secret" in line for line in demo.notes)
    load_demo()
    assert Case.objects.filter(reference="2013-004").count() == 1
