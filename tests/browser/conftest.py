"""Browser tests: Playwright driving Debian's Chromium (no browser download), skipped when it is absent."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

# Playwright's sync API runs its own event loop; Django's async-safety check would
# otherwise refuse the ORM calls the tests make around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_found() -> bool:
    return os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


SKIP_REASON = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"


def pytest_collection_modifyitems(config, items):
    if _chromium_found():
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say in one line, even under -q, whether the browser tests ran or why they did not."""
    browser = [r for key in ("passed", "failed", "skipped", "error") for r in terminalreporter.stats.get(key, [])
               if "tests/browser/" in getattr(r, "nodeid", "")]
    if not browser:
        return
    if _chromium_found():
        terminalreporter.write_line(f"Browser tests: ran {len(browser)} with {CHROMIUM}; screenshots in {SCREENSHOTS}")
    else:
        terminalreporter.write_line(f"Browser tests: SKIPPED ({len(browser)}): {SKIP_REASON}", yellow=True, bold=True)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, settings):
    """A 1366x768 office screen whose browser asks for Chinese, as the offices' browsers do."""
    settings.DEBUG = False
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(params=["zh-CN", "en-US"])
def page_in_each_language(request, chromium, live_server, settings):
    """The office screen twice: a browser asking for Chinese, then one asking for English
    (Accept-Language, as an office's browser does); ``page.locale`` says which."""
    settings.DEBUG = False
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale=request.param,
                                   base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.locale = request.param
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
