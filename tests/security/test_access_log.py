"""Issue 24, low: invitation tokens and password-reset keys reached gunicorn's access
log (in the request line, and in the Referer of the page after). ``docket serve`` now
logs through ``docket.ops.accesslog.RedactingLogger``."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.core.management import call_command
from gunicorn.config import Config

from docket.ops.accesslog import RedactingLogger, redact_path

TOKEN = "Zq3-invitation-secret-4Xw"
KEY = "5-c9t1x2-0f3e9a7b2c1d4e5f6a7b8c9d0e1f2a3b"


def environ(path: str, query: str = "", referer: str = "-") -> dict[str, str]:
    return {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "test",
    }


def log_lines(tmp_path: Path, logger_class: type, *requests: dict[str, str]) -> str:
    cfg = Config()
    path = tmp_path / "access.log"
    cfg.set("accesslog", str(path))
    # Also the raw_uri and referer atoms someone might add to the format.
    cfg.set("access_log_format", cfg.access_log_format + ' "%({raw_uri}e)s" "%({referer}i)s"')
    log = logger_class(cfg)
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    for env in requests:
        req = SimpleNamespace(headers=[("REFERER", env["HTTP_REFERER"])])
        log.access(resp, req, env, timedelta(milliseconds=3))
    for handler in log.access_log.handlers:
        handler.flush()
    return path.read_text()


SECRET_REQUESTS = [
    environ(f"/manage/invitation/{TOKEN}/"),
    environ(f"/accounts/password/reset/key/{KEY}/"),
    environ(f"/accounts/confirm-email/{KEY}/"),
    environ(
        "/manage/invitation/", referer=f"https://docket.example.org/manage/invitation/{TOKEN}/"
    ),
    environ("/search/", query=f"q=Robin+Hale&token={TOKEN}"),
]


def test_secrets_in_urls_never_reach_the_access_log(tmp_path: Path) -> None:
    written = log_lines(tmp_path, RedactingLogger, *SECRET_REQUESTS)
    assert TOKEN not in written
    assert KEY not in written
    assert "Robin" not in written
    assert "/manage/invitation/[redacted]/" in written
    assert "/accounts/password/reset/key/[redacted]/" in written
    assert "https://docket.example.org/manage/invitation/[redacted]/" in written
    assert written.count("\n") == len(SECRET_REQUESTS)


def test_the_plain_gunicorn_logger_would_have_written_them(tmp_path: Path) -> None:
    from gunicorn.glogging import Logger

    assert TOKEN in log_lines(tmp_path, Logger, *SECRET_REQUESTS)


def test_other_paths_are_logged_as_they_are() -> None:
    assert redact_path("/cases/2013-004/") == "/cases/2013-004/"
    assert redact_path("/report/follow/?left=1") == "/report/follow/?…"


def test_docket_serve_runs_gunicorn_with_the_redacting_logger(monkeypatch) -> None:
    seen: dict[str, list[str]] = {}

    def fake_execv(path: str, argv: list[str]) -> None:
        seen["argv"] = list(argv)

    monkeypatch.setattr(os, "execv", fake_execv)
    for name in ("DOCKET_SITE_URL", "DJANGO_SETTINGS_MODULE"):
        if name in os.environ:
            monkeypatch.setenv(name, os.environ[name])
        else:
            monkeypatch.delenv(name, raising=False)
    call_command("serve", "--no-collectstatic", "--bind", "127.0.0.1:8999", stdout=io.StringIO())
    argv = seen["argv"]
    assert argv[argv.index("--logger-class") + 1] == "docket.ops.accesslog.RedactingLogger"
