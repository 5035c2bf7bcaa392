"""axe-core runs on every page the journeys visit: the collector itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.axe import AxeCollector, report
from tests.browser.conftest import DESKTOP


def html(title: str, body: str) -> str:
    """A small page that passes axe but for what `body` brings."""
    return (
        f'<!doctype html><html lang="en"><head><title>{title}</title></head>'
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )


UNLABELLED = html(
    "Form",
    '<input type="text" name="nameless"><p id="pale" style="color:#bbb">Pale text</p>'
    '<p><a href="/two">On</a></p>',
)
PLAIN = html("Plain", "<p>Nothing wrong here.</p>")


@pytest.fixture
def bare_page(browser) -> Iterator[object]:
    """A page with a collector of its own, left out of the end-of-test assertion."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.axe = AxeCollector(page)
    yield page
    page.unroute_all(behavior="ignoreErrors")
    context.close()


def test_the_collector_reports_an_unlabelled_field_and_pale_text(bare_page):
    bare_page.set_content(UNLABELLED)
    bare_page.axe.check()
    severe = {(v.rule, v.impact, v.targets) for v in bare_page.axe.severe()}
    assert ("label", "critical", ("input",)) in severe
    assert ("color-contrast", "serious", ("#pale",)) in severe
    message = report(bare_page.axe.severe())
    assert "about:blank" in message and "label (critical)" in message and "      input" in message


def test_a_page_left_before_it_has_loaded_is_checked_before_the_next_one_shows(bare_page):
    one, two = "http://site.test/one", "http://site.test/two"
    pages = {one: UNLABELLED.replace("</main>", '<img src="/slow.png" alt=""></main>'), two: PLAIN}

    def serve(route):
        if route.request.url.endswith("/slow.png"):
            bare_page.wait_for_timeout(300)  # the first page's load event waits for it
            route.fulfill(body=b"", content_type="image/png")
        else:
            route.fulfill(body=pages[route.request.url], content_type="text/html")

    bare_page.context.route("http://site.test/**", serve)
    checked_when_shown = {}
    bare_page.on(
        "framenavigated", lambda f: checked_when_shown.setdefault(f.url, bare_page.axe.pages[:])
    )
    bare_page.goto(one, wait_until="commit")
    bare_page.goto(two)  # before the first page has loaded, so before axe could start there
    assert checked_when_shown[two] == [one]
    assert {(v.url, v.rule) for v in bare_page.axe.severe()} == {
        (one, "label"),
        (one, "color-contrast"),
    }
    bare_page.axe.check()
    assert bare_page.axe.pages[-1] == two
