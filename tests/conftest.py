"""Shared fixtures for every test. Keep this small and generic; area fixtures live in
``tests/<area>/conftest.py``. Browser fixtures are in ``tests/browser/conftest.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

# docket.ledger.testing: transactional tests end with a flush the ledger's append-only
# triggers would refuse; it empties the ledger tables first (an autouse fixture).
# docket.demo.testing: the fixtures `keys`, `protocols` and `league`.
pytest_plugins = ["docket.ledger.testing", "docket.demo.testing"]

# Meets Docket's password rules; used for every account made in tests.
TEST_PASSWORD = "correct-horse-battery-staple"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # WhiteNoise warns at start-up when STATIC_ROOT does not exist yet (before collectstatic).
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which database this run uses, so a log shows that PostgreSQL really ran."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    engine = str(db["ENGINE"]).rsplit(".", 1)[-1]
    vendor = {"postgresql": "PostgreSQL", "sqlite3": "SQLite"}.get(engine, engine)
    test_name = db.get("TEST", {}).get("NAME") or f"test_{db['NAME']}"
    return [f"database: {vendor} (test database {test_name})"]


@pytest.fixture
def test_password() -> str:
    """The password of every account ``make_user`` creates."""
    return TEST_PASSWORD


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """``make_user(email=..., name=..., verified=True, **fields)``: an account that can sign
    in with ``TEST_PASSWORD`` (its email address is verified unless ``verified=False``)."""
    from allauth.account.models import EmailAddress

    from docket.accounts.models import User

    counter = 0

    def make(
        email: str | None = None, *, name: str = "", verified: bool = True, **fields: Any
    ) -> User:
        nonlocal counter
        counter += 1
        email = email or f"person{counter}@example.org"
        user = User.objects.create_user(email, TEST_PASSWORD, display_name=name, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        return user

    return make
