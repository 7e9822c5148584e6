"""Hostile imports are refused with a message and import nothing: XML
entity attacks, external DTDs, zip bombs, zip-slip, non-finite coordinates,
a broken CSV row. Every hostile file is made here, never kept in the repo."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from routes.models import Route
from sites.models import Site

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">
 <wpt lat="38.42" lon="27.13"><name>&lol9;</name></wpt>
</gpx>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>
 <name>&xxe;</name><Point><coordinates>27.13,38.42</coordinates></Point>
</Placemark></Document></kml>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE gpx SYSTEM "http://127.0.0.1:9/evil.dtd">
<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">
 <wpt lat="38.42" lon="27.13"><name>x</name></wpt>
</gpx>"""


def refused(path, match: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match=match):
        call_command("import_geodata", str(path), stdout=io.StringIO(), stderr=err)
    assert not Site.objects.exists()
    assert not Route.objects.exists()
    return err.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [("laughs.gpx", BILLION_LAUGHS), ("xxe.kml", XXE), ("dtd.gpx", EXTERNAL_DTD)],
)
def test_xml_with_a_dtd_or_entities_is_refused(db, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)

    refused(path, "Refused unsafe XML")


def test_xxe_never_reads_etc_passwd(db, tmp_path):
    path = tmp_path / "xxe.kml"
    path.write_bytes(XXE)

    with pytest.raises(CommandError) as raised:
        call_command("import_geodata", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert "root:" not in str(raised.value)


def test_kmz_zip_bomb_is_refused(db, tmp_path):
    path = tmp_path / "bomb.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        # 50 MB of one byte compresses about 1000:1.
        archive.writestr("doc.kml", b"<kml>" + b" " * (50 * 1024 * 1024) + b"</kml>")

    refused(path, "zip bomb")


def test_zip_bomb_with_lying_headers_is_stopped_while_reading(db, tmp_path, monkeypatch):
    from geodata.imports import archives

    monkeypatch.setattr(archives, "MAX_TOTAL_BYTES", 1024)
    monkeypatch.setattr(archives, "MAX_RATIO", 10**9)
    path = tmp_path / "big.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("doc.kml", b"<kml>" + b" " * 4096 + b"</kml>")
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    # Rewrite the declared size in the central directory to claim 10 bytes.
    data = path.read_bytes()
    central = data.rindex(b"PK\x01\x02")
    size_at = central + 24
    patched = data[:size_at] + (10).to_bytes(4, "little") + data[size_at + 4 :]
    path.write_bytes(patched)
    assert info.file_size > 1024

    refused(path, "zip")


@pytest.mark.parametrize("member", ["../../evil.shp", "/etc/evil.shp", "C:/evil.shp"])
def test_zip_slip_paths_are_refused(db, tmp_path, member):
    path = tmp_path / "slip.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, b"not a shapefile")

    refused(path, "zip-slip")
    assert not (tmp_path.parent / "evil.shp").exists()


@pytest.mark.parametrize("lat", ["NaN", "1e309", "-1e309", "inf"])
def test_gpx_with_non_finite_coordinates_reports_the_row(db, tmp_path, lat):
    path = tmp_path / "nan.gpx"
    path.write_text(
        '<gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1">'
        '<wpt lat="38.42" lon="27.13"><name>Fine</name></wpt>'
        f'<wpt lat="{lat}" lon="27.13"><name>Broken</name></wpt></gpx>'
    )

    messages = refused(path, "nothing was imported")

    assert "row 2: lat/lon: coordinates must be finite numbers" in messages


def test_geojson_with_nan_and_overflowing_coordinates_reports_the_rows(db, tmp_path):
    path = tmp_path / "nan.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [NaN, 38.4]},'
        ' "properties": {"slug": "a", "name": "A", "kind": "han"}},'
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [27.1, 1e309]},'
        ' "properties": {"slug": "b", "name": "B", "kind": "han"}}]}'
    )

    messages = refused(path, "nothing was imported")

    assert "row 1: geometry: coordinates must be finite numbers" in messages
    assert "row 2: geometry: coordinates must be finite numbers" in messages


def test_csv_with_a_broken_row_in_the_middle_imports_nothing(db, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        "slug,name_en,kind,lat,lon\n"
        "first,First,han,38.42,27.13\n"
        "second,Second,han,38.42,27.131,surplus,fields\n"
        "third,Third,han,38.42\n"
        "fourth,Fourth,han,38.42,27.133\n"
    )

    messages = refused(path, "nothing was imported")

    assert "row 3: row: 7 fields, the header has 5." in messages
    assert "row 4: row: fewer fields than the header's 5." in messages
    assert "row 2" not in messages
    assert "row 5" not in messages


def test_a_url_or_gdal_virtual_path_is_not_a_file(db):
    for path in ("http://127.0.0.1:9/sites.geojson", "/vsicurl/http://127.0.0.1:9/x.gpkg"):
        with pytest.raises(CommandError, match="not a regular local file"):
            call_command("import_geodata", path, stdout=io.StringIO(), stderr=io.StringIO())


def test_a_fake_geopackage_is_refused_before_gdal_opens_it(db, tmp_path):
    path = tmp_path / "fake.gpkg"
    path.write_text("<kml/>")

    refused(path, "Not a GeoPackage")


# Geometries the staff API refuses; a GeoJSON file import must refuse them too.
BAD_GEOMETRIES = {
    "3d_position": {"type": "Point", "coordinates": [27.13, 38.42, 10.0]},
    "bow_tie": {
        "type": "Polygon",
        "coordinates": [[[27.13, 38.42], [27.14, 38.43], [27.14, 38.42], [27.13, 38.43], [27.13, 38.42]]],
    },
    "open_ring": {
        "type": "Polygon",
        "coordinates": [[[27.13, 38.42], [27.14, 38.42], [27.14, 38.43], [27.13, 38.43]]],
    },
    "string_coordinate": {"type": "Point", "coordinates": ["27.13", 38.42]},
    "outside_the_service_area": {"type": "Point", "coordinates": [12.49, 41.89]},
}


@pytest.mark.parametrize("name", BAD_GEOMETRIES)
def test_a_geojson_import_refuses_what_the_staff_api_refuses_with_its_message(db, tmp_path, name):
    from tests.api.v1.staff_client import client_for, send, site_body

    geometry = BAD_GEOMETRIES[name]
    # A site's point is its geometry; a footprint goes in properties.shape.
    body = site_body(shape=geometry) if geometry["type"] == "Polygon" else site_body(geometry=geometry)
    api = send(client_for("editor"), "post", "/api/v1/staff/sites", body)
    path = tmp_path / "bad.geojson"
    feature = {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"slug": "x", "name": "X", "kind": "han"},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))

    messages = refused(path, "nothing was imported")

    assert api.status_code == 400
    api_message = api.json()["errors"][0]["message"]
    assert f"row 1: geometry: {api_message}" in messages
