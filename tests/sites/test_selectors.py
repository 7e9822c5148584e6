"""sites.selectors: published sites only, filters, pages with counts, KNN."""

import json

import pytest
from django.contrib.gis.geos import Point, Polygon

from editorial.translations import Translated
from editorial.vocabularies import Kind, Status
from routes.selectors import site_detail_with_routes_queryset as site_detail_queryset
from sites.models import Period
from sites.selectors import _site_list_page_queryset, site_list_page, site_nearby_features
from sites.services import period_vocabulary_sync
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory


@pytest.fixture
def periods(db):
    period_vocabulary_sync()
    return Period.objects.in_bulk()


def _slugs(page) -> list[str]:
    return [json.loads(feature)["properties"]["slug"] for feature in page.features]


def test_drafts_reviews_and_archived_sites_are_neither_listed_nor_counted(db):
    SiteFactory(slug="public")
    for status in (Status.DRAFT, Status.REVIEW, Status.ARCHIVED):
        SiteFactory(slug=f"hidden-{status}", status=status)

    page = site_list_page(language="tr", limit=10, offset=0)

    assert _slugs(page) == ["public"]
    assert page.number_matched == 1


def test_site_list_page_counts_every_match_and_pages_by_slug(db, django_assert_num_queries):
    for n in range(5):
        SiteFactory(slug=f"site-{n}")

    with django_assert_num_queries(1):  # the page, its count as a scalar subquery
        page = site_list_page(language="tr", limit=2, offset=2)

    assert _slugs(page) == ["site-2", "site-3"]
    assert page.number_matched == 5


def test_a_page_past_the_end_still_reports_the_number_matched(db, django_assert_num_queries):
    SiteFactory.create_batch(3)

    with django_assert_num_queries(2):  # the empty page, then a count
        page = site_list_page(language="tr", limit=10, offset=50)

    assert page.features == []
    assert page.number_matched == 3


def test_a_bbox_page_past_the_end_counts_only_the_sites_in_the_bbox(db):
    SiteFactory(slug="in", location=Point(27.14, 38.42, srid=4326))
    SiteFactory(slug="out", location=Point(27.30, 38.42, srid=4326))

    page = site_list_page(language="tr", limit=10, offset=5, bbox=Polygon.from_bbox((27.1, 38.4, 27.2, 38.5)))

    assert (page.features, page.number_matched) == ([], 1)


def test_filters_by_bbox_kind_period_route_and_folded_name(periods):
    inside = SiteFactory(slug="inside", location=Point(27.14, 38.42, srid=4326), kind=Kind.MOSQUE)
    inside.periods.set(["ottoman"])
    SiteFactory(slug="outside", location=Point(27.30, 38.42, srid=4326), kind=Kind.MOSQUE)
    # A fixed location: the factory's default drifts east with every site the
    # session has made (past the bbox after ~700 sites in a full run).
    han = SiteFactory(
        slug="han", name={"tr": "Kızlarağası Hanı"}, kind=Kind.HAN, location=Point(27.13, 38.42, srid=4326)
    )
    RouteStopFactory(route=RouteFactory(slug="r"), site=han, order=1)
    bbox = Polygon.from_bbox((27.1, 38.4, 27.2, 38.5))

    assert _slugs(site_list_page(language="tr", limit=10, offset=0, bbox=bbox)) == ["han", "inside"]
    assert _slugs(site_list_page(language="tr", limit=10, offset=0, kind=Kind.MOSQUE)) == [
        "inside",
        "outside",
    ]
    assert _slugs(site_list_page(language="tr", limit=10, offset=0, period="ottoman")) == ["inside"]
    assert _slugs(site_list_page(language="tr", limit=10, offset=0, route="r")) == ["han"]
    assert _slugs(site_list_page(language="tr", limit=10, offset=0, q="kizlaragasi")) == ["han"]


def test_one_compiled_bbox_page_answers_every_bbox_like_the_orm(db, django_assert_num_queries):
    # site_list_page compiles a bbox page once and swaps the bbox in
    # (editorial.query_templates): each new bbox must get its own sites.
    longitudes = (27.11, 27.13, 27.15, 27.17, 27.19)
    for n, lon in enumerate(longitudes):
        SiteFactory(slug=f"site-{n}", location=Point(lon, 38.42, srid=4326))
    boxes = [(27.10, 38.40, 27.14, 38.44), (27.14, 38.40, 27.20, 38.44), (27.12, 38.41, 27.18, 38.43)]

    for box in boxes:
        bbox = Polygon.from_bbox(box)
        expected = list(_site_list_page_queryset("tr", 2, 0, bbox=bbox))
        with django_assert_num_queries(1):
            page = site_list_page(language="tr", limit=2, offset=0, bbox=bbox)
        assert page.features == [feature for feature, _n, _v in expected]
        assert page.number_matched == expected[0][1]
    west, _s, east, _n = boxes[1]
    inside = [n for n, lon in enumerate(longitudes) if west <= lon <= east]
    page = site_list_page(language="tr", limit=10, offset=0, bbox=Polygon.from_bbox(boxes[1]))
    assert _slugs(page) == [f"site-{n}" for n in inside]


def test_the_route_filter_ignores_routes_that_are_not_published(db):
    han = SiteFactory()
    RouteStopFactory(route=RouteFactory(slug="draft-route", status=Status.DRAFT), site=han, order=1)

    page = site_list_page(language="tr", limit=10, offset=0, route="draft-route")

    assert page.number_matched == 0


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ({"tr": "Saat Kulesi", "en": "Clock Tower", "de": "Uhrturm"}, "de", "Uhrturm"),
        ({"tr": "Saat Kulesi", "en": "Clock Tower"}, "de", "Saat Kulesi"),
        ({"tr": "", "en": "Clock Tower"}, "de", "Clock Tower"),
        ({"de": "Uhrturm"}, "en", "Uhrturm"),
        ({"en": "Clock Tower", "tr": "Saat Kulesi"}, "xx", "Saat Kulesi"),
    ],
)
def test_translated_falls_back_per_field_like_pick(db, name, language, expected):
    site = SiteFactory(name=name)

    picked = type(site).objects.annotate(picked=Translated("name", language)).get(pk=site.pk).picked

    assert picked == expected


def test_nearby_is_nearest_first_within_the_radius_with_distances(db, django_assert_num_queries):
    origin = Point(*KONAK, srid=4326)
    # Sites 100 m, 300 m and 2 km east of Konak, created out of order.
    SiteFactory(slug="far", location=Point(KONAK[0] + 0.0230, KONAK[1], srid=4326))
    SiteFactory(slug="mid", location=Point(KONAK[0] + 0.00344, KONAK[1], srid=4326))
    SiteFactory(slug="near", location=Point(KONAK[0] + 0.00115, KONAK[1], srid=4326))
    SiteFactory(
        slug="near-draft", location=Point(KONAK[0] + 0.0001, KONAK[1], srid=4326), status=Status.DRAFT
    )

    with django_assert_num_queries(1):  # KNN candidates as a subquery of the feature query
        features = [
            json.loads(f) for f in site_nearby_features(point=origin, radius_m=1000, limit=10, language="en")
        ]

    assert [f["properties"]["slug"] for f in features] == ["near", "mid"]
    assert features[0]["properties"]["distance_m"] == pytest.approx(100, abs=1)
    assert features[1]["properties"]["distance_m"] == pytest.approx(300, abs=2)


def test_nearby_limit_keeps_the_nearest(db):
    origin = Point(*KONAK, srid=4326)
    for n in range(1, 6):
        SiteFactory(
            slug=f"s{n}", location=Point(KONAK[0] + n * 0.001, KONAK[1] + 0.0001 * (n % 2), srid=4326)
        )

    features = [
        json.loads(f) for f in site_nearby_features(point=origin, radius_m=5000, limit=2, language="en")
    ]

    assert [f["properties"]["slug"] for f in features] == ["s1", "s2"]


def test_site_detail_queryset_hides_unpublished_sites_and_loads_in_four_queries(
    periods, django_assert_num_queries
):
    site = SiteFactory(slug="shown")
    site.periods.set(["roman"])
    SiteFactory(slug="hidden", status=Status.REVIEW)
    RouteStopFactory(route=RouteFactory(), site=site, order=1)
    RouteStopFactory(route=RouteFactory(status=Status.DRAFT), site=site, order=1)

    with django_assert_num_queries(4):  # site, periods, published photos, published routes' stops
        detail = site_detail_queryset().get(slug="shown")
        codes = [p.code for p in detail.periods.all()]

    assert not site_detail_queryset().filter(slug="hidden").exists()
    assert codes == ["roman"]
    assert len(detail.published_stops) == 1
    assert detail.location_geojson["type"] == "Point"


def test_nearby_walks_the_location_index_in_knn_order_not_a_scan_and_sort(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sites_site (slug, name, description, kind, location, geometry_quality, confidence,
                district, address, opening_hours, accessibility, wikidata, pleiades, osm, sources,
                license, attribution, status, search_text, created_at, updated_at)
            SELECT 'bulk-' || n, jsonb_build_object('tr', 'Yer ' || n), '{}', 'monument',
                ST_SetSRID(ST_MakePoint(26.5 + (n % 200) * 0.005, 38.0 + (n / 200) * 0.004), 4326)::geography,
                'traced', 'medium', '', '', '', '{}', '', '', '', '[]', 'CC-BY-4.0', '',
                CASE WHEN n % 10 = 0 THEN 'draft' ELSE 'published' END, 'yer ' || n, now(), now()
            FROM generate_series(1, 20000) AS n
            """
        )
        cursor.execute("ANALYZE sites_site")
    with CaptureQueriesContext(connection) as captured:
        site_nearby_features(point=Point(*KONAK, srid=4326), radius_m=1000, limit=20, language="tr")

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured.captured_queries[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan using sites_site_location" in plan
    assert "Order By: (location <-> " in plan
    assert "Seq Scan on sites_site " not in plan
