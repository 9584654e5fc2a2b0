"""Browser fixtures: Debian's Chromium driven by Playwright, against pytest-django's
``live_server``.

Fixtures:

- ``browser``: one headless Chromium per session.
- ``page``: a fresh context and page per test; the test fails if the page logs any
  console error (a Content-Security-Policy violation, a resource that failed to load)
  or raises an uncaught JavaScript error (``page_problems`` lists them; a test that
  expects one removes it from that list).
- ``sign_in``: ``sign_in(page, user, password=TEST_PASSWORD)`` signs in through the real
  sign-in page (uses ``live_server``, so the test gets a transactional database).
- ``assert_accessible``: ``assert_accessible(page, name)`` saves a screenshot to
  ``test-artifacts/<name>.png`` and fails with axe-core's report on any violation.
- ``screenshot``: ``screenshot(page, name)`` saves ``test-artifacts/<name>.png``.

Every test under tests/browser/ is marked ``browser`` automatically.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("DOCKET_CHROMIUM", "/usr/bin/chromium")
# Headless, and kept off the network: no background fetches, updates, sync or QUIC.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
_AXE = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser/ ``browser`` and run them last: once Chromium
    is up, Playwright's event loop makes Django's async-safety check fire on plain ORM
    calls, so the ``browser`` fixture turns that check off for the rest of the run."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}; `make test` installs it when it can.")
    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the
    # tests make between browser steps are still plain synchronous code. Browser tests
    # run last (see above), so every other test keeps Django's async-safety check.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page_problems() -> list[str]:
    """Console errors and uncaught JavaScript errors the ``page`` saw. A test that expects
    one (a page that answers 404 on purpose) checks it and removes it from this list."""
    return []


@pytest.fixture
def page(browser: Browser, page_problems: list[str]) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    # Any console error fails the test: CSP violations ("Refused to …"), missing static
    # files and favicons ("Failed to load resource"), script errors.
    pg.on("console", lambda msg: page_problems.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: page_problems.append(f"JavaScript error: {exc}"))
    yield pg
    context.close()
    assert not page_problems, "The page reported problems:\n" + "\n".join(page_problems)


def _screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _assert_accessible(page: Page, name: str, **axe_options: Any) -> None:
    _screenshot(page, name)
    results = _AXE.run(page, options=axe_options or {"resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    return _screenshot


@pytest.fixture
def assert_accessible() -> Callable[..., None]:
    return _assert_accessible


@pytest.fixture
def sign_in(live_server: Any, test_password: str) -> Callable[..., None]:
    def sign_in(page: Page, user: Any, password: str = test_password) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(f"{live_server.url}/")

    return sign_in
