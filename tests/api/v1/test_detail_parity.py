"""One contract, two producers: the site detail, route detail and trigger
bodies PostgreSQL builds whole (routes.selectors_detail, what the API
serves) equal what the serializers in api/v1/serializers/ build (the
reference, still used by the bundle and the offline packages).

Compared as parsed JSON (what a client receives): jsonb orders keys its own
way, and JSON objects do not depend on key order.
"""

import json

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point, Polygon
from django.test import RequestFactory

from api.rawjson import RawJSONRenderer
from api.v1.routes import route_collection, trigger_collection
from api.v1.serializers import SiteDetailSerializer
from api.v1.sites import attribution
from editorial import workflow
from editorial.translations import picked_language
from editorial.vocabularies import Status
from routes.audio import audio_create
from routes.selectors import route_detail_queryset, site_detail_with_routes_queryset
from sites.models import Photo, Site
from sites.services import period_vocabulary_sync
from tests.audio_files import mp3_bytes, ogg_opus_bytes
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory, UserFactory, uploaded

LANGUAGES = ["tr", "en", "de"]
IZMIR_ROUTES = ["8500-years-in-one-day", "izmir-historical-waterways"]


def _client_view(data) -> object:
    # The API's own renderer: path GeoJSON arrives as text (api.rawjson.RawJSON).
    return json.loads(RawJSONRenderer().render(data))


def _context(language: str) -> dict:
    # The same host as the test client's, so media URLs are the same.
    return {"request": RequestFactory().get("/"), "language": language}


def _reference_site(slug: str, language: str) -> dict:
    site = site_detail_with_routes_queryset().get(slug=slug)
    return _client_view({**SiteDetailSerializer(site, context=_context(language)).data, **attribution()})


def _reference_route(slug: str, language: str) -> dict:
    return _client_view(route_collection(route_detail_queryset().get(slug=slug), _context(language)))


def _reference_triggers(slug: str, language: str) -> dict:
    route = route_detail_queryset().get(slug=slug)
    return _client_view(trigger_collection(route, _context(language)))


def _served(client, url: str, language: str):
    response = client.get(f"{url}?lang={language}")
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_izmir_site_detail_matches_the_serializer(client, izmir, language):
    slugs = list(Site.objects.published().order_by("slug").values_list("slug", flat=True))
    assert len(slugs) > 30

    for slug in slugs:
        response = _served(client, f"/api/v1/sites/{slug}", language)
        assert response.json() == _reference_site(slug, language), slug
        name = Site.objects.get(slug=slug).name
        assert response["Content-Language"] == (picked_language(name, language) or language), slug


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("slug", IZMIR_ROUTES)
def test_izmir_route_detail_and_triggers_match_the_serializers(client, izmir, language, slug):
    detail = _served(client, f"/api/v1/routes/{slug}", language).json()
    triggers = _served(client, f"/api/v1/routes/{slug}/triggers", language).json()

    assert detail == _reference_route(slug, language)
    assert triggers == _reference_triggers(slug, language)
    assert len(detail["features"]) > 5


def _published_audio(stop, language: str, data: bytes, name: str) -> None:
    audio = audio_create(
        stop=stop, upload=uploaded(data, name, "application/octet-stream"), language=language
    )
    workflow.transition(audio, to_status=Status.PUBLISHED, user=UserFactory(role="admin"))


@pytest.fixture
def full_site(db):
    """A site with every kind of fact, and one whose facts are all unknown,
    on a route with photos, audio and a stop beyond the path's bbox."""
    period_vocabulary_sync()
    full = SiteFactory(
        slug="full",
        name={"en": "Only English"},
        description={"de": "Nur Deutsch"},
        location=Point(27.123456789, 38.41234567, srid=4326),
        shape=Polygon.from_bbox((27.12, 38.41, 27.13, 38.42)),
        start_year=-500,
        end_year=1922,
        opening_hours="Mo-Sa 09:00-19:00",
        opening_hours_source="The site's sign",
        opening_hours_as_of="2026-05-01",
        accessibility={"step_free_access": True, "toilets": False, "surface": "cobbles", "notes": "Steep"},
        accessibility_source="Our visit",
        accessibility_as_of="2026-06-02",
        access_note={"tr": "Randevu ile", "en": "By appointment"},
        provenance=[{"field": "start_year", "value": -500, "source": "A book", "note": ""}],
        sources=["A book", "IBB open data"],
        wikidata="Q123",
        pleiades="456",
        osm="way/789",
    )
    full.periods.set(["roman", "byzantine", "hellenistic"])
    photo = {
        "original": "photos/originals/x.jpg",
        "width": 1600,
        "height": 1200,
        "author": "A",
        "license": "CC0-1.0",
    }
    Photo.objects.create(
        site=full,
        **photo,
        caption={"tr": "Avlu"},
        status=Status.PUBLISHED,
        sort_order=2,
        # Only digit keys with a path are renditions; the rest is not shown.
        renditions={"1600": "photos/r/a-1600.webp", "320": "photos/r/a-320.webp", "x": "p", "640": ""},
    )
    Photo.objects.create(
        site=full, **photo, caption={"de": "Hof"}, status=Status.PUBLISHED, sort_order=1, renditions={}
    )
    Photo.objects.create(site=full, **photo, status=Status.DRAFT, renditions={"320": "photos/r/hidden.webp"})
    unknown = SiteFactory(slug="unknown", location=Point(KONAK[0] + 0.02, KONAK[1] - 0.01, srid=4326))
    draft = SiteFactory(slug="draft", status=Status.DRAFT)

    route = RouteFactory(slug="r", name={"de": "Nur Deutsch"}, summary={"en": "Sum"}, modes=["bus"])
    stop = RouteStopFactory(route=route, site=full, order=1, narrative={"en": "Look.", "tr": "Bak."})
    RouteStopFactory(route=route, site=draft, order=2)
    RouteStopFactory(route=route, site=unknown, order=3, dwell_min=5, trigger_radius_m=40)
    RouteStopFactory(route=RouteFactory(slug="draft-route", status=Status.DRAFT), site=full, order=1)
    RouteStopFactory(route=RouteFactory(slug="another", name={"tr": "Başka"}), site=full, order=7)
    _published_audio(stop, "en", mp3_bytes(), "guide.mp3")
    _published_audio(stop, "tr", ogg_opus_bytes(), "guide.ogg")
    audio_create(stop=stop, upload=uploaded(mp3_bytes(), "draft.mp3", "audio/mpeg"), language="de")
    return route


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_site_with_photos_audio_hours_and_unknown_facts_matches(client, full_site, language):
    for slug in ("full", "unknown"):
        assert _served(client, f"/api/v1/sites/{slug}", language).json() == _reference_site(slug, language)
    route = _served(client, "/api/v1/routes/r", language).json()
    assert route == _reference_route("r", language)
    assert _served(client, "/api/v1/routes/r/triggers", language).json() == _reference_triggers("r", language)

    # The cases are really there (a parity of empty lists proves little).
    full = _served(client, "/api/v1/sites/full", language).json()["properties"]
    assert [len(p["renditions"]) for p in full["photos"]] == [0, 2]
    assert [r["slug"] for r in full["routes"]] == ["another", "r"]
    assert full["shape"]["type"] == "Polygon"
    unknown = _served(client, "/api/v1/sites/unknown", language).json()["properties"]
    assert unknown["opening_hours"] is None
    assert unknown["access_note"] is None
    assert set(unknown["accessibility"].values()) == {None}
    stops = route["features"][1:]
    assert [s["properties"]["site"] for s in stops] == ["full", "unknown"]
    assert sorted(a["language"] for a in stops[0]["properties"]["audio"]) == ["en", "tr"]
    # The path runs east along 38.4189; both stops widen the bbox beyond it.
    assert route["bbox"] == [27.123457, 38.4089, 27.1487, 38.4189]


def test_an_empty_route_has_no_stops_and_the_path_bbox(client, db):
    RouteFactory(slug="empty")
    assert _served(client, "/api/v1/routes/empty", "en").json() == _reference_route("empty", "en")
    assert _served(client, "/api/v1/routes/empty/triggers", "en").json() == _reference_triggers("empty", "en")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/sites/draft",
        "/api/v1/sites/nope",
        "/api/v1/routes/draft-route",
        "/api/v1/routes/nope",
        "/api/v1/routes/draft-route/triggers",
        "/api/v1/routes/nope/triggers",
    ],
)
def test_drafts_and_unknown_slugs_are_not_found(client, full_site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("url", ["/api/v1/sites/full", "/api/v1/routes/r", "/api/v1/routes/r/triggers"])
def test_each_detail_is_one_query_with_its_version(client, full_site, django_assert_num_queries, url):
    with django_assert_num_queries(1):  # the body and the content version, one statement
        response = client.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"v')
    assert response.json()["attribution"] == settings.HERITAGE_DATA_ATTRIBUTION
