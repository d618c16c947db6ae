"""axe-core on every page a browser test shows: what the `axe` fixture in conftest.py runs.

Checks happen at safe points, never inside a Playwright event handler: before each action a
test takes on a page (goto, click, fill, select, screenshot, close...) and when the test ends.
A check runs only when the page has changed since the last one: a new document, or an htmx
swap (counted by an init script). Pages without JavaScript cannot run axe themselves (no
timers or promises), so their DOM is copied into a scripted page of the same size, with
scripts blocked and <noscript> unwrapped, and checked there.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Error, Locator, Page

AXE_SCRIPT = Axe().axe_script
# Every rule axe enables by default: WCAG 2.0-2.2 A and AA, and its best practices.
AXE_OPTIONS = {"resultTypes": ["violations"]}
COUNT_SWAPS = """
window.__axeSwaps = 0;
document.addEventListener("htmx:afterSettle", () => { window.__axeSwaps += 1; });
"""
SETTLED = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
RUN_AXE = """async (options) => {
  const swaps = window.__axeSwaps || 0;
  const results = await axe.run(document, options);
  return {swaps, changed: (window.__axeSwaps || 0) !== swaps, violations: results.violations};
}"""
PAGE_ACTIONS = (
    "goto reload go_back go_forward click dblclick tap fill type press check uncheck set_checked "
    "select_option set_input_files hover focus drag_and_drop dispatch_event screenshot close"
).split()
LOCATOR_ACTIONS = (
    "click dblclick tap fill clear type press press_sequentially check uncheck set_checked "
    "select_option set_input_files hover focus blur drag_to dispatch_event screenshot select_text"
).split()


@dataclass
class Finding:
    url: str
    viewport: str
    rule: str
    impact: str
    help: str
    help_url: str
    targets: list[str]
    summary: str

    def key(self):
        return (urldefrag(self.url).url, self.viewport, self.rule, tuple(self.targets))


@dataclass
class AxeWatch:
    """The pages of one test, what they showed and what axe found there."""

    browser: object
    pages: dict = field(default_factory=dict)  # Page -> {"js": bool}
    visited: dict = field(default_factory=dict)  # url -> page description
    checked: set = field(default_factory=set)
    findings: dict = field(default_factory=dict)
    checks: int = 0
    _busy: bool = False
    _audit_context: BrowserContext | None = None

    # -- set-up --------------------------------------------------------------------------
    def watch_context(self, context: BrowserContext, *, javascript: bool) -> None:
        if javascript:
            context.add_init_script(COUNT_SWAPS)
        context.on("page", lambda page: self._watch_page(page, javascript))

    def _watch_page(self, page: Page, javascript: bool) -> None:
        # Only records: a handler must not call back into Playwright.
        self.pages[page] = {"js": javascript}

        def navigated(frame):
            if frame.parent_frame is None and frame.url.startswith("http"):
                self.visited.setdefault(urldefrag(frame.url).url, True)

        page.on("framenavigated", navigated)

    # -- checks --------------------------------------------------------------------------
    def before_action(self, page: Page) -> None:
        if not self._busy and page in self.pages:
            self.check(page)

    def check(self, page: Page) -> None:
        """Run axe on `page` now if it changed since its last check."""
        if page.is_closed() or not page.url.startswith("http") or self._busy:
            return
        self._busy = True
        try:
            for _attempt in range(3):
                try:
                    self._check_once(page)
                    return
                except Error as error:  # a navigation replaced the document mid-check
                    if "context was destroyed" not in str(error) and "navigat" not in str(error):
                        raise
                    page.wait_for_load_state("load")
        finally:
            self._busy = False

    def _check_once(self, page: Page) -> None:
        page.wait_for_load_state("load")
        if self.pages[page]["js"]:
            # Let an htmx swap in progress finish and settle (its URL is pushed at the end).
            try:
                page.wait_for_function(SETTLED, timeout=5_000)
            except Error:
                pass  # a page that keeps polling: check it as it is
        state = page.evaluate("() => [window.__axeSwaps || 0, window.__axeChecked, location.href]")
        if state[0] == state[1] and urldefrag(state[2]).url in self.checked:
            return
        url = page.url
        size = page.viewport_size or {"width": 0, "height": 0}
        viewport = f"{size['width']}x{size['height']}"
        if self.pages[page]["js"]:
            violations = self._run_in(page)
        else:
            violations = self._run_on_copy(page, url, size)
        page.evaluate("(swaps) => { window.__axeChecked = swaps; }", state[0])
        self.checks += 1
        self.checked.add(urldefrag(url).url)
        for violation in violations:
            for node in violation["nodes"]:
                finding = Finding(
                    url=url,
                    viewport=viewport,
                    rule=violation["id"],
                    impact=violation.get("impact") or "",
                    help=violation["help"],
                    help_url=violation["helpUrl"],
                    targets=[str(target) for target in node["target"]],
                    summary=(node.get("failureSummary") or "").replace("\n", " "),
                )
                self.findings.setdefault(finding.key(), finding)

    @staticmethod
    def _run_in(page: Page) -> list:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SCRIPT)
        for _attempt in range(3):  # an htmx swap landed during the run: look again
            result = page.evaluate(RUN_AXE, AXE_OPTIONS)
            if not result["changed"]:
                break
        return result["violations"]

    def _run_on_copy(self, page: Page, url: str, size: dict) -> list:
        html = page.evaluate("() => '<!DOCTYPE html>' + document.documentElement.outerHTML")
        # Without scripts the browser renders what is inside <noscript>; keep that.
        html = re.sub(r"</?noscript>", "", html)
        if self._audit_context is None:
            self._audit_context = self.browser.new_context()
        audit = self._audit_context.new_page()
        audit.set_viewport_size(size)

        def serve(route):
            request = route.request
            if request.resource_type == "document":
                route.fulfill(body=html, content_type="text/html; charset=utf-8")
            elif request.resource_type == "script":
                route.abort()
            else:
                route.continue_()

        audit.route("**/*", serve)
        audit.goto(url)
        try:
            return self._run_in(audit)
        finally:
            audit.close()

    # -- the end of the test -------------------------------------------------------------
    def finish(self) -> None:
        for page in list(self.pages):
            if not page.is_closed():
                self.check(page)
        if self._audit_context is not None:
            self._audit_context.close()

    def report(self) -> str:
        lines = []
        unchecked = sorted(set(self.visited) - self.checked)
        if unchecked:
            lines.append("Pages shown but never checked by axe (check them with axe.check(page)):")
            lines += [f"  {url}" for url in unchecked]
        if self.findings:
            lines.append(f"{len(self.findings)} accessibility violation(s) found by axe-core:")
            by_page: dict = {}
            for finding in self.findings.values():
                by_page.setdefault((finding.url, finding.viewport), []).append(finding)
            for (url, viewport), findings in by_page.items():
                lines.append(f"{url} at {viewport}:")
                for finding in findings:
                    lines.append(
                        f"  {finding.rule} [{finding.impact}] {' '.join(finding.targets)}"
                        f"\n      {finding.help}: {finding.summary[:300]}"
                    )
        return "\n".join(lines)


def patch_actions(monkeypatch, watch: AxeWatch) -> None:
    """Make every action on a page check that page first (the page as the person saw it)."""

    def wrap(method, page_of):
        def checked_first(self, *args, **kwargs):
            watch.before_action(page_of(self))
            return method(self, *args, **kwargs)

        checked_first.__wrapped__ = method
        return checked_first

    for name in PAGE_ACTIONS:
        monkeypatch.setattr(Page, name, wrap(getattr(Page, name), lambda page: page))
    for name in LOCATOR_ACTIONS:
        monkeypatch.setattr(Locator, name, wrap(getattr(Locator, name), lambda loc: loc.page))

    original_close = BrowserContext.close

    def close(self, *args, **kwargs):
        for page in self.pages:
            watch.before_action(page)
        return original_close(self, *args, **kwargs)

    monkeypatch.setattr(BrowserContext, "close", close)
