"""api.geojson_input: bodies and GeoJSON geometries, checked before any write."""

import io
import json

import pytest
from rest_framework.exceptions import ParseError, ValidationError

from api.exceptions import PayloadTooLarge
from api.geojson_input import (
    MAX_JSON_DEPTH,
    GeometryError,
    SafeJSONParser,
    build_geometry,
    json_depth,
    parse_feature,
)

SQUARE = [[[27.10, 38.40], [27.11, 38.40], [27.11, 38.41], [27.10, 38.41], [27.10, 38.40]]]


def parse(text: str | bytes):
    raw = text.encode() if isinstance(text, str) else text
    return SafeJSONParser().parse(io.BytesIO(raw), parser_context={})


def test_the_parser_reads_ordinary_json():
    assert parse('{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e309", "-1e309"])
def test_the_parser_refuses_numbers_that_are_not_finite(literal):
    with pytest.raises(ParseError):
        parse(f'{{"x": [{literal}, 1]}}')


def test_the_parser_refuses_deep_nesting_without_a_recursion_error():
    with pytest.raises(ParseError, match="nested deeper"):
        parse("[" * 100_000 + "]" * 100_000)


def test_the_parser_allows_nesting_up_to_the_limit():
    depth_limit = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH

    assert json_depth(parse(depth_limit)) == MAX_JSON_DEPTH


def test_the_parser_refuses_bodies_over_the_upload_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    with pytest.raises(PayloadTooLarge):
        parse(json.dumps({"x": "y" * 200}))


def test_the_parser_refuses_bytes_that_are_not_utf8():
    with pytest.raises(ParseError):
        parse(b'{"x": "\xff"}')


def test_a_polygon_is_built_from_plain_coordinates_with_srid_4326():
    polygon = build_geometry({"type": "Polygon", "coordinates": SQUARE}, allowed_types=("Polygon",))

    assert polygon.srid == 4326
    assert polygon.num_coords == 5


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        ({"type": "Point", "coordinates": [27.1]}, "2D"),
        ({"type": "Point", "coordinates": [27.1, 38.4, 3]}, "2D"),
        ({"type": "Point", "coordinates": ["27.1", 38.4]}, "array of numbers"),
        ({"type": "Point", "coordinates": [True, 38.4]}, "array of numbers"),
        ({"type": "Point"}, "no coordinates"),
        ({"type": "Point", "coordinates": [27.1, 95]}, "out of range"),
        ({"type": "LineString", "coordinates": [[27.1, 38.4]]}, "at least 2"),
        ({"type": "Polygon", "coordinates": [SQUARE[0][:3]]}, "at least 4"),
        ({"type": "Polygon", "coordinates": [[*SQUARE[0][:-1], [27.1, 38.405]]]}, "closed"),
        ({"type": "Polygon", "coordinates": []}, "at least one ring"),
        (
            {
                "type": "Polygon",
                "coordinates": [[[27.1, 38.4], [27.12, 38.42], [27.12, 38.4], [27.1, 38.42], [27.1, 38.4]]],
            },
            "Self-intersection",
        ),
        ({"type": "GeometryCollection", "geometries": []}, "Expected"),
        (
            {
                "type": "Polygon",
                "coordinates": SQUARE,
                "crs": {"type": "name", "properties": {"name": "EPSG:2320"}},
            },
            "WGS84",
        ),
        ("POINT(27 38)", "GeoJSON geometry object"),
    ],
)
def test_bad_geometries_are_refused_with_the_reason(geometry, words):
    with pytest.raises(GeometryError, match=words):
        build_geometry(geometry, allowed_types=("Point", "LineString", "Polygon"))


def test_a_crs_naming_crs84_or_epsg_4326_is_accepted():
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}

    geometry, _properties, given = parse_feature(
        {"type": "Feature", "crs": crs, "geometry": {"type": "Point", "coordinates": [27.13, 38.42]}},
        geometry_types=("Point",),
        geometry_required=True,
    )

    assert given
    assert geometry.coords == (27.13, 38.42)


def test_a_swapped_line_gets_the_hint_too():
    swapped = {"type": "LineString", "coordinates": [[38.41, 27.12], [38.42, 27.13]]}

    with pytest.raises(GeometryError, match="look swapped"):
        build_geometry(swapped, allowed_types=("LineString",))


def test_a_feature_without_a_geometry_key_keeps_the_old_geometry_on_patch():
    geometry, properties, given = parse_feature(
        {"type": "Feature", "properties": {"district": "Konak"}},
        geometry_types=("Point",),
        geometry_required=False,
    )

    assert (geometry, properties, given) == (None, {"district": "Konak"}, False)


def test_a_null_geometry_is_refused_where_one_is_needed():
    with pytest.raises(ValidationError) as error:
        parse_feature(
            {"type": "Feature", "geometry": None}, geometry_types=("Point",), geometry_required=False
        )

    assert "geometry" in error.value.detail


def test_multi_geometries_and_polygon_holes_are_kept():
    hole = [[27.102, 38.402], [27.104, 38.402], [27.104, 38.404], [27.102, 38.402]]

    polygon = build_geometry(
        {"type": "MultiPolygon", "coordinates": [[SQUARE[0], hole]]}, allowed_types=("MultiPolygon",)
    )
    points = build_geometry(
        {"type": "MultiPoint", "coordinates": [[27.1, 38.4], [27.2, 38.4]]}, allowed_types=("MultiPoint",)
    )

    assert polygon[0].num_interior_rings == 1
    assert points.num_geom == 2
    assert (polygon.srid, points.srid) == (4326, 4326)


def test_a_polygon_hole_outside_its_shell_is_invalid_with_the_reason():
    outside = [[27.2, 38.5], [27.21, 38.5], [27.21, 38.51], [27.2, 38.5]]

    with pytest.raises(GeometryError, match="Hole lies outside shell"):
        build_geometry({"type": "Polygon", "coordinates": [SQUARE[0], outside]}, allowed_types=("Polygon",))
