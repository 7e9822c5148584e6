"""Browser fixtures for the guide: Debian chromium through Playwright, at a
phone's size, with every page problem collected (JavaScript errors, console
errors, CSP violations, any request that leaves the live server)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.chromium import CHROMIUM, CHROMIUM_ARGS

PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# Runs before any page script (through the DevTools protocol, so the page's
# CSP does not apply to it): records CSP violations for the test to check.
# What the guide may ask its own server for: its pages, its static files,
# the public API, photos and audio, and its service worker. Nothing else
# (no staff API, no admin, no OGC): the guide uses the public API only.
GUIDE_PATHS = re.compile(r"^/(api/v1/|static/|media/|sw\.js$|(tr|en|de)/|$)")

RECORD_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture
def chromium(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the test's
    # own ORM calls are synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Phone:
    """A phone-sized browser context on the live server; `problems` collects
    everything that must not happen."""

    def __init__(self, browser, base_url: str, **context_options):
        self.base_url = base_url
        self.problems: list[str] = []
        self.requests: list[str] = []
        options = {"viewport": PHONE, "locale": "en-GB", "service_workers": "allow", **context_options}
        self.context = browser.new_context(**options)
        self.context.add_init_script(RECORD_CSP)
        self.context.on("request", self._request)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        self.page.on("console", self._console)

    def _request(self, request):
        self.requests.append(request.url)
        if request.url.startswith(("data:", "blob:")):
            return
        if not request.url.startswith(self.base_url):
            self.problems.append(f"left the server: {request.url}")
        elif not GUIDE_PATHS.match(request.url[len(self.base_url):]):
            self.problems.append(f"not the public API: {request.url}")

    def _console(self, message):
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.problems.append(f"console error: {message.text}")

    def open(self, path: str):
        self.page.goto(f"{self.base_url}{path}")
        self.page.wait_for_selector("body[data-ready]", timeout=30_000)
        ready = self.page.evaluate("document.body.dataset.ready")
        assert ready == "true", self.page.inner_text("#error-banner")
        return self.page

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp || []")

    def axe(self) -> list[str]:
        """axe-core's serious and critical violations on the current page."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [
            f"{violation['id']} ({violation['impact']}): {[n['target'] for n in violation['nodes']][:3]}"
            for violation in result["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]

    def screenshot(self, name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))

    def close(self):
        self.context.close()


@pytest.fixture
def phone(chromium, live_server):
    phones = []

    def make(**options) -> Phone:
        phones.append(Phone(chromium, live_server.url, **options))
        return phones[-1]

    yield make
    for made in phones:
        made.close()
