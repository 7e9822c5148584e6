"""Export filters: bbox, kind, period, route and datetime (years, BCE
negative), and the parser's errors naming the parameter."""

import pytest
from django.contrib.gis.geos import Point

from geodata.exports.filters import FilterError, SiteFilters, YearInterval, parse_datetime, parse_site_filters
from routes.models import RouteStop
from sites.selectors_export import site_export_queryset
from sites.vocabularies import Kind, Status
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
