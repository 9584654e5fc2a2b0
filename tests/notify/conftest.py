"""Fixtures of the notice tests: the League with sign-in accounts, and a real SMTP server
on loopback that records what it receives (and can be told to refuse for a while)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from docket.ledger.testing import ledger_cleanup  # noqa: F401 - autouse fixture

SITE = "https://docket.league.example"


@dataclass
class Received:
    to: list[str]
    raw: str
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""


@dataclass
class Recorder:
    """An aiosmtpd handler: keeps every message; answers 451 while ``refuse`` > 0."""

    messages: list[Received] = field(default_factory=list)
    refuse: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        raw = envelope.original_content or envelope.content
        parsed = message_from_bytes(raw, policy=policy.default)
        self.messages.append(
            Received(list(envelope.rcpt_tos), raw.decode("utf-8", "replace"), parsed)  # type: ignore[arg-type]
        )
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.to]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Recorder]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.DOCKET_SITE_URL = SITE
    try:
        yield recorder
    finally:
        controller.stop()


def address(key: str) -> str:
    return f"{key.lower()}@league.example"


@pytest.fixture
def league(db: None, keys: Any, protocols: Any, make_user: Any, settings: Any) -> Any:
    """The League; every person in it has an account with the address ``<key>@league.example``
    (addresses say nothing about anyone's real name)."""
    # Twenty accounts: a fast hasher for these test-only passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from docket.demo.league import build_league
    from docket.org.services import person_link_account

    league = build_league()
    for key, person in league.people.items():
        user = make_user(address(key))
        person_link_account(
            actor="test", capacity="administrator", person=person, user=user, reason="test"
        )
        person.refresh_from_db()
    return league
