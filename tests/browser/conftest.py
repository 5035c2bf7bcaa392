"""Playwright in Debian's chromium against the app served from a thread of this process.

Journeys of every feature use these fixtures: `live_url` for the server and
`phone` / `desktop` for a fresh page at that size. axe-core checks every page those
fixtures show, and a test fails when one has a serious or critical violation (see
axe.py). Nothing here downloads a browser.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.browser.axe import AxeCollector, report

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
AXE_COLLECTORS = pytest.StashKey[list[AxeCollector]]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After a test that passed, check the pages it ends on too; fail on a severe violation."""
    result = yield
    severe = []
    for collector in item.stash.get(AXE_COLLECTORS, []):
        collector.check()
        severe += collector.severe()
    if severe:
        pytest.fail(report(severe), pytrace=False)
    return result


@pytest.fixture(scope="session")
def live_url(app: Flask) -> Iterator[str]:
    """The app served on a free loopback port by a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `make chromium` (apt-get install -y chromium)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


class PageErrors(list):
    """Console errors and uncaught exceptions seen on a page."""


def _page(request, browser, viewport: dict, has_touch: bool) -> Iterator[object]:
    context = browser.new_context(viewport=viewport, has_touch=has_touch, locale="en-GB")
    page = context.new_page()
    errors = PageErrors()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    page.axe = AxeCollector(page)
    request.node.stash.setdefault(AXE_COLLECTORS, []).append(page.axe)
    page.set_default_timeout(10_000)
    yield page
    page.unroute_all(behavior="ignoreErrors")
    context.close()


@pytest.fixture
def phone(request, browser) -> Iterator[object]:
    """A fresh page at phone size (390×844, touch)."""
    yield from _page(request, browser, PHONE, has_touch=True)


@pytest.fixture
def narrow_phone(request, browser) -> Iterator[object]:
    """A fresh page at the narrowest phone size the portal supports (360×740, touch)."""
    yield from _page(request, browser, NARROW_PHONE, has_touch=True)


@pytest.fixture
def desktop(request, browser) -> Iterator[object]:
    """A fresh page at desktop size."""
    yield from _page(request, browser, DESKTOP, has_touch=False)


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when it fits)."""
    page.wait_for_load_state()  # measured with the page's stylesheet applied
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def small_tap_targets(page) -> list[str]:
    """Visible links, buttons and inputs smaller than 44×44 CSS pixels (inline text links aside)."""
    page.wait_for_load_state()  # before the stylesheet applies, every target looks small
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'button, input:not([type=hidden]), select, textarea, a.button, nav a, td a, th a'))
            .filter(el => el.offsetParent !== null)
            .filter(el => { const r = el.getBoundingClientRect();
                            return r.height < 44 || r.width < 44; })
            .map(el => el.outerHTML.slice(0, 80))"""
    )


def unlabelled_fields(page) -> list[str]:
    """Visible form fields without a visible <label> naming them."""
    page.wait_for_load_state()
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'input:not([type=hidden]):not([type=submit]), select, textarea'))
            .filter(el => el.offsetParent !== null)
            .filter(el => !Array.from(el.labels || []).some(l => l.offsetParent !== null
                                                                && l.innerText.trim()))
            .map(el => el.outerHTML.slice(0, 80))"""
    )


def log_in(page, base: str, login: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
