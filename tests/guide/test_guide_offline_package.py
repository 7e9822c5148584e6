"""Download for offline stores the route package (GET …/package, a zip),
checked file by file against its manifest in the browser, in the Cache
Storage under the URLs the screens fetch: offline, the route, its stops, a
photo and a stop's recorded audio still work. A package that does not match
its manifest is refused with a visible error and nothing is stored. Debian
chromium at 390×844, every request on the live server, axe-core clean."""

import io
import zipfile

import pytest

from editorial.vocabularies import Status
from sites.models import Site
from sites.photos import photo_create
from tests.factories import image_bytes, uploaded
from tests.guide.test_guide_audio import publish_audio
from tests.guide.test_guide_browser import OFFICIAL_ORDER, ROUTE, clean, official_stops

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PACKAGE_URL = "**/api/v1/routes/*/package?*"
AUDIO_STOP = "kizlaragasi-han"
PHOTO_STOP = "kemeralti-bazaar"


def publish_photo(site: str) -> None:
    photo = photo_create(
        site=Site.objects.get(slug=site),
        upload=uploaded(image_bytes(800, 600)),
        caption={"en": "Kemeraltı"},
        author="A. Yılmaz",
        license="CC-BY-4.0",
    )
    photo.status = Status.PUBLISHED
    photo.save()


def controlled_route_page(tourist):
    """The route screen once the service worker controls it."""
    page = tourist.open(f"/en/routes/{ROUTE}")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    return page


def route_caches(page) -> list[str]:
    return page.evaluate("caches.keys().then(keys => keys.filter(k => k.startsWith('guide-route:')))")


def test_the_downloaded_package_serves_the_route_stops_photo_and_audio_offline(izmir, phone):
    publish_photo(PHOTO_STOP)
    publish_audio(AUDIO_STOP)
    tourist = phone()
    page = controlled_route_page(tourist)

    already = len(tourist.requests)
    page.click("#download-route")
    page.wait_for_selector("#download-status[data-downloaded='true']", timeout=60_000)
    download_requests = tourist.requests[already:]
    assert any(f"/api/v1/routes/{ROUTE}/package?" in url for url in download_requests)
    # The download reads the package, never the bundle (the online route screen may).
    assert not any("/bundle" in url for url in download_requests)
    status = page.inner_text("#download-status")
    assert "package" in status
    assert "stored" in status
    stored = page.evaluate(
        f"caches.open('guide-route:{ROUTE}:en').then(c => c.keys()).then(rs => rs.map(r => r.url))"
    )
    assert any(url.endswith(f"/api/v1/sites/{PHOTO_STOP}?lang=en") for url in stored)
    assert any("/media/audio/" in url for url in stored)
    tourist.screenshot("guide-offline-downloaded.png")

    tourist.context.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready='true']")
    assert page.locator("#offline-banner").is_visible()
    assert official_stops(page) == OFFICIAL_ORDER
    page.wait_for_selector("#map[data-stops='15']")
    tourist.screenshot("guide-offline-route.png")

    page.goto(f"{tourist.base_url}/en/routes/{ROUTE}/stops/{PHOTO_STOP}")
    page.wait_for_selector("body[data-ready='true']")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.photo img')].some(i => i.complete && i.naturalWidth > 0)"
    )

    page.goto(f"{tourist.base_url}/en/routes/{ROUTE}/stops/{AUDIO_STOP}")
    page.wait_for_selector("body[data-ready='true']")
    assert page.get_attribute("#listen", "data-source") == "recording"
    page.click("#listen")
    page.wait_for_function(
        "() => { const a = document.getElementById('listen-audio'); return a && a.readyState >= 2; }",
        timeout=20_000,
    )
    tourist.screenshot("guide-offline-audio.png")
    assert tourist.problems == []
    assert tourist.csp_violations() == []


def test_the_home_lists_the_download_with_its_sizes_and_deletes_it(izmir, phone):
    tourist = phone()
    page = controlled_route_page(tourist)
    page.click("#download-route")
    page.wait_for_selector("#download-status[data-downloaded='true']", timeout=60_000)

    page.goto(f"{tourist.base_url}/en/")
    row = f"#download-list li[data-route='{ROUTE}']"
    page.wait_for_selector(row)
    sizes = page.inner_text(f"{row} .download-sizes")
    assert "package" in sizes
    assert "stored" in sizes
    assert "KB" in sizes or "MB" in sizes
    tourist.screenshot("guide-offline-downloads.png")
    clean(tourist)

    page.click(f"{row} button")
    page.wait_for_selector("#no-downloads:not([hidden])")
    assert route_caches(page) == []


def tampered(body: bytes) -> bytes:
    """The same zip with one file's bytes changed, its manifest untouched."""
    source = zipfile.ZipFile(io.BytesIO(body))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "route.geojson":
                data = data.replace(b'"FeatureCollection"', b'"FeatureCollectioN"', 1)
            target.writestr(info, data)
    return out.getvalue()


def truncated(body: bytes) -> bytes:
    return body[: len(body) // 2]


@pytest.mark.parametrize("damage", [tampered, truncated])
def test_a_package_that_does_not_match_its_manifest_is_refused_and_nothing_stored(izmir, phone, damage):
    tourist = phone()
    page = controlled_route_page(tourist)

    def serve_damaged(route):
        response = route.fetch()
        route.fulfill(response=response, body=damage(response.body()))

    tourist.context.route(PACKAGE_URL, serve_damaged)
    page.click("#download-route")
    page.wait_for_selector("#download-status[data-refused='true']", timeout=60_000)
    assert "damaged" in page.inner_text("#download-status")
    assert page.locator("#download-status").is_visible()
    assert page.is_enabled("#download-route")  # the tourist may try again
    assert route_caches(page) == []
    tourist.screenshot(f"guide-offline-refused-{damage.__name__}.png")
    clean(tourist)
