"""The tourist's guide at / in a real browser (Debian chromium, headless,
390×844): the day on a route as a person goes through it. Every request
stays on the live server, the pages run under their strict CSP without a
violation, and axe-core finds nothing serious or critical. Screenshots are
kept in test-artifacts/."""

import pytest

from sites.models import Site

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the flush after a live-server test would otherwise
    # wipe rows that migrations seed (periods, groups) for the tests after it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUTE = "8500-years-in-one-day"
OFFICIAL_ORDER = [
    "yesilova-hoyuk",
    "yassitepe-hoyuk",
    "old-smyrna-bayrakli",
    "smyrna-agora",
    "kemeralti-bazaar",
]
YESILOVA = (27.21385, 38.44174)
YASSITEPE = (27.21044, 38.44784)
OLD_SMYRNA = (27.17031, 38.46432)


def clean(phone) -> None:
    assert phone.problems == []
    assert phone.csp_violations() == []
    assert phone.axe() == []


def official_stops(page) -> list[str]:
    return page.locator("#stop-list li.stop-official").evaluate_all("items => items.map(i => i.dataset.site)")


def test_home_to_the_route_with_its_official_stops_in_order_then_in_german(izmir, phone):
    tourist = phone()
    page = tourist.open("/")
    assert page.locator("html").get_attribute("lang") == "en"  # follows the browser (en-GB)
    assert "Bizİzmir" in page.inner_text("footer")
    assert "KB" in page.inner_text(f"[data-route='{ROUTE}']")  # offline package size
    tourist.screenshot("guide-home.png")
    clean(tourist)
    assert not any("maplibre" in url for url in tourist.requests)  # the home stays light

    page.click(f"a[href='/en/routes/{ROUTE}']")
    page.wait_for_selector("body[data-ready='true']")
    page.wait_for_selector("#map[data-stops='15']")
    assert official_stops(page) == OFFICIAL_ORDER
    assert "schematic" in page.inner_text("#schematic-note")
    english = page.locator("#stop-list h3").all_inner_texts()
    assert "Neolithic" in page.inner_text("[data-site='yesilova-hoyuk'] .periods")
    assert "6500–4000 BCE" in page.inner_text("[data-site='yesilova-hoyuk'] .periods")
    tourist.screenshot("guide-route.png")
    clean(tourist)

    page.click("nav.languages a[hreflang='de']")
    page.wait_for_selector("html[lang='de'] body[data-ready='true']")
    assert official_stops(page) == OFFICIAL_ORDER
    german = page.locator("#stop-list h3").all_inner_texts()
    assert german != english
    assert "Jungsteinzeit" in page.inner_text("[data-site='yesilova-hoyuk'] .periods")
    # The choice is remembered: "/" now opens in German.
    page.goto(f"{tourist.base_url}/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert tourist.problems == []


def test_a_stop_screen_has_its_story_and_a_listen_control(izmir, phone):
    tourist = phone()
    page = tourist.open(f"/en/routes/{ROUTE}/stops/kizlaragasi-han")
    assert "Kızlarağası Han" in page.inner_text("h1")
    assert "1744" in page.inner_text("#transcript")
    assert page.locator("#listen").is_visible()
    assert page.get_attribute("#listen", "data-source") == "speech"  # no recording uploaded
    assert "Previous stop" in page.inner_text("nav.pager")
    clean(tourist)


def test_follow_mode_walks_the_route_stop_by_stop_and_says_when_off_route(izmir, phone):
    tourist = phone(
        geolocation={"longitude": YESILOVA[0], "latitude": YESILOVA[1], "accuracy": 10},
        permissions=["geolocation"],
    )
    page = tourist.open(f"/en/routes/{ROUTE}")
    page.click("#follow-toggle")
    panel = "#follow-panel"

    def walk_to(lon, lat, accuracy=10):
        tourist.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": accuracy})

    def wait_for(attribute: str, value: str):
        page.wait_for_selector(f"{panel}[{attribute}='{value}']")

    wait_for("data-next-site", "yassitepe-hoyuk")
    page.wait_for_selector("#stop-card[data-site='yesilova-hoyuk']")  # arrived at stop 1: its card opens
    start = float(page.get_attribute(panel, "data-fraction"))

    walk_to((YESILOVA[0] + YASSITEPE[0]) / 2, (YESILOVA[1] + YASSITEPE[1]) / 2)
    page.wait_for_function(
        "start => Number(document.querySelector('#follow-panel').dataset.fraction) > start", arg=start
    )
    assert page.get_attribute(panel, "data-next-site") == "yassitepe-hoyuk"

    walk_to(*YASSITEPE)
    wait_for("data-next-site", "old-smyrna-bayrakli")
    page.wait_for_selector("#stop-card[data-site='yassitepe-hoyuk']")
    tourist.screenshot("guide-follow.png")

    walk_to(27.2063, 38.4800)  # 3 km north-east of the leg to Old Smyrna: beyond any detour
    wait_for("data-off-route", "true")
    # A schematic leg: the guide points to the next stop, not to the line.
    assert "Off route: the next stop is" in page.inner_text("#follow-alarm")

    walk_to((YASSITEPE[0] + OLD_SMYRNA[0]) / 2, (YASSITEPE[1] + OLD_SMYRNA[1]) / 2)
    wait_for("data-off-route", "false")
    assert page.locator("#follow-alarm").is_hidden()

    walk_to(27.2063, 38.4800, accuracy=800)  # a poor fix is not an off-route alarm
    page.wait_for_selector("#follow-alarm[data-kind='accuracy']")
    assert "accuracy" in page.inner_text("#follow-alarm")
    assert page.get_attribute(panel, "data-off-route") == "false"
    clean(tourist)


def test_time_travel_to_600_bce_shows_old_smyrna_and_hides_the_1744_han(izmir, phone):
    tourist = phone()
    page = tourist.open(f"/en/routes/{ROUTE}")
    page.wait_for_selector("#map[data-stops='15']")
    page.fill("#year", "-600")
    page.wait_for_function("() => document.getElementById('year-title').textContent.includes('600 BCE')")
    title = page.inner_text("#year-title")
    assert "Archaic Greek" in title
    assert "Old Smyrna" in title
    assert page.locator("#stop-list [data-site='old-smyrna-bayrakli']").is_visible()
    assert page.locator("#stop-list [data-site='kizlaragasi-han']").is_hidden()
    assert page.locator(".marker[data-site='kizlaragasi-han']").is_hidden()
    # The map's own layer asks our tiles for that year.
    page.wait_for_timeout(500)
    assert any("year=-600" in url and ".mvt" in url for url in tourist.requests)
    tourist.screenshot("guide-time-travel.png")
    clean(tourist)


def test_the_city_map_time_travels_through_the_public_site_list(izmir, phone):
    tourist = phone()
    page = tourist.open("/en/map")
    page.fill("#year", "-600")
    page.wait_for_function("() => document.getElementById('year-title').textContent.includes('Old Smyrna')")
    assert "Kızlarağası" not in page.inner_text("#year-sites")
    clean(tourist)


def test_a_downloaded_route_offers_an_update_when_the_change_feed_says_it_changed(izmir, phone):
    """The route row is untouched (its updated_at stays): only the change
    feed, read from the cursor kept with the download, can tell."""
    tourist = phone()
    page = tourist.open(f"/en/routes/{ROUTE}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    page.click("#download-route")
    page.wait_for_selector("#download-status[data-downloaded='true']", timeout=60_000)
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    page.wait_for_function(
        "() => document.getElementById('download-status').textContent.includes('KB') || "
        "document.getElementById('download-status').textContent.includes('MB')"
    )
    page.wait_for_selector("#download-route[hidden]", state="attached")  # current: nothing to offer
    assert page.get_attribute("#download-route", "data-update") is None

    Site.objects.filter(slug="kemeralti-bazaar").update(opening_hours="Mo-Sa 09:00-19:00")
    page.reload()
    page.wait_for_selector("#download-route[data-update='true']")
    assert "has changed" in page.inner_text("#download-route")
    assert any("/api/v1/changes?" in url and "since=" in url for url in tourist.requests)
    # The home offers the update too.
    page.goto(f"{tourist.base_url}/en/")
    page.wait_for_selector(f"#download-list li[data-route='{ROUTE}'] a.button")

    # The update downloads the route's package again (the new one).
    def package_requests():
        return sum(f"/api/v1/routes/{ROUTE}/package?" in url for url in tourist.requests)

    page.goto(f"{tourist.base_url}/en/routes/{ROUTE}")
    page.wait_for_selector("#download-route[data-update='true']")
    # (The page and its service worker each record the fetch: count the rise, not a number.)
    before = package_requests()
    page.click("#download-route")
    for _ in range(600):
        if package_requests() > before:
            break
        page.wait_for_timeout(100)
    assert package_requests() > before
    page.wait_for_selector("#download-status[data-downloaded='true']", timeout=60_000)
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    page.wait_for_selector("#download-route[hidden]", state="attached")  # current again
    page.goto(f"{tourist.base_url}/en/")
    page.wait_for_selector(f"#download-list li[data-route='{ROUTE}'] button")
    assert page.locator(f"#download-list li[data-route='{ROUTE}'] a.button").count() == 0
    assert tourist.problems == []


def test_an_unknown_route_is_a_friendly_404_in_the_chosen_language(izmir, phone):
    tourist = phone()
    response = tourist.page.goto(f"{tourist.base_url}/de/routes/no-such-route")
    assert response.status == 404
    assert tourist.page.inner_text("h1") == "Seite nicht gefunden"
    assert tourist.page.locator("a.button[href='/de/']").is_visible()


def test_denied_geolocation_is_said_and_the_list_still_works(izmir, phone):
    tourist = phone()  # no permission granted: the browser denies
    page = tourist.open(f"/en/routes/{ROUTE}")
    page.click("#follow-toggle")
    page.wait_for_selector("#follow-panel[data-geolocation='denied']")
    assert "denied" in page.inner_text("#follow-status")
    assert official_stops(page) == OFFICIAL_ORDER
    assert tourist.problems == []


def test_an_api_error_is_shown_never_swallowed(izmir, phone):
    # A position outside the service area: the progress endpoint says 400.
    berlin = {"longitude": 13.4, "latitude": 52.5, "accuracy": 10}
    tourist = phone(geolocation=berlin, permissions=["geolocation"])
    page = tourist.open(f"/en/routes/{ROUTE}")
    page.click("#follow-toggle")
    page.wait_for_selector("#error-banner:not([hidden])")
    assert "service area" in page.inner_text("#error-banner")


def test_the_day_plan_for_a_monday_warns_where_a_stop_is_closed_at_arrival(izmir, phone):
    # Test data, not seed data: the museum's hours exclude Mondays.
    Site.objects.filter(slug="izmir-archaeological-museum").update(opening_hours="Tu-Su 08:30-18:30")
    tourist = phone()
    page = tourist.open(f"/en/routes/{ROUTE}")
    page.click("#plan summary")
    page.fill("#plan-form input[name=date]", "2026-12-07")  # a Monday
    page.fill("#plan-form input[name=time]", "09:00")
    page.click("#plan-form button[type=submit]")
    row = page.wait_for_selector("#plan-result tr[data-site='izmir-archaeological-museum']")
    assert row.get_attribute("data-warning") == "closed_at_arrival"
    assert "Closed at arrival" in row.inner_text()
    assert "Opening hours unknown" in page.inner_text("#plan-result tr[data-site='yesilova-hoyuk']")
    clean(tourist)
