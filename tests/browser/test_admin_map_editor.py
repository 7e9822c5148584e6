"""A real browser (Debian chromium, headless, through Playwright) on the admin
map editor: an editor plots a site by clicking on the map, saves a draft that
the public API does not show, and a reviewer publishes it.

Run with `pytest -m browser`. The server is pytest-django's live_server (a
free port, transactional database); no network beyond loopback is used. A
screenshot of the map editor is kept in test-artifacts/.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.urls import Resolver404, resolve
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from editorial import workflow
from editorial.vocabularies import Status
from sites.models import Site
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import RouteFactory, SiteFactory

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "correct-horse-battery-staple"

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after a live-server test would otherwise
    # wipe rows that migrations seed (periods, groups) for the tests after it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]


def staff_user(username: str, group: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def public_site_endpoint(slug: str) -> str | None:
    """The public detail URL, when that endpoint is installed."""
    url = f"/api/v1/sites/{slug}"
    try:
        resolve(url)
    except Resolver404:
        return None
    return url


@pytest.fixture
def browser(monkeypatch):
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the test's
    # own ORM calls are synchronous and safe, so Django's guard is lifted.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in(browser, base_url: str, username: str, problems: list[str]):
    """A signed-in page; JavaScript errors and any request leaving the live
    server (a CDN, a tile server) are collected in `problems`."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    # Anything the Content-Security-Policy blocks is reported on the console.
    page.on(
        "console",
        lambda message: (
            problems.append(f"CSP: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "request",
        lambda request: None if request.url.startswith(base_url) else problems.append(f"left: {request.url}"),
    )
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    return page


def test_an_editor_plots_a_draft_on_the_map_that_stays_private_until_a_reviewer_publishes_it(
    live_server, browser
):
    staff_user("eda", workflow.EDITOR_GROUP)
    staff_user("rifat", workflow.REVIEWER_GROUP)
    slug = "browser-plotted-fountain"
    # Context for the map: a route and a few sites around Konak.
    route = RouteFactory(status=Status.PUBLISHED)
    for index in range(2):
        SiteFactory(location=Point(27.13 + index * 0.004, 38.419 + index * 0.002, srid=4326))
    SiteFactory(slug="hostile-name", name={"tr": "<img src=x onerror=window.__owned=1>"}, status=Status.DRAFT)
    problems: list[str] = []

    # The editor plots the site by clicking on the map (no basemap: the map
    # shows our own layers only) and saves it as a draft.
    page = log_in(browser, live_server.url, "eda", problems)
    page.goto(f"{live_server.url}/admin/sites/site/add/")
    page.fill("input[name=name_tr]", "Tarayıcı Çeşmesi")
    page.fill("input[name=name_en]", "Browser fountain <b>test</b>")
    page.fill("#id_slug", slug)
    page.select_option("#id_kind", "fountain")
    map_box = page.locator("#id_location-map")
    map_box.scroll_into_view_if_needed()
    # The other sites and the route are drawn under the widget, from our view.
    page.wait_for_selector("#id_location-map[data-heritage-overlay='4']")
    page.locator("#id_location-map .leaflet-draw-draw-marker").click()
    box = map_box.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2 + 30)
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2 + 30)
    page.wait_for_function("document.getElementById('id_location').value.includes('Point')")
    ARTIFACTS.mkdir(exist_ok=True)
    map_box.screenshot(path=str(ARTIFACTS / "admin-map-editor.png"))
    page.screenshot(path=str(ARTIFACTS / "admin-map-editor-page.png"), full_page=True)
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/sites/site/")

    site = Site.objects.get(slug=slug)
    assert site.status == Status.DRAFT
    west, south, east, north = settings.HERITAGE_SERVICE_AREA
    assert west < site.location.x < east
    assert south < site.location.y < north
    assert site.name == {"tr": "Tarayıcı Çeşmesi", "en": "Browser fountain <b>test</b>"}

    endpoint = public_site_endpoint(slug)
    if endpoint:
        assert page.request.get(f"{live_server.url}{endpoint}").status == 404

    # An editor is not even offered "publish".
    page.goto(f"{live_server.url}/admin/sites/site/")
    assert "publish" not in page.locator("select[name=action] option").evaluate_all(
        "options => options.map(o => o.value)"
    )

    # The reviewer publishes it with the admin action.
    review = log_in(browser, live_server.url, "rifat", problems)
    review.goto(f"{live_server.url}/admin/sites/site/?status__exact=draft")
    review.check(f"input[name=_selected_action][value='{site.pk}']")
    review.select_option("select[name=action]", "publish")
    review.click("button[name=index]")
    review.wait_for_selector("ul.messagelist")
    assert "Published" in review.locator("ul.messagelist").inner_text()

    site.refresh_from_db()
    assert site.status == Status.PUBLISHED
    if endpoint:
        response = review.request.get(f"{live_server.url}{endpoint}")
        assert response.status == 200
        assert slug in response.text()
    assert os.path.getsize(ARTIFACTS / "admin-map-editor.png") > 5_000

    # The route editor draws the stored path (a LineString) on its line
    # widget without a JavaScript error (collected in `problems`).
    review.goto(f"{live_server.url}/admin/routes/route/{route.pk}/change/")
    review.wait_for_selector("#id_path-map path.leaflet-interactive", state="attached")
    assert "MultiLineString" in review.input_value("#id_path")

    # The change-list map shows a name holding HTML as text, never as markup.
    review.goto(f"{live_server.url}/admin/sites/site/?q=onerror")
    review.wait_for_selector("#heritage-changelist-map[data-heritage-overlay='1']")
    # Leaflet adds a marker's path before it has drawn it ("M0 0"): hover a drawn one.
    drawn = "#heritage-changelist-map path.leaflet-interactive:not([d='M0 0'])"
    review.wait_for_selector(drawn)
    tooltip = hover_until_tooltip(review, drawn)
    assert "<img src=x onerror=window.__owned=1>" in tooltip.inner_text()
    assert review.evaluate("window.__owned") is None
    assert route.pk
    assert problems == []


def hover_until_tooltip(page, marker: str, attempts: int = 30):
    """Hover the marker until its tooltip shows, as a person moves the mouse
    again: while the map still animates its fitBounds zoom (seconds on a
    slow machine), the marker moves away from under a single hover."""
    for _ in range(attempts):
        page.locator(marker).first.hover(force=True)
        try:
            return page.wait_for_selector(".leaflet-tooltip", timeout=1_000)
        except PlaywrightTimeoutError:
            page.mouse.move(0, 0)  # leave it, so the next hover is a new mouseover
    raise AssertionError(f"No tooltip after {attempts} hovers of {marker}")
