"""The guide's screens render on the server: a link sent by message opens the
right screen with a title and a description for link previews, in the
language of its URL; "/" follows the remembered choice, then the browser."""

import re

import pytest

from editorial.vocabularies import Status
from guide.public_api import api_get
from guide.texts import year_span_text
from routes.models import Route

ROUTE = "8500-years-in-one-day"


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta (?:name|property)="{name}" content="([^"]*)"', html)
    assert found, name
    return found.group(1)


def test_a_stop_link_renders_its_stop_with_a_preview_title_and_description(izmir, client):
    response = client.get(f"/en/routes/{ROUTE}/stops/kizlaragasi-han")

    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Kızlarağası Han" in meta(html, "og:title")
    assert meta(html, "og:description")
    assert '<html lang="en">' in html
    assert "1744" in html  # the story is in the HTML, not only in a script
    assert "Bizİzmir" in html  # the attribution on every screen


def test_the_route_screen_lists_every_stop_with_periods_dates_hours_and_access(izmir, client):
    html = client.get(f"/de/routes/{ROUTE}").content.decode()

    assert html.count('class="stop stop-') == 15
    assert "Jungsteinzeit" in html
    assert "6500–4000 v. Chr." in html
    assert "Öffnungszeiten" in html
    assert "unbekannt" in html
    assert "schematisch" in html


def test_home_follows_the_browser_on_a_first_visit(izmir, client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="de">' in html
    assert "8500" in html


def test_home_remembers_the_chosen_language(izmir, client):
    client.get("/tr/")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="tr">' in html


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/de/routes/no-such-route", "Seite nicht gefunden"),
        ("/tr/routes/8500-years-in-one-day/stops/no-such-stop", "Sayfa bulunamadı"),
        ("/en/routes/izmir-historical-waterways", "Page not found"),  # put in review: not public
        ("/no-such-page", "Page not found"),
    ],
)
def test_unknown_screens_are_a_friendly_404_in_the_chosen_language(izmir, client, path, title):
    Route.objects.filter(slug="izmir-historical-waterways").update(status=Status.REVIEW)

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in response.content.decode()


def test_api_paths_keep_their_problem_json_404(db, client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_pages_carry_a_strict_content_security_policy(izmir, client):
    policy = client.get("/en/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_the_service_worker_is_served_for_the_whole_guide(db, client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    # Versioned by the guide's files, so a deploy replaces the cached shell.
    assert b"guide-shell-v1'" not in response.content
    assert re.search(rb"guide-shell-[0-9a-f]{12}", response.content)


def test_the_server_side_reads_only_the_public_api(rf):
    with pytest.raises(ValueError, match="public API"):
        api_get(rf.get("/"), "/admin/")


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (-6500, -4000, "6500–4000 BCE"),
        (-200, 400, "200 BCE – 400 CE"),
        (1744, None, "1744 – today"),
        (None, None, ""),
    ],
)
def test_year_spans_read_naturally(start, end, text):
    words = {"bce": "BCE", "ce": "CE", "today": "today"}
    assert year_span_text(start, end, words) == text


def test_the_route_page_announces_its_modules_and_bundle_but_not_the_map_library(izmir, client):
    """The page lists every module it loads up front (modulepreload), read from
    the modules' own static imports, so a slow phone fetches them in parallel;
    the map library is a dynamic import, asked for once the list works."""
    html = client.get(f"/en/routes/{ROUTE}").content.decode()

    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)"', html)
    assert any(href.endswith("guide/js/route.js") for href in preloaded)
    assert any(href.endswith("guide/js/i18n.js") for href in preloaded)
    assert not any("map" in href.rsplit("/", 1)[-1] for href in preloaded)
    assert len(preloaded) == len(set(preloaded))
    assert f'<link rel="preload" href="/api/v1/routes/{ROUTE}/bundle?lang=en" as="fetch" crossorigin>' in html
