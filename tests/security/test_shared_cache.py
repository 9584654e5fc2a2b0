"""Issue 24, finding 4: TOTP replay protection and the sign-in and MFA rate limits used
Django's per-process memory cache. With two gunicorn workers the same TOTP code signed
in twice in one period, and 9 of 16 wrong passwords were checked against a limit of 5.
The cache is now a table in the database (``docket_cache``), shared by every process.

Two separate servers (two gunicorn masters, one worker each) share one database, on
SQLite always and on PostgreSQL when DATABASE_URL points at it; requests alternate
between them as a load balancer would send them."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import crash_drill  # noqa: E402

EMAIL = "quinn.harlow@example.org"
PASSWORD = "correct-horse-battery-staple"
SETUP = f"""
import django, json
django.setup()
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from docket.accounts.models import User
user = User.objects.create_user({EMAIL!r}, {PASSWORD!r}, display_name="Quinn Harlow")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
secret = generate_totp_secret()
TOTP.activate(user, secret)
print(json.dumps(secret))
"""


def _databases() -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    pg = url.startswith(("postgres://", "postgresql://"))
    return ["sqlite", "postgresql"] if pg else ["sqlite"]


class Gunicorn:
    """One gunicorn master with one worker, in its own process group."""

    def __init__(self, inst: crash_drill.Install, name: str) -> None:
        self.port = crash_drill.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(inst.home / f"{name}.log", "ab")  # noqa: SIM115 — closed in stop()
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "docket.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "2",
            ],
            env=inst.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, "gunicorn exited"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                        return
            except (OSError, requests.RequestException):
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def _pg_base() -> str:
    from urllib.parse import urlparse

    url = urlparse(os.environ.get("DATABASE_URL", ""))
    user = url.username or "postgres"
    auth = f"{user}:{url.password}" if url.password else user
    return f"postgres://{auth}@{url.hostname or '127.0.0.1'}:{url.port or 5432}"


REDIS = os.environ.get("DOCKET_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=[(db, cache) for db in _databases() for cache in ("db", "redis")])
def two_servers(request, tmp_path):
    database, cache = request.param
    if cache == "redis" and not _redis_answers():
        pytest.skip(f"NOT TESTED: no Redis answers at {REDIS} (.ci/run starts one)")
    inst = crash_drill.environment(database, tmp_path, _pg_base(), prefix="docket_cache")
    if cache == "redis":  # the Redis backend, under a prefix of this test's own
        inst.env["DOCKET_CACHE_URL"] = REDIS
        inst.env["DOCKET_CACHE_PREFIX"] = f"docket-test-{uuid.uuid4().hex}"
    # To see the attack succeed without the fix: DOCKET_TEST_SERVER_CACHE_URL=locmem://
    if os.environ.get("DOCKET_TEST_SERVER_CACHE_URL"):
        inst.env["DOCKET_CACHE_URL"] = os.environ["DOCKET_TEST_SERVER_CACHE_URL"]
    servers: list[Gunicorn] = []
    try:
        inst.docket("migrate", "-v0")
        secret = inst.python(SETUP)
        servers = [Gunicorn(inst, "a"), Gunicorn(inst, "b")]
        for server in servers:
            server.wait()
        yield servers, secret
    finally:
        for server in servers:
            server.stop()
        inst.drop()


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def _password(server: Gunicorn, session: requests.Session, password: str) -> requests.Response:
    url = f"{server.url}/accounts/login/"
    token = _csrf(session, url)
    return session.post(
        url,
        {"login": EMAIL, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=30,
    )


def _code(server: Gunicorn, session: requests.Session, code: str) -> requests.Response:
    url = f"{server.url}/accounts/2fa/authenticate/"
    token = _csrf(session, url)
    return session.post(
        url,
        {"code": code, "csrfmiddlewaretoken": token},
        headers={"Referer": url},
        allow_redirects=False,
        timeout=30,
    )


def test_one_totp_code_signs_in_once_across_two_servers(two_servers):
    from tests.browser.totp import code_now

    (a, b), secret = two_servers
    first, second = requests.Session(), requests.Session()
    for server, session in ((a, first), (b, second)):
        response = _password(server, session, PASSWORD)
        assert response.status_code == 302
        assert "/2fa/authenticate" in response.headers["Location"]
    code = code_now(secret)
    accepted = _code(a, first, code)
    assert accepted.status_code == 302, accepted.text[:2000]
    replayed = _code(b, second, code)  # the same code, on the other server, same period
    assert replayed.status_code != 302
    # The second browser is still not signed in.
    dashboard = second.get(f"{b.url}/", allow_redirects=False, timeout=30)
    assert dashboard.status_code == 302
    assert "/accounts/login/" in dashboard.headers["Location"]


def test_the_password_limit_holds_across_two_servers(two_servers):
    (a, b), _secret = two_servers
    checked = 0
    for i in range(16):
        server = (a, b)[i % 2]
        response = _password(server, requests.Session(), f"wrong-guess-{i}")
        assert response.status_code in (200, 400, 429)
        if "Too many failed" not in response.text:
            checked += 1
    assert checked == 5
