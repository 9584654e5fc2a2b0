"""The demo loads idempotently, its accounts can sign in, it refuses production, and
``docket serve`` really serves Docket (gunicorn, static files through WhiteNoise)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command

from docket.accounts.models import User
from docket.core.errors import ConfigurationError
from docket.demo import load_demo
from docket.demo.accounts import ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_to_the_same_state() -> None:
    first = load_demo()
    before = User.objects.count(), EmailAddress.objects.count()
    second = load_demo()
    assert (User.objects.count(), EmailAddress.objects.count()) == before
    # The officers' accounts, plus the accounts later demo steps add for the League.
    assert before[0] == before[1] >= len(ACCOUNTS)
    assert set(first.users) == set(second.users) >= {a.key for a in ACCOUNTS}
    assert {u.pk for u in first.users.values()} == {u.pk for u in second.users.values()}


def test_every_demo_account_can_sign_in_with_a_verified_address() -> None:
    load_demo()
    for account in ACCOUNTS:
        user = authenticate(email=account.email, password=DEMO_PASSWORD)
        assert user is not None, account.email
        assert user.display_name == account.name
        assert EmailAddress.objects.get(user=user).verified


def test_a_dry_run_changes_nothing() -> None:
    demo = load_demo(dry_run=True)
    assert len(demo.users) >= len(ACCOUNTS)
    assert User.objects.count() == 0


def test_the_demo_refuses_to_run_in_production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True
    with pytest.raises(ConfigurationError) as refused:
        load_demo()
    assert refused.value.code == "demo.production"
    assert User.objects.count() == 0


def test_the_demo_command_says_how_to_sign_in(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    assert "/accounts/login/" in out
    assert DEMO_PASSWORD in out
    for account in ACCOUNTS:
        assert account.email in out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — local test server
        return response.status, dict(response.headers), response.read()


@pytest.mark.django_db(databases=[])
def test_docket_serve_serves_the_sign_in_page_and_static_files(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"DOCKET_VAR_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    docket = [sys.executable, "-m", "docket.cli"]
    subprocess.run([*docket, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=180)
    port = _free_port()
    server = subprocess.Popen(
        [*docket, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = _get(f"{base}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert (status, body) == (200, b"ok")
        status, headers, body = _get(f"{base}/accounts/login/")
        assert status == 200
        assert b"<h1>Sign in</h1>" in body
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        status, headers, body = _get(f"{base}/static/docket/docket.css")
        assert status == 200
        assert b".skip-link" in body
        assert (tmp_path / "staticfiles" / "docket" / "vendor" / "htmx-2.0.11.min.js").exists()
    finally:
        server.terminate()
        server.wait(timeout=30)
