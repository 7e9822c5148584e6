"""geodata.functions: linear referencing in UTM metres, geography buffers,
distances and bboxes, all computed by PostGIS."""

import math

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, Point
from django.db.models import BooleanField, F, FloatField, Func, TextField

from geodata.functions import (
    BBoxJSON,
    GeographyBuffer,
    GeographyDistance,
    GeographyDWithin,
    LineInterpolatePoint,
    LineLocatePoint,
    ProjectedLine,
    SimplifyMetres,
    StartPoint,
    ToProjected,
    rounded_metres,
)
from geodata.geojson import geometry_json
from routes.models import Route
from tests.factories import RouteFactory

# An L-shaped route: 0.01° east (≈ 871 m at 38.42° N), then 0.01° north (≈ 1110 m).
CORNER = (27.14, 38.42)
L_PATH = LineString((27.13, 38.42), CORNER, (27.14, 38.43), srid=4326)


def _annotated(route, **annotations):
    return Route.objects.filter(pk=route.pk).annotate(**annotations).values(*annotations).get()


def test_line_locate_point_measures_fractions_in_metres_not_degrees(db):
    route = RouteFactory(path=L_PATH)
    corner = Point(*CORNER, srid=4326)

    row = _annotated(route, fraction=LineLocatePoint(ProjectedLine("path"), ToProjected(corner)))

    # In degrees the corner would be exactly halfway (0.5); in metres the
    # east leg is shorter than the north leg.
    assert row["fraction"] == pytest.approx(871 / (871 + 1112), abs=0.005)


def test_line_interpolate_point_returns_the_wgs84_point_at_a_fraction(db):
    route = RouteFactory(path=L_PATH)

    row = _annotated(route, start=geometry_json(LineInterpolatePoint(ProjectedLine("path"), 0.0)))

    assert row["start"] == {"type": "Point", "coordinates": [27.13, 38.42]}


def test_projected_line_sews_a_multilinestring_in_walking_order(db):
    parts = MultiLineString(
        LineString((27.13, 38.42), CORNER, srid=4326),
        LineString(CORNER, (27.14, 38.43), srid=4326),
        srid=4326,
    )
    route = RouteFactory(path=parts)
    corner = Point(*CORNER, srid=4326)
    end = Point(27.14, 38.43, srid=4326)

    row = _annotated(
        route,
        corner=LineLocatePoint(ProjectedLine("path"), ToProjected(corner)),
        end=LineLocatePoint(ProjectedLine("path"), ToProjected(end)),
        kind=Func(ProjectedLine("path"), function="GeometryType", output_field=TextField()),
    )

    assert row["kind"] == "LINESTRING"
    assert row["corner"] == pytest.approx(0.44, abs=0.01)
    assert row["end"] == pytest.approx(1.0)


def test_projected_line_joins_parts_that_do_not_touch(db):
    parts = MultiLineString(
        LineString((27.13, 38.42), (27.135, 38.42), srid=4326),
        LineString((27.136, 38.42), (27.14, 38.42), srid=4326),
        srid=4326,
    )
    route = RouteFactory(path=parts)

    row = _annotated(
        route, kind=Func(ProjectedLine("path"), function="GeometryType", output_field=TextField())
    )

    assert row["kind"] == "LINESTRING"


def test_geography_buffer_is_a_counterclockwise_circle_of_metres_on_the_ground(db):
    route = RouteFactory(path=L_PATH)
    centre = Point(27.13, 38.42, srid=4326)

    row = _annotated(
        route,
        zone=geometry_json(GeographyBuffer(centre, 30)),
        area=Func(
            GeographyBuffer(centre, 30),
            template="ST_Area((%(expressions)s)::geography)",
            output_field=FloatField(),
        ),
        ccw=Func(GeographyBuffer(centre, 30), function="ST_IsPolygonCCW", output_field=BooleanField()),
    )

    assert row["zone"]["type"] == "Polygon"
    assert row["area"] == pytest.approx(math.pi * 30**2, rel=0.02)
    assert row["ccw"] is True


def test_geography_distance_and_dwithin_are_in_metres(db):
    route = RouteFactory(path=L_PATH)
    north_of_start = Point(27.13, 38.421, srid=4326)  # ≈ 111 m north

    row = _annotated(
        route,
        metres=GeographyDistance("path", north_of_start),
        within_120=GeographyDWithin("path", north_of_start, 120),
        within_100=GeographyDWithin("path", north_of_start, 100),
    )

    assert row["metres"] == pytest.approx(111, abs=1)
    assert row["within_120"] is True
    assert row["within_100"] is False


def test_start_point_bbox_and_simplify_work_on_the_path(db):
    route = RouteFactory(path=L_PATH)

    row = _annotated(
        route,
        start=geometry_json(StartPoint("path")),
        bbox=BBoxJSON("path"),
        simple=geometry_json(SimplifyMetres("path", metres=5)),
    )

    assert row["start"]["coordinates"] == [27.13, 38.42]
    assert row["bbox"] == [27.13, 38.42, 27.14, 38.43]
    assert len(row["simple"]["coordinates"]) == 3


def test_rounded_metres_rounds_to_a_tenth_and_stays_a_float(db):
    route = RouteFactory(path=L_PATH)

    row = _annotated(route, length=rounded_metres(F("length_m")))

    assert isinstance(row["length"], float)
    assert row["length"] == round(route.length_m, 1)
