"""A live server on loopback and Debian's Chromium driven by Playwright (never downloaded)."""
from __future__ import annotations

import os
import re
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, live_server, locale: str = "zh-CN"):
    """A page (in its own context) that may talk to the app only: any other request is
    blocked and recorded in ``page.outside_requests``. The caller closes ``page.context``."""
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.outside_requests = []

    def guard(route):
        page.outside_requests.append(route.request.url)
        route.abort()

    # Only requests that leave the app are routed (matched in the browser's driver): the app's
    # own pages and files load without a round trip through this process.
    page.route(re.compile(rf"^(?!{re.escape(live_server)}/)"), guard)
    return page


@pytest.fixture
def page(browser, live_server):
    page = new_page(browser, live_server)
    yield page
    page.context.close()


def log_in(page, live_server, username: str, lang: str) -> None:
    """Choose the language on the login page, then sign in through the form."""
    from tests.factories import PASSWORD

    page.goto(f"{live_server}/lang/{lang}")
    page.goto(f"{live_server}/login/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()
