"""Route paths read from uploaded GeoJSON, GPX and KML (geodata/path_files.py)."""

import json

import pytest
from django.core.exceptions import ValidationError

from geodata.path_files import MAX_PATH_FILE_BYTES, parse_path_file
from tests.factories import uploaded

LINE = [[27.1287, 38.4189], [27.14, 38.42], [27.15, 38.43]]


def parse(data: bytes | str, name: str = "path.bin"):
    if isinstance(data, str):
        data = data.encode()
    return parse_path_file(uploaded(data, name, "application/octet-stream"))


def refused(data: bytes | str) -> str:
    with pytest.raises(ValidationError) as caught:
        parse(data)
    return " ".join(caught.value.messages)


def test_a_geojson_linestring_becomes_the_path():
    path = parse(json.dumps({"type": "LineString", "coordinates": LINE}))

    assert path.geom_type == "LineString"
    assert path.srid == 4326
    assert path.coords[0] == (27.1287, 38.4189)


def test_a_feature_collection_with_two_lines_becomes_a_multilinestring_and_points_are_ignored():
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": LINE[:2]},
            },
            {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": LINE[0]}},
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": LINE[1:]},
            },
        ],
    }

    path = parse(json.dumps(collection))

    assert path.geom_type == "MultiLineString"
    assert len(path) == 2


def test_elevations_are_dropped():
    path = parse(json.dumps({"type": "LineString", "coordinates": [[*p, 12.5] for p in LINE]}))

    assert not path.hasz


def test_the_file_name_does_not_decide_the_format():
    gpx = '<gpx><rte><rtept lat="38.4189" lon="27.1287"/><rtept lat="38.42" lon="27.14"/></rte></gpx>'

    path = parse_path_file(uploaded(gpx.encode(), "route.geojson", "application/geo+json"))

    assert path.coords == ((27.1287, 38.4189), (27.14, 38.42))


def test_a_gpx_track_with_two_segments_becomes_a_multilinestring():
    gpx = (
        '<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1"><trk>'
        '<trkseg><trkpt lat="38.41" lon="27.12"/><trkpt lat="38.42" lon="27.13"/></trkseg>'
        '<trkseg><trkpt lat="38.43" lon="27.14"/><trkpt lat="38.44" lon="27.15"/></trkseg>'
        "</trk></gpx>"
    )

    path = parse(gpx)

    assert path.geom_type == "MultiLineString"
    assert path[1].coords[1] == (27.15, 38.44)


def test_a_kml_linestring_with_altitudes_is_read_in_2d():
    kml = (
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><LineString><coordinates>'
        "27.12,38.41,0 27.13,38.42,0\n27.14,38.43,5"
        "</coordinates></LineString></Placemark></Document></kml>"
    )

    path = parse(kml)

    assert path.coords == ((27.12, 38.41), (27.13, 38.42), (27.14, 38.43))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            json.dumps(
                {
                    "type": "LineString",
                    "coordinates": LINE,
                    "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
                }
            ),
            "CRS84",
        ),
        ('{"type": "LineString", "coordinates": [[NaN, 38.4], [27.1, 38.5]]}', "not a number"),
        ('{"type": "LineString", "coordinates": [[1e309, 38.4], [27.1, 38.5]]}', "finite"),
        ('{"type": "LineString", "coordinates": [[27.1, 38.4], ["27.2", 38.5]]}', "numbers"),
        ('{"type": "LineString", "coordinates": [[27.1, 38.4]]}', "fewer than two"),
        ('{"type": "LineString", "coordinates": [[227.1, 38.4], [27.1, 38.5]]}', "out of range"),
        (
            '{"type": "Polygon", "coordinates": [[[27.1, 38.4], [27.2, 38.4], [27.2, 38.5], [27.1, 38.4]]]}',
            "no line",
        ),
        ('{"type": "Blob"}', "unknown GeoJSON type"),
        ("[" * 10_000 + "]" * 10_000, "nested too deeply"),
        ("[[1, 2]]", "expected a GeoJSON object"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
        ("{not json", "not valid JSON"),
        ("<html><body/></html>", "GPX or KML"),
        ('<gpx><trk><trkseg><trkpt lat="x" lon="27"/></trkseg></trk></gpx>', "must be numbers"),
        ("<kml><LineString><coordinates>a,b c,d</coordinates></LineString></kml>", "must be numbers"),
        ("\x00\x01binary", "GeoJSON, GPX or KML"),
        ("", "GeoJSON, GPX or KML"),
    ],
    ids=[
        "crs_3857",
        "nan",
        "1e309",
        "string_coordinate",
        "one_point",
        "out_of_range",
        "polygon_only",
        "unknown_type",
        "deep_arrays",
        "array",
        "deep_objects",
        "bad_json",
        "html",
        "gpx_bad_number",
        "kml_bad_number",
        "binary",
        "empty",
    ],
)
def test_bad_path_files_are_refused_with_a_reason(data, message):
    assert message in refused(data)


def test_xml_entities_are_refused_billion_laughs():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        "<gpx><trk><trkseg>&lol2;</trkseg></trk></gpx>"
    )

    assert "DTD" in refused(bomb)


def test_xml_external_entities_are_refused():
    xxe = '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml>&x;</kml>'

    assert "DTD" in refused(xxe)


def test_a_path_file_over_5_mb_is_refused():
    big = json.dumps({"type": "LineString", "coordinates": LINE}) + " " * MAX_PATH_FILE_BYTES

    assert "5 MB" in refused(big)
