"""axe-core in the browser journeys: every document a page loads is checked, none is missed.

How, and why this way: an init script puts axe-core into every document, runs it when the
document has loaded and reports through an exposed binding. A route handler holds each
main-frame navigation until the document being left has reported, so a test that moves on
at once cannot outrun the check: no timing guess decides what is checked. (The handler
cannot run axe itself: Chromium answers no evaluation while a navigation is pending.)
A new document is known from the main frame's new address and from the document itself
(the same address loaded again); a page that changed its address by `history.pushState`
would need the same, and the portal has none. `AxeCollector.check` runs axe again on the
page as the test leaves it at the end, called by the end-of-test hook in conftest.py.
axe-core comes inside the axe-playwright-python wheel: nothing is downloaded.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urldefrag

from axe_playwright_python.base import AXE_SCRIPT

SEVERE = ("serious", "critical")
# Moderate rules the portal once broke (issue 9); tests of the pages concerned assert them.
FIXED_MODERATE = ("landmark-unique", "heading-order", "scrollable-region-focusable")
REPORT_TIMEOUT_S = 15.0
# Pages only: assets and chart data go past untouched, with no trip through this process.
PAGE_REQUESTS = re.compile(r"^(?!.*(?:/static/|/api/|\.json(?:\?|$)))")
_NEW_DOCUMENT = "__axeNewDocument"  # the bindings the script below calls
_REPORT = "__axeReport"

# Checks run one after another (axe refuses to run twice at once). The empty page a tab
# opens on is not checked; a failure of axe itself is reported as a critical violation.
_GLUE = """
;(() => {
  let last = Promise.resolve();
  const blank = () => location.href === "about:blank" && !document.body?.childElementCount;
  const failed = error => [{id: "axe-error", impact: "critical", help: String(error), nodes: []}];
  window.__axeCheck = () => (last = last.then(() => blank() ? null
    : axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations, failed))
    .then(violations => ({url: location.href, violations})));
  addEventListener("load", () => window.__axeCheck().then(report => window.__axeReport(report)));
})();
"""
# Only top documents are checked: the portal has no frames.
IN_EVERY_DOCUMENT = (
    "if (window.top === window && !window.__axeCheck) {\n"
    "window.__axeNewDocument?.();\n" + AXE_SCRIPT + _GLUE + "}\n"
)


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on one page, with the selectors of the offending nodes."""

    url: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def describe(self) -> str:
        """The violation as the lines of a failure message."""
        nodes = "\n".join(f"      {target}" for target in self.targets)
        return f"  {self.url}\n    {self.rule} ({self.impact}): {self.help}\n{nodes}"


class AxeCollector:
    """Runs axe on each document a Playwright page loads and keeps what it finds."""

    def __init__(self, page) -> None:
        self.page = page
        self.pages: list[str] = []
        self.violations: list[Violation] = []
        self._url = page.url
        self._reported = False  # the document on screen has sent its load-time report
        page.expose_binding(_NEW_DOCUMENT, lambda _source: self._new_document())
        page.expose_binding(_REPORT, lambda _source, report: self._loaded(report))
        page.add_init_script(IN_EVERY_DOCUMENT)
        page.on("framenavigated", self._navigated)
        page.route(PAGE_REQUESTS, self._hold_navigation)

    def check(self) -> None:
        """Run axe on the page as it is now and keep what it finds."""
        if not self.page.is_closed():
            self.page.evaluate(IN_EVERY_DOCUMENT)  # for a document the init script missed
            self._record(self.page.evaluate("() => window.__axeCheck()"))

    def severe(self) -> list[Violation]:
        """The serious and critical violations found so far."""
        return [v for v in self.violations if v.impact in SEVERE]

    def of_rules(self, rules: tuple[str, ...]) -> list[Violation]:
        """The violations of the given rules found so far, whatever their impact."""
        return [v for v in self.violations if v.rule in rules]

    def _record(self, report: dict) -> None:
        if report["violations"] is None:
            return
        self.pages.append(report["url"])
        for found in report["violations"]:
            violation = _violation(report["url"], found)
            if violation not in self.violations:
                self.violations.append(violation)

    def _loaded(self, report: dict) -> None:
        self._record(report)
        self._reported = True

    def _new_document(self) -> None:
        self._reported = False

    def _navigated(self, frame) -> None:
        # Known at once, before the test can act on the new page, where the new document's
        # own word may come a moment later; a jump to an anchor keeps the document.
        if frame == self.page.main_frame:
            if urldefrag(frame.url).url != urldefrag(self._url).url:
                self._reported = False
            self._url = frame.url

    def _hold_navigation(self, route, request) -> None:
        # One departure can send more than one request (Chromium restarts some), so every
        # request waits for the same report rather than each claiming one.
        leaving = self.page.url
        if (
            request.is_navigation_request()
            and request.frame == self.page.main_frame
            and leaving != "about:blank"
        ):
            self._wait_for_report(leaving)
        route.fallback()

    def _wait_for_report(self, url: str) -> None:
        deadline = time.monotonic() + REPORT_TIMEOUT_S
        while not self._reported:
            if time.monotonic() > deadline:
                help_ = "no axe report came before the page was left"
                self.violations.append(Violation(url, "axe-did-not-report", "critical", help_, ()))
                return
            self.page.wait_for_timeout(5)


def _violation(url: str, found: dict) -> Violation:
    targets = tuple(" ".join(map(str, node["target"])) for node in found["nodes"])
    return Violation(url, found["id"], found["impact"], found["help"], targets)


def report(violations: list[Violation]) -> str:
    """A failure message naming each page, rule and offending node."""
    lines = [f"axe found {len(violations)} accessibility violation(s):"]
    lines.extend(v.describe() for v in violations)
    return "\n".join(lines)
