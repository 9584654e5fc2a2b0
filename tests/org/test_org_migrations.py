"""The org models and their migrations agree."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_org_has_no_missing_migrations() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "org", "--check", "--dry-run", stdout=out)
    except SystemExit as exc:  # --check exits non-zero when a migration is missing
        pytest.fail(f"org models changed without a migration:\n{out.getvalue()} ({exc})")


def test_org_event_types_are_registered() -> None:
    from docket.events.registry import all_types

    org_types = {t.name: t.stream for t in all_types() if t.stream in {"org", "member"}}
    assert org_types["member.standing_changed"] == "member"
    assert org_types["seat.term_ended"] == "org"
    assert len(org_types) >= 14
