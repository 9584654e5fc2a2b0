"""The demo loads idempotently, its accounts can sign in, it refuses production, and
``docket serve`` really serves Docket (gunicorn, static files through WhiteNoise)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.core.management import call_command

from docket.accounts.models import User
from docket.accounts.permissions import is_administrator
from docket.core.errors import ConfigurationError
from docket.core.siteurl import site_url
from docket.demo import load_demo
from docket.demo.accounts import ADMIN_EMAIL, DEMO_PASSWORD
from docket.demo.people import SIGN_INS
from docket.org.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_to_the_same_state(keys) -> None:
    first = load_demo()
    before = User.objects.count(), EmailAddress.objects.count()
    second = load_demo()
    assert (User.objects.count(), EmailAddress.objects.count()) == before
    # The administrator, and one account for each League person the demo prints.
    assert before[0] == before[1] == 1 + len(SIGN_INS)
    assert set(first.users) == set(second.users)
    assert {u.pk for u in first.users.values()} == {u.pk for u in second.users.values()}


def test_every_printed_account_signs_in_and_is_the_person_it_names(keys) -> None:
    load_demo()
    admin = authenticate(email=ADMIN_EMAIL, password=DEMO_PASSWORD)
    assert admin is not None
    assert is_administrator(admin)
    for sign_in in SIGN_INS:
        user = authenticate(email=sign_in.email, password=DEMO_PASSWORD)
        assert user is not None, sign_in.email
        assert EmailAddress.objects.get(user=user).verified
        assert Authenticator.objects.filter(user=user, type="totp").exists()
        person = Person.objects.get(user=user)  # linked: the dashboard shows their work
        assert user.display_name == person.display_name


def test_a_dry_run_changes_nothing(keys) -> None:
    demo = load_demo(dry_run=True)
    assert len(demo.users) == 1 + len(SIGN_INS)
    assert User.objects.count() == 0


def test_the_demo_refuses_to_run_in_production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True
    with pytest.raises(ConfigurationError) as refused:
        load_demo()
    assert refused.value.code == "demo.production"
    assert User.objects.count() == 0


def test_the_demo_command_prints_every_account_with_its_part_and_promise(
    keys, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    assert "/accounts/login/" in out
    assert DEMO_PASSWORD in out
    assert ADMIN_EMAIL in out
    for sign_in in SIGN_INS:
        line = next(line for line in out.splitlines() if sign_in.email in line)
        assert sign_in.part in line
        following = out.split(line, 1)[1].splitlines()[1]
        assert following.strip() == sign_in.promise


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — local test server
        return response.status, dict(response.headers), response.read()


def _serve(var: Path, port: int, *, workers: int) -> subprocess.Popen[str]:
    """``docket serve`` on a fresh, migrated installation in ``var``, as a user would
    start it (its own environment: no test database, no DOCKET_SITE_URL)."""
    unset = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DOCKET_SITE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {"DOCKET_VAR_DIR": str(var), "PYTHONUNBUFFERED": "1"}
    docket = [sys.executable, "-m", "docket.cli"]
    subprocess.run([*docket, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=180)
    return subprocess.Popen(
        [*docket, "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _healthy(base: str, server: subprocess.Popen[Any]) -> tuple[int, bytes]:
    """/healthz's answer once the server answers (workers boot slowly on a busy machine)."""
    deadline = time.monotonic() + 90
    while True:
        try:
            status, _, body = _get(f"{base}/healthz")
            return status, body
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.2)


@pytest.mark.django_db(databases=[])
def test_docket_serve_serves_the_sign_in_page_and_static_files(tmp_path: Path) -> None:
    port = _free_port()
    server = _serve(tmp_path, port, workers=1)
    try:
        base = f"http://127.0.0.1:{port}"
        assert _healthy(base, server) == (200, b"ok")
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


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers), read from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
@pytest.mark.django_db(databases=[])
def test_docket_serve_stops_its_whole_server_by_the_pid_it_prints(tmp_path: Path, stop) -> None:
    port = _free_port()
    server = _serve(tmp_path, port, workers=2)
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        printed = re.search(r"process (\d+); Ctrl-C or `kill (\d+)` stops it", first)
        assert printed, first
        pid = int(printed[1])
        assert f"http://127.0.0.1:{port}/" in first
        deadline = time.monotonic() + 60
        while len(_children(pid)) < 2:
            assert server.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "workers never started"
            time.sleep(0.2)
        assert _healthy(f"http://127.0.0.1:{port}", server) == (200, b"ok")
        # Links in notices and invitations name the address the server was bound to.
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert f"DOCKET_SITE_URL=http://127.0.0.1:{port}".encode() in environ
        workers = _children(pid)
        os.kill(pid, stop)
        server.wait(timeout=60)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "a worker outlived the server"
        with socket.socket() as sock:  # the port is free again
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", port))
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=30)


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("192.0.2.7:9000", "http://192.0.2.7:9000"),
        ("[::1]:8443", "http://[::1]:8443"),
        ("unix:/run/docket.sock", None),
    ],
)
def test_links_use_the_address_docket_serve_binds(bind: str, url: str | None) -> None:
    assert site_url(bind) == url
