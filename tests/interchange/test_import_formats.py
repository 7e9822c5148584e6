"""manage.py import_geodata reads every format, reprojects, upserts by slug
or external id, changes nothing on a second run and reports per row."""

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from editorial.vocabularies import Status
from routes.models import Route
from sites.models import Site
from tests.factories import SiteFactory

SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "samples"


def run_import(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_geodata", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_geojson_import_creates_sites_with_periods_and_years(db):
    out, _err = run_import(str(SAMPLES / "sites.geojson"))

    temple = Site.objects.get(slug="sample-temple")
    assert (temple.start_year, temple.end_year) == (-600, -546)
    assert list(temple.periods.values_list("code", flat=True)) == ["archaic_greek"]
    assert temple.status == Status.DRAFT  # rows without a status come in as drafts
    assert "sites: 2 new" in out


def test_a_second_import_of_the_same_file_changes_nothing(db):
    run_import(str(SAMPLES / "sites.geojson"))
    history_rows = Site.history.count()

    out, _err = run_import(str(SAMPLES / "sites.geojson"))

    assert "0 new, 0 changed, 2 unchanged" in out
    assert Site.history.count() == history_rows


def test_dry_run_reports_and_changes_nothing(db):
    out, _err = run_import(str(SAMPLES / "sites.geojson"), "--dry-run")

    assert out.splitlines()[-1].startswith("Would import")
    assert "sites: 2 new" in out
    assert not Site.objects.exists()


def test_dry_run_lists_each_row_that_would_change(db):
    run_import(str(SAMPLES / "sites.geojson"))
    Site.objects.filter(slug="sample-temple").update(end_year=-500)

    out, _err = run_import(str(SAMPLES / "sites.geojson"), "--dry-run")

    lines = out.splitlines()
    assert [line for line in lines if line.startswith("  row")] == ["  row 2: changed site sample-temple"]
    assert "sites: 0 new, 1 changed, 1 unchanged" in lines[-1]
    assert Site.objects.get(slug="sample-temple").end_year == -500


def test_a_long_dry_run_list_is_cut_unless_verbose(db, monkeypatch):
    from interchange.management.commands import import_geodata

    monkeypatch.setattr(import_geodata, "LIST_ROWS", 1)
    source = str(SAMPLES / "sites.geojson")

    short, _err = run_import(source, "--dry-run")
    full, _err = run_import(source, "--dry-run", "-v", "2")

    assert [line for line in short.splitlines() if line.startswith("  ")] == [
        "  row 1: new site sample-clock-tower",
        "  … and 1 more (-v 2 lists them all)",
    ]
    assert len([line for line in full.splitlines() if line.startswith("  row")]) == 2


def test_csv_with_lat_lon_columns(db):
    run_import(str(SAMPLES / "sites_latlon.csv"), "--status", "published")

    han = Site.objects.get(slug="sample-han")
    assert han.name == {"tr": "Örnek Han", "en": "Sample Han"}
    assert han.location.coords == (27.137, 38.419)
    assert han.sources == ["a source", "another source"]
    assert han.status == Status.PUBLISHED
    assert sorted(Site.objects.get(slug="sample-fountain").periods.values_list("code", flat=True)) == [
        "ottoman",
        "republic",
    ]


def test_csv_wkt_in_utm_is_reprojected_to_wgs84(db):
    run_import(str(SAMPLES / "sites_utm35n.csv"), "--srid", "32635")

    lon, lat = Site.objects.get(slug="sample-utm-monument").location.coords
    assert lon == pytest.approx(27.1287, abs=1e-5)
    assert lat == pytest.approx(38.4189, abs=1e-5)


def test_gpx_waypoints_become_sites_and_the_track_a_route(db):
    run_import(str(SAMPLES / "sites.gpx"))

    assert Site.objects.get(slug="sample-waypoint-mosque").kind == "mosque"
    route = Route.objects.get(slug="sample-track")
    assert route.path.coords == ((27.1287, 38.4189), (27.13, 38.42))
    assert route.status == Status.DRAFT


def test_kml_placemarks_become_sites(db):
    run_import(str(SAMPLES / "sites.kml"))

    church = Site.objects.get(slug="sample-placemark-church")
    assert (church.kind, church.start_year) == ("church", 1850)
    assert church.location.coords == (27.133, 38.421)


def test_kmz_is_read_from_its_doc_kml(db, tmp_path):
    kmz = tmp_path / "sites.kmz"
    with zipfile.ZipFile(kmz, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(SAMPLES / "sites.kml", "doc.kml")

    run_import(str(kmz))

    assert Site.objects.filter(slug__startswith="sample-placemark").count() == 2


def test_zipped_shapefile_in_utm_is_reprojected(db, tmp_path):
    source = tmp_path / "in.geojson"
    source.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [27.1287, 38.4189]},
                        "properties": {"slug": "shp-site", "name_en": "Shapefile Site", "kind": "museum"},
                    }
                ],
            }
        )
    )
    folder = tmp_path / "shp"
    subprocess.run(
        ["ogr2ogr", "-f", "ESRI Shapefile", "-t_srs", "EPSG:32635", str(folder), str(source)],
        check=True,
        capture_output=True,
    )
    archive_path = tmp_path / "sites.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for file in folder.iterdir():
            archive.write(file, f"layer/{file.name}")

    run_import(str(archive_path))

    site = Site.objects.get(slug="shp-site")
    assert site.kind == "museum"
    assert site.location.x == pytest.approx(27.1287, abs=1e-6)
    assert site.location.y == pytest.approx(38.4189, abs=1e-6)


def test_geopackage_export_imports_back_unchanged(izmir, tmp_path):
    target = tmp_path / "sites.gpkg"
    call_command("export_geodata", "sites", "--format", "gpkg", "-o", str(target), stderr=io.StringIO())

    out, _err = run_import(str(target))

    assert "sites: 0 new, 0 changed, 42 unchanged; routes: 0 new, 0 changed, 2 unchanged" in out


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "gpx"])
def test_every_route_export_imports_back_unchanged(izmir, tmp_path, fmt):
    target = tmp_path / f"route.{fmt}"
    call_command(
        "export_geodata",
        "route",
        "8500-years-in-one-day",
        "--format",
        fmt,
        "-o",
        str(target),
        stderr=io.StringIO(),
    )

    out, _err = run_import(str(target))

    assert "sites: 0 new, 0 changed, 15 unchanged" in out


def test_a_row_without_slug_matches_an_existing_site_by_wikidata_id(db, tmp_path):
    SiteFactory(slug="the-real-slug", wikidata="Q1", kind="clock_tower")
    source = tmp_path / "by-id.csv"
    source.write_text("name_en,kind,wikidata,lat,lon\nRenamed Tower,clock_tower,Q1,38.4189,27.1287\n")

    out, _err = run_import(str(source))

    assert Site.objects.get(slug="the-real-slug").name["en"] == "Renamed Tower"
    assert "0 new, 1 changed" in out


def test_bad_rows_are_listed_with_their_numbers_and_nothing_is_imported(db, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text(
        "slug,name_en,kind,lat,lon,start_year\n"
        "good,Good,han,38.42,27.13,1700\n"
        "far-away,Far,han,48.85,2.35,1700\n"
        "no-kind,Bad,spaceship,38.42,27.13,1700\n"
        "bad-year,Year,han,38.42,27.13,soon\n"
    )

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_geodata", str(source), stdout=io.StringIO(), stderr=(err := io.StringIO()))

    messages = err.getvalue()
    assert "row 3: location: The geometry lies outside the service area" in messages
    assert "row 4: kind: unknown kind 'spaceship'" in messages
    assert "row 5: start_year: 'soon' is not a year" in messages
    assert not Site.objects.exists()


def test_large_files_show_a_progress_bar(db, tmp_path):
    source = tmp_path / "many.csv"
    rows = "".join(f"bulk-{n},Bulk {n},other,38.42,{27.0 + n / 100000}\n" for n in range(1200))
    source.write_text("slug,name_en,kind,lat,lon\n" + rows)

    out, err = run_import(str(source), "--dry-run")

    assert "[" + "#" * 30 + "] 1200/1200" in err
    assert "sites: 1200 new" in out


def test_a_linked_places_export_imports_back_unchanged(izmir, tmp_path):
    target = tmp_path / "sites.jsonld"
    call_command("export_geodata", "sites", "--format", "lpf", "-o", str(target), stderr=io.StringIO())

    out, _err = run_import(str(target))

    assert "sites: 0 new" in out
    assert "42 unchanged" in out


def test_columns_missing_from_the_file_are_left_alone(db, tmp_path):
    SiteFactory(slug="han", kind="han", start_year=1744, wikidata="Q5", name={"tr": "Han", "en": "Han"})
    source = tmp_path / "names-only.csv"
    source.write_text("slug,name_en,lat,lon\nhan,Renamed Han,38.4189,27.1287\n")

    run_import(str(source))

    han = Site.objects.get(slug="han")
    assert (han.kind, han.start_year, han.wikidata) == ("han", 1744, "Q5")
    assert han.name == {"tr": "Han", "en": "Renamed Han"}  # only the English column was given


def test_a_csv_export_with_formula_like_names_imports_back_verbatim(db, tmp_path):
    """The apostrophe csvfile adds against spreadsheet formulas is removed on import."""
    SiteFactory(slug="evil", name={"tr": "=cmd|' /C calc'!A0", "en": "@SUM(1)"}, address="-dash")
    target = tmp_path / "sites.csv"
    call_command("export_geodata", "sites", "--format", "csv", "-o", str(target), stderr=io.StringIO())
    Site.objects.all().delete()

    run_import(str(target))

    site = Site.objects.get(slug="evil")
    assert site.name == {"tr": "=cmd|' /C calc'!A0", "en": "@SUM(1)"}
    assert site.address == "-dash"
