"""The foundation: migrations complete, production settings pass Django's deploy checks,
a strict Content-Security-Policy on every page, nothing inline in the pages we render,
and the sign-in and dashboard pages."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def test_every_model_change_has_a_migration(db: None) -> None:
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(
            f"A model change has no migration (exit {exc.code}); run `docket makemigrations`."
        )


def test_production_settings_pass_the_deploy_checks(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DOCKET_")
        # the browser fixtures set DJANGO_ALLOW_ASYNC_UNSAFE for this process only
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env |= {
        "DOCKET_PRODUCTION": "1",
        "DOCKET_SECRET_KEY": secrets.token_urlsafe(64),
        "DOCKET_ALLOWED_HOSTS": "docket.example.org",
        "DOCKET_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "docket.cli", "check", "--deploy", "--fail-level", "DEBUG"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


class _InlineFinder(HTMLParser):
    """Collects everything a strict CSP would block: style attributes, event-handler
    attributes, <style> elements, inline scripts, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action"} and (value or "").strip().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.problems.append("<style>")
        if tag == "script" and not named.get("src") and named.get("type") != "application/json":
            self.problems.append("inline <script>")


def _inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.problems


@pytest.fixture
def signed_in(client: Client, make_user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(make_user(name="Jordan Lee"))
    return client


def _csp(response) -> str:  # type: ignore[no-untyped-def]
    return str(response.headers.get("Content-Security-Policy", ""))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["account_login", "account_reset_password", "account_signup", "web:healthz"]
)
def test_anonymous_pages_have_a_strict_csp_and_nothing_inline(
    client: Client, url_name: str
) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    policy = _csp(response)
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert _inline_problems(response.content.decode()) == []


@pytest.mark.parametrize(
    "url_name", ["web:dashboard", "mfa_index", "account_email", "account_change_password"]
)
def test_signed_in_pages_have_a_strict_csp_and_nothing_inline(
    signed_in: Client, url_name: str
) -> None:
    response = signed_in.get(reverse(url_name))
    assert response.status_code == 200
    assert "'unsafe-inline'" not in _csp(response)
    assert "default-src 'none'" in _csp(response)
    assert _inline_problems(response.content.decode()) == []


# allauth templates that carry an inline style but that Docket's configuration never
# renders; the test below proves the configuration still keeps them out of reach.
_UNREACHABLE = {
    "account/email_change.html": "ACCOUNT_CHANGE_EMAIL is off: email.html is used instead",
    "account/phone_change.html": "Docket does not sign in by phone",
}


def test_allauth_templates_we_can_render_have_nothing_inline(settings) -> None:  # type: ignore[no-untyped-def]
    import allauth

    assert not getattr(settings, "ACCOUNT_CHANGE_EMAIL", False)
    assert "phone" not in str(getattr(settings, "ACCOUNT_LOGIN_METHODS", ""))
    shipped = Path(allauth.__file__).parent / "templates"
    checked = 0
    for path in sorted(shipped.glob("*/**/*.html")):
        name = path.relative_to(shipped).as_posix()
        if not name.startswith(("account/", "mfa/", "allauth/")) or name in _UNREACHABLE:
            continue
        origin = Path(get_template(name).origin.name)  # type: ignore[attr-defined]
        assert _inline_problems(origin.read_text()) == [], f"{name} ({origin})"
        checked += 1
    assert checked > 50


@pytest.mark.django_db
def test_the_dashboard_asks_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_layout_shows_who_is_signed_in_and_signs_out_by_post(signed_in: Client) -> None:
    html = signed_in.get(reverse("web:dashboard")).content.decode()
    assert 'lang="en"' in html
    assert 'href="#main"' in html
    assert 'id="main"' in html
    assert "Signed in as Jordan Lee" in html
    assert f'method="post" action="{reverse("account_logout")}"' in html
    assert "<h1>Dashboard</h1>" in html


@pytest.mark.django_db
def test_the_sign_in_page_does_not_offer_sign_up(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in html
    assert "Use the email address and password your organization gave you." in html
    assert "htmx-2.0.11.min.js" in html


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit() -> None:
    """JIT compiling the access filters cost more than running them (docs/operations.md)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
