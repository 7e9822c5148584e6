"""Export filters: bbox, kind, period, route and datetime (years, BCE
negative), and the parser's errors naming the parameter."""

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Kind, Status
from geodata.params import FilterError, YearInterval, parse_datetime
from interchange.filters import parse_site_filters
from routes.models import RouteStop
from sites.selectors_export import SiteFilters, site_export_queryset
from tests.factories import RouteFactory, SiteFactory


def slugs(filters: SiteFilters, **kwargs) -> list[str]:
    return list(site_export_queryset(filters=filters, **kwargs).values_list("slug", flat=True))


def test_bbox_keeps_sites_inside_the_box(db):
    SiteFactory(slug="konak", location=Point(27.1287, 38.4189, srid=4326))
    SiteFactory(slug="bornova", location=Point(27.2138, 38.4417, srid=4326))

    assert slugs(parse_site_filters({"bbox": "27.10,38.40,27.15,38.43"})) == ["konak"]


def test_kind_and_period_filters_take_comma_separated_lists(db):
    SiteFactory(slug="mosque", kind=Kind.MOSQUE, periods=["ottoman"])
    SiteFactory(slug="church", kind=Kind.CHURCH, periods=["byzantine"])
    SiteFactory(slug="han", kind=Kind.HAN, periods=["ottoman"])

    assert slugs(parse_site_filters({"kind": "mosque,church"})) == ["church", "mosque"]
    assert slugs(parse_site_filters({"period": "ottoman"})) == ["han", "mosque"]


def test_route_filter_keeps_the_stops_of_a_published_route_only(db):
    on_route, _off_route = SiteFactory(slug="on"), SiteFactory(slug="off")
    published = RouteFactory(slug="open")
    draft = RouteFactory(slug="closed", status=Status.DRAFT)
    RouteStop.objects.create(route=published, site=on_route, order=1)
    RouteStop.objects.create(route=draft, site=_off_route, order=1)

    assert slugs(parse_site_filters({"route": "open"})) == ["on"]
    assert slugs(parse_site_filters({"route": "closed"})) == []
    assert slugs(parse_site_filters({"route": "closed"}), include_drafts=True) == ["off"]


@pytest.mark.parametrize(
    ("datetime", "expected"),
    [
        ("-0600/-0500", ["temple"]),  # BCE interval
        ("-0546", ["temple"]),  # an instant: 546 BCE
        ("1400/..", ["mosque", "tower"]),  # open end; the tower still stands
        ("../-0700", []),
        ("1901-05-01T00:00:00Z", ["tower"]),  # RFC 3339: only the year counts
    ],
)
def test_datetime_keeps_sites_whose_years_overlap(db, datetime, expected):
    SiteFactory(slug="temple", start_year=-600, end_year=-546)
    SiteFactory(slug="mosque", start_year=1500, end_year=1700)
    SiteFactory(slug="tower", start_year=1901, end_year=None)
    SiteFactory(slug="undated")

    assert slugs(parse_site_filters({"datetime": datetime})) == expected


def test_datetime_parses_signed_iso_years():
    assert parse_datetime("-0546/..") == YearInterval(-546, None)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "27,38,nan,39"}, "bbox"),
        ({"bbox": "28,38,27,39"}, "bbox"),
        ({"bbox": "27,38,200,39"}, "bbox"),
        ({"kind": "castle,spaceport"}, "kind"),
        ({"datetime": "yesterday"}, "datetime"),
        ({"datetime": "1500/1400"}, "datetime"),
        ({"datetime": "a/b/c"}, "datetime"),
    ],
)
def test_bad_filter_values_name_the_parameter(params, parameter):
    with pytest.raises(FilterError) as raised:
        parse_site_filters(params)

    assert raised.value.parameter == parameter


def test_unknown_period_is_refused_when_the_vocabulary_is_given():
    with pytest.raises(FilterError, match="bronze_age_2"):
        parse_site_filters({"period": "bronze_age_2"}, periods_known={"bronze_age"})


def test_a_staff_bbox_keeps_drafts_inside_the_box(db):
    SiteFactory(slug="konak-draft", status=Status.DRAFT, location=Point(27.1287, 38.4189, srid=4326))
    SiteFactory(slug="bornova-draft", status=Status.DRAFT, location=Point(27.2138, 38.4417, srid=4326))

    filters = parse_site_filters({"bbox": "27.10,38.40,27.15,38.43"})

    assert slugs(filters, include_drafts=True) == ["konak-draft"]
    assert slugs(filters) == []


def test_a_published_bbox_count_is_served_by_the_published_geometry_index(db):
    from django.db import connection

    SiteFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sites_site (slug, name, description, kind, location, geometry_quality, confidence,
                district, address, opening_hours, accessibility, wikidata, pleiades, osm, sources,
                license, attribution, status, search_text, created_at, updated_at)
            SELECT 'bulk-' || n, '{}', '{}', 'monument',
                ST_SetSRID(ST_MakePoint(26.5 + (n % 100) * 0.015, 38.0 + (n / 100) * 0.005), 4326)::geography,
                'traced', 'medium', '', '', '', '{}', '', '', '', '[]', 'CC-BY-4.0', '',
                CASE WHEN n % 10 = 0 THEN 'draft' ELSE 'published' END, '', now(), now()
            FROM generate_series(1, 20000) AS n
            """
        )
        cursor.execute("ANALYZE sites_site")
    queryset = site_export_queryset(filters=parse_site_filters({"bbox": "27.0,38.3,27.2,38.5"}))
    sql, params = queryset.values("pk").query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN SELECT count(*) FROM ({sql}) AS matched", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "site_published_location_geom" in plan
    assert "::geography" not in plan  # no geography recheck on every row
