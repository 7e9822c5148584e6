"""Each CQL2 conformance class /ogc/conformance declares, proven in both
encodings (cql2-text and cql2-json give the same rows), plus filter-crs in
every CRS of Part 2, on real PostGIS. ADR 0013 names these tests."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from editorial.vocabularies import Kind
from tests.factories import SiteFactory

ITEMS = "/ogc/collections/sites/items"
# A square around the three central sites (27.13–27.14 E, 38.418–38.43 N).
SQUARE = [[27.0, 38.3], [27.2, 38.3], [27.2, 38.5], [27.0, 38.5], [27.0, 38.3]]
SQUARE_WKT = "POLYGON((27.0 38.3, 27.2 38.3, 27.2 38.5, 27.0 38.5, 27.0 38.3))"
CENTRAL = ["agora", "new-mosque", "old-mosque"]


@pytest.fixture
def sites(db):
    return [
        SiteFactory(slug="old-mosque", kind=Kind.MOSQUE, start_year=1592, end_year=None,
                    location=Point(27.13, 38.42, srid=4326)),
        SiteFactory(slug="new-mosque", kind=Kind.MOSQUE, start_year=1890, end_year=None,
                    location=Point(27.14, 38.43, srid=4326)),
        SiteFactory(slug="agora", kind=Kind.ARCHAEOLOGICAL_SITE, start_year=-330, end_year=600,
                    location=Point(27.1395, 38.4185, srid=4326)),
        SiteFactory(slug="far-church", kind=Kind.CHURCH, start_year=1400, end_year=1500,
                    location=Point(27.3, 38.6, srid=4326)),
    ]  # fmt: skip


def ids(client, text=None, document=None, **params) -> list[str]:
    if document is not None:
        params.update({"filter": json.dumps(document), "filter-lang": "cql2-json"})
    else:
        params["filter"] = text
    response = client.get(ITEMS, params)
    assert response.status_code == 200, response.content
    return [feature["id"] for feature in response.json()["features"]]


def prop(name: str) -> dict:
    return {"property": name}


# basic-cql2: comparisons of a property with a literal, AND/OR/NOT, IS NULL, TRUE/FALSE.
BASIC = [
    ("kind = 'mosque'", {"op": "=", "args": [prop("kind"), "mosque"]}, ["new-mosque", "old-mosque"]),
    ("kind <> 'mosque'", {"op": "<>", "args": [prop("kind"), "mosque"]}, ["agora", "far-church"]),
    ("start_year < 1400", {"op": "<", "args": [prop("start_year"), 1400]}, ["agora"]),
    ("start_year <= 1400", {"op": "<=", "args": [prop("start_year"), 1400]}, ["agora", "far-church"]),
    ("start_year > 1592", {"op": ">", "args": [prop("start_year"), 1592]}, ["new-mosque"]),
    ("start_year >= 1592", {"op": ">=", "args": [prop("start_year"), 1592]}, ["new-mosque", "old-mosque"]),
    ("end_year IS NULL", {"op": "isNull", "args": [prop("end_year")]}, ["new-mosque", "old-mosque"]),
    (
        "end_year IS NOT NULL",
        {"op": "not", "args": [{"op": "isNull", "args": [prop("end_year")]}]},
        ["agora", "far-church"],
    ),
    (
        "kind = 'mosque' AND start_year < 1700",
        {"op": "and", "args": [{"op": "=", "args": [prop("kind"), "mosque"]},
                               {"op": "<", "args": [prop("start_year"), 1700]}]},
        ["old-mosque"],
    ),
    (
        "NOT (kind = 'mosque' OR kind = 'church')",
        {"op": "not", "args": [{"op": "or", "args": [{"op": "=", "args": [prop("kind"), "mosque"]},
                                                     {"op": "=", "args": [prop("kind"), "church"]}]}]},
        ["agora"],
    ),
    ("TRUE", True, ["agora", "far-church", "new-mosque", "old-mosque"]),
    ("FALSE", False, []),
    ("NOT (FALSE) AND kind = 'church'", {"op": "and", "args": [{"op": "not", "args": [False]},
                                                              {"op": "=", "args": [prop("kind"), "church"]}]},
     ["far-church"]),
]  # fmt: skip
# advanced-comparison-operators: LIKE, BETWEEN, IN and their NOT forms.
ADVANCED = [
    ("kind LIKE 'mos%'", {"op": "like", "args": [prop("kind"), "mos%"]}, ["new-mosque", "old-mosque"]),
    ("slug LIKE '_ld-mosque'", {"op": "like", "args": [prop("slug"), "_ld-mosque"]}, ["old-mosque"]),
    ("kind NOT LIKE 'mos%'", {"op": "not", "args": [{"op": "like", "args": [prop("kind"), "mos%"]}]},
     ["agora", "far-church"]),
    ("start_year BETWEEN 1400 AND 1600", {"op": "between", "args": [prop("start_year"), 1400, 1600]},
     ["far-church", "old-mosque"]),
    ("start_year NOT BETWEEN 1400 AND 1600",
     {"op": "not", "args": [{"op": "between", "args": [prop("start_year"), 1400, 1600]}]},
     ["agora", "new-mosque"]),
    ("kind IN ('church', 'mosque')", {"op": "in", "args": [prop("kind"), ["church", "mosque"]]},
     ["far-church", "new-mosque", "old-mosque"]),
    ("kind NOT IN ('church', 'mosque')",
     {"op": "not", "args": [{"op": "in", "args": [prop("kind"), ["church", "mosque"]]}]}, ["agora"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "document", "expected"), BASIC + ADVANCED)
def test_basic_cql2_and_advanced_comparisons_in_text_and_json(sites, client, text, document, expected):
    assert ids(client, text) == expected
    assert ids(client, document=document) == expected


POINT_JSON = {"type": "Point", "coordinates": [27.13, 38.42]}
# basic-spatial-functions(-plus): S_INTERSECTS with every geometry type and BBOX.
INTERSECTS = [
    (SQUARE_WKT, {"type": "Polygon", "coordinates": [SQUARE]}, CENTRAL),
    ("BBOX(27.2, 38.5, 27.4, 38.7)", {"bbox": [27.2, 38.5, 27.4, 38.7]}, ["far-church"]),
    ("POINT(27.13 38.42)", POINT_JSON, ["old-mosque"]),
    ("MULTIPOINT((27.13 38.42), (27.3 38.6))",
     {"type": "MultiPoint", "coordinates": [[27.13, 38.42], [27.3, 38.6]]}, ["far-church", "old-mosque"]),
    ("LINESTRING(27.12 38.42, 27.14 38.42)",
     {"type": "LineString", "coordinates": [[27.12, 38.42], [27.14, 38.42]]}, ["old-mosque"]),
    ("MULTILINESTRING((27.12 38.42, 27.14 38.42), (27.3 38.5, 27.3 38.7))",
     {"type": "MultiLineString",
      "coordinates": [[[27.12, 38.42], [27.14, 38.42]], [[27.3, 38.5], [27.3, 38.7]]]},
     ["far-church", "old-mosque"]),
    ("MULTIPOLYGON(((27.2 38.5, 27.4 38.5, 27.4 38.7, 27.2 38.7, 27.2 38.5)))",
     {"type": "MultiPolygon", "coordinates": [[[[27.2, 38.5], [27.4, 38.5], [27.4, 38.7], [27.2, 38.7],
                                                [27.2, 38.5]]]]}, ["far-church"]),
    ("GEOMETRYCOLLECTION(POINT(27.13 38.42), POINT(27.3 38.6))",
     {"type": "GeometryCollection",
      "geometries": [POINT_JSON, {"type": "Point", "coordinates": [27.3, 38.6]}]},
     ["far-church", "old-mosque"]),
]  # fmt: skip


@pytest.mark.parametrize(("literal", "geometry", "expected"), INTERSECTS)
def test_s_intersects_with_every_geometry_type_in_text_and_json(sites, client, literal, geometry, expected):
    assert ids(client, f"S_INTERSECTS(geometry, {literal})") == expected
    assert ids(client, document={"op": "s_intersects", "args": [prop("geometry"), geometry]}) == expected
    # Either argument may be the property.
    assert ids(client, f"S_INTERSECTS({literal}, geometry)") == expected


# spatial-functions: the other seven, against PostGIS' function of the same name.
SPATIAL = [
    ("S_WITHIN", f"geometry, {SQUARE_WKT}", CENTRAL),
    ("S_WITHIN", f"{SQUARE_WKT}, geometry", []),  # a polygon is not within a point
    ("S_CONTAINS", "geometry, POINT(27.13 38.42)", ["old-mosque"]),
    ("S_CONTAINS", f"{SQUARE_WKT}, geometry", CENTRAL),  # = S_WITHIN(geometry, square)
    ("S_DISJOINT", f"geometry, {SQUARE_WKT}", ["far-church"]),
    ("S_DISJOINT", "geometry, BBOX(27.0, 38.3, 27.2, 38.5)", ["far-church"]),
    ("S_EQUALS", "geometry, POINT(27.3 38.6)", ["far-church"]),
    ("S_TOUCHES", "geometry, LINESTRING(27.13 38.42, 27.13 38.5)", ["old-mosque"]),  # an end point
    ("S_CROSSES", "geometry, LINESTRING(27.12 38.42, 27.14 38.42)", []),  # a point crosses nothing
    ("S_OVERLAPS", f"geometry, {SQUARE_WKT}", []),  # nor overlaps a polygon
]


@pytest.mark.parametrize(("function", "args", "expected"), SPATIAL)
def test_every_spatial_function_in_text_and_json(sites, client, function, args, expected):
    assert ids(client, f"{function}({args})") == expected
    literal = args.replace("geometry, ", "").replace(", geometry", "")
    first = {"type": "Polygon", "coordinates": [SQUARE]} if literal == SQUARE_WKT else None
    if first is not None:  # the same in JSON
        order = [prop("geometry"), first] if args.startswith("geometry") else [first, prop("geometry")]
        assert ids(client, document={"op": function.lower(), "args": order}) == expected


def test_spatial_functions_agree_with_postgis(sites, client):
    line = "LINESTRING(27.13 38.42, 27.13 38.5)"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM sites_site WHERE ST_Touches(location::geometry, ST_GeomFromText(%s, 4326))"
            " ORDER BY slug",
            [line],
        )
        expected = [row[0] for row in cursor.fetchall()]

    assert ids(client, f"S_TOUCHES(geometry, {line})") == expected == ["old-mosque"]


def _transformed(wkt: str, srid: int, *, flip: bool = False) -> str:
    with connection.cursor() as cursor:
        geometry = (
            "ST_FlipCoordinates(ST_GeomFromText(%s, 4326))"
            if flip
            else (f"ST_Transform(ST_GeomFromText(%s, 4326), {srid})")
        )
        cursor.execute(f"SELECT ST_AsText({geometry}, 3)", [wkt])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("crs", "srid"),
    [
        ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", None),
        ("http://www.opengis.net/def/crs/EPSG/0/4326", 4326),
        ("EPSG:3857", 3857),
        ("http://www.opengis.net/def/crs/EPSG/0/32635", 32635),
        ("http://www.opengis.net/def/crs/EPSG/0/5253", 5253),
    ],
)
def test_filter_crs_takes_every_part_2_crs_transformed_in_postgis(sites, client, crs, srid):
    # The same square written in that CRS by PostGIS (EPSG:4326: latitude first).
    literal = SQUARE_WKT if srid is None else _transformed(SQUARE_WKT, srid, flip=srid == 4326)

    assert ids(client, f"S_INTERSECTS(geometry, {literal})", **{"filter-crs": crs}) == CENTRAL
    assert ids(client, f"S_DISJOINT(geometry, {literal})", **{"filter-crs": crs}) == ["far-church"]


def test_epsg_4326_filter_literals_are_latitude_first(sites, client):
    lat_lon = "POINT(38.42 27.13)"

    assert ids(client, f"S_INTERSECTS(geometry, {lat_lon})", **{"filter-crs": "EPSG:4326"}) == ["old-mosque"]
    box = "BBOX(38.5, 27.2, 38.7, 27.4)"  # min_lat, min_lon, max_lat, max_lon
    assert ids(client, f"S_INTERSECTS(geometry, {box})", **{"filter-crs": "EPSG:4326"}) == ["far-church"]


BAD = [
    ({"filter": "S_INTERSECTS(geometry, POINT(27 38))", "filter-crs": "EPSG:9999"}, "filter-crs"),
    ({"filter": "S_INTERSECTS(geometry, POINT(5e7 5e7))", "filter-crs": "EPSG:5253"}, "filter"),
    ({"filter": "S_INTERSECTS(geometry, POINT(100 27))", "filter-crs": "EPSG:4326"}, "filter"),
    ({"filter": "S_INTERSECTS(geometry, BBOX(1, 2, 3))"}, "filter"),
    ({"filter": "S_INTERSECTS(geometry, BBOX(3, 2, 1, 0))"}, "filter"),
    ({"filter": "S_INTERSECTS(geometry, BBOX(1, 'a', 3, 4))"}, "filter"),
    ({"filter": "S_INTERSECTS(geometry, geometry)"}, "filter"),
    ({"filter": "S_INTERSECTS(POINT(1 1), POINT(1 1))"}, "filter"),
    ({"filter": "S_INTERSECTS(geometry, DROP(1, 2, 3, 4))"}, "filter"),
    ({"filter": "kind = 'a' AND " * 300 + "TRUE"}, "filter"),
    ({"filter": "NOT (" * 30 + "TRUE" + ")" * 30}, "filter"),
    ({"filter": "start_year = " + "9" * 3000}, "filter"),
    ({"filter": "S_INTERSECTS(geometry, MULTIPOINT(" + ", ".join(["(27 38)"] * 501) + "))"}, "filter"),
    ({"filter": "kind = 'a'') OR 1=1 --"}, "filter"),
    ({"filter": "kind = 'a' OR \"kind\"; SELECT pg_sleep(10)"}, "filter"),
    ({"filter": '{"op": "between", "args": [{"property": "start_year"}, 1]}', "filter-lang": "cql2-json"},
     "filter"),
    ({"filter": '{"op": "s_intersects", "args": [{"property": "geometry"}, {"type": "GeometryCollection"}]}',
      "filter-lang": "cql2-json"}, "filter"),
    ({"filter": json.dumps({"op": "=", "args": [prop("kind"), "x" * 3900]}), "filter-lang": "cql2-json"},
     "filter"),
    ({"filter": '{"op": "=", "args": [{"property": "kind\'; DROP TABLE sites_site; --"}, "a"]}',
      "filter-lang": "cql2-json"}, "filter"),
]  # fmt: skip


@pytest.mark.parametrize(("params", "parameter"), BAD)
def test_bad_literals_and_hostile_filters_are_400s_naming_the_parameter(sites, client, params, parameter):
    response = client.get(ITEMS, params)

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == parameter


def test_the_declared_cql2_classes_are_the_proven_ones(db, client):
    declared = {uri.rsplit("/", 1)[1] for uri in client.get("/ogc/conformance").json()["conformsTo"]
                if "/cql2/" in uri}  # fmt: skip

    assert declared == {
        "cql2-text",
        "cql2-json",
        "basic-cql2",
        "advanced-comparison-operators",
        "basic-spatial-functions",
        "basic-spatial-functions-plus",
        "spatial-functions",
    }
