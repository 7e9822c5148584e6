"""The sites admin lists: search, filters, the change-list map and the
context layers of every map widget."""

import re

import pytest

from editorial.vocabularies import Kind, Status
from tests.admin_helpers import (
    as_user,
)
from tests.factories import (
    RouteFactory,
    RouteStopFactory,
    SiteFactory,
)


def test_search_finds_names_in_any_language_ignoring_accents_and_case(client, editor):
    SiteFactory(slug="han", name={"tr": "Kızlarağası Hanı", "de": "Karawanserei"})
    SiteFactory(slug="other", name={"tr": "Saat Kulesi"})
    as_user(client, editor)

    by_turkish = client.get("/admin/sites/site/", {"q": "KIZLARAGASI"})
    by_german = client.get("/admin/sites/site/", {"q": "karawanserei"})

    assert [s.slug for s in by_turkish.context["cl"].result_list] == ["han"]
    assert [s.slug for s in by_german.context["cl"].result_list] == ["han"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "draft"}, ["a"]),
        ({"kind__exact": "museum"}, ["b"]),
        ({"district": "Bornova"}, ["b"]),
        ({"periods__code__exact": "roman"}, ["a"]),
        ({"route": "the-route"}, ["b"]),
    ],
)
def test_the_site_list_filters_by_status_kind_district_period_and_route(client, editor, params, expected):
    from sites.models import Period
    from sites.services import period_vocabulary_sync

    period_vocabulary_sync()  # seeded by a migration; a live test's flush may have removed it
    SiteFactory(
        slug="a",
        status=Status.DRAFT,
        kind=Kind.FOUNTAIN,
        district="Konak",
        periods=[Period.objects.get(pk="roman")],
    )
    b = SiteFactory(slug="b", status=Status.PUBLISHED, kind=Kind.MUSEUM, district="Bornova")
    RouteStopFactory(route=RouteFactory(slug="the-route"), site=b, order=1)

    response = as_user(client, editor).get("/admin/sites/site/", params)

    assert response.status_code == 200
    assert [s.slug for s in response.context["cl"].result_list] == expected


def test_the_change_list_map_shows_the_filtered_sites(client, editor):
    SiteFactory(slug="draft-one", status=Status.DRAFT)
    SiteFactory(slug="published-one", status=Status.PUBLISHED)

    response = as_user(client, editor).get("/admin/sites/site/", {"status__exact": "draft"})

    features = response.context["heritage_changelist_features"]["features"]
    assert [f["properties"]["slug"] for f in features] == ["draft-one"]
    assert features[0]["geometry"]["type"] == "Point"
    assert 'id="heritage-changelist-features"' in response.content.decode()
    assert "leaflet/leaflet.js" in response.content.decode()


def test_the_route_list_map_shows_route_lines(client, editor):
    RouteFactory(slug="r1")

    response = as_user(client, editor).get("/admin/routes/route/")

    features = response.context["heritage_changelist_features"]["features"]
    assert [f["geometry"]["type"] for f in features] == ["LineString"]


def test_the_map_layers_hold_every_site_and_route_but_the_one_being_edited(
    client, editor, django_assert_num_queries
):
    kept = SiteFactory(status=Status.DRAFT)
    edited = SiteFactory(status=Status.PUBLISHED)
    RouteFactory()
    as_user(client, editor)
    client.get("/admin/")  # warm the session

    with django_assert_num_queries(5):  # session, user, groups (workflow role), routes, sites
        response = client.get("/admin/sites/site/layers.geojson", {"exclude": f"site:{edited.pk}"})

    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    layers = sorted((f["properties"]["layer"], f["properties"]["slug"]) for f in body["features"])
    assert ("site", kept.slug) in layers
    assert ("site", edited.slug) not in layers
    assert any(layer == "route" for layer, _slug in layers)


def test_the_map_layers_are_for_staff_only(client, db):
    response = client.get("/admin/sites/site/layers.geojson")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_site_editor_page_loads_leaflet_from_the_project_not_a_cdn(client, editor, settings):
    page = as_user(client, editor).get("/admin/sites/site/add/").content.decode()
    # The per-response CSP nonce is random base64: it can spell "cdn" (a CI failure).
    page = re.sub(r'nonce="[^"]*"', 'nonce=""', page)

    assert "/static/leaflet/leaflet.js" in page
    assert "/static/heritage/admin-map.js" in page
    assert "heritage-map-config" in page
    assert "unpkg" not in page
    assert "cdn" not in page.lower()
    assert "tile.openstreetmap.org" not in page  # no basemap unless HERITAGE_BASEMAP_URL is set


def test_the_site_list_costs_the_same_queries_for_3_or_30_sites(client, editor, django_assert_num_queries):
    as_user(client, editor)
    for _ in range(3):
        SiteFactory()
    client.get("/admin/sites/site/")  # warm the session and content types

    # session, user, roles (once per request), period and route filter choices, counts ×2,
    # Django permissions ×2 (the sidebar's auth models), rows, map features, district choices
    with django_assert_num_queries(12) as few:
        client.get("/admin/sites/site/")
    for _ in range(27):
        SiteFactory()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/admin/sites/site/")

    assert len(response.context["cl"].result_list) == 30
    assert len(response.context["heritage_changelist_features"]["features"]) == 30
