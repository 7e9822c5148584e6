"""The route's start point and box kept by PostgreSQL (routes migration
0011) are what the code's own expressions give for its path, through ORM
and SQL writes alike, and the route list reads them, not the path."""

from django.contrib.gis.geos import LineString, MultiLineString
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geodata.functions import BBoxJSON, StartPoint
from routes.models import Route
from routes.selectors import PATH_BOX, PATH_START, route_list_features

WATERWAYS = "izmir-historical-waterways"


def kept_and_computed() -> dict[str, tuple]:
    routes = Route.objects.annotate(
        kept_start=PATH_START, start=StartPoint("path"), kept_box=BBoxJSON(PATH_BOX), box=BBoxJSON("path")
    )
    return {
        route.slug: (route.kept_start.coords, route.start.coords, route.kept_box, route.box)
        for route in routes.only("slug")
    }


def assert_kept_as_computed():
    for slug, (kept_start, start, kept_box, box) in kept_and_computed().items():
        assert kept_start == start, slug
        assert kept_box == box, slug


def test_the_kept_start_and_box_are_the_paths(izmir):
    assert len(kept_and_computed()) == 2
    assert_kept_as_computed()


def test_orm_and_sql_writes_of_a_path_rewrite_them_in_the_same_statement(izmir):
    route = Route.objects.get(slug=WATERWAYS)
    first, second = LineString((27.05, 38.40), (27.10, 38.45)), LineString((27.2, 38.5), (27.3, 38.6))
    route.path = MultiLineString(first, second)
    route.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE routes_route SET path = ST_GeogFromText('LINESTRING(27.0 38.4, 27.1 38.5)')"
            " WHERE slug = '8500-years-in-one-day'"
        )

    assert_kept_as_computed()
    kept = kept_and_computed()
    assert kept[WATERWAYS][0] == (27.05, 38.40)  # the first part's first vertex
    assert kept["8500-years-in-one-day"][2] == [27.0, 38.4, 27.1, 38.5]


def test_the_route_list_reads_no_full_path(izmir):
    with CaptureQueriesContext(connection) as queries:
        features = route_list_features(language="en")

    assert len(features) == 2
    assert '"routes_route"."path"' not in queries.captured_queries[0]["sql"]
