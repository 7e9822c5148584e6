"""manage.py release: a numbered release holds every export format, a
Frictionless data package, CITATION.cff, README, changelog and SHA256SUMS;
it is immutable, and bad versions are refused with a clear error."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from interchange.models import Release
from tests.interchange.lpf_schema import core_validator, schema_errors, whg_schema_folder, whg_validator
from tests.interchange.release_helpers import make_release

FRICTIONLESS = Path(sys.executable).parent / "frictionless"
FORMATS = ("geojson", "csv", "gpkg", "lpf.jsonld")
ROUTES = ("8500-years-in-one-day", "izmir-historical-waterways")
DOCUMENTS = {"manifest.csv", "changes.csv", "CHANGELOG.md", "CITATION.cff", "README.md", "datapackage.json"}


@pytest.fixture
def release(published_routes, releases_dir):
    return make_release()


def folder(releases_dir, version="2026.12") -> Path:
    return releases_dir / version


def test_a_release_holds_every_format_of_sites_and_both_routes(release, releases_dir):
    names = {path.name for path in folder(releases_dir).iterdir()}

    assert {f"izmir-heritage-sites-2026.12.{fmt}" for fmt in FORMATS} <= names
    assert {
        f"izmir-heritage-route-{slug}-2026.12.{fmt}" for slug in ROUTES for fmt in ("gpx", "kml")
    } <= names
    assert DOCUMENTS | {"SHA256SUMS"} <= names
    assert {entry["name"] for entry in release.files} == names
    assert (release.site_count, release.route_count) == (42, 2)


def test_sha256sums_covers_every_other_file_and_checks(release, releases_dir):
    sums = (folder(releases_dir) / "SHA256SUMS").read_text()
    listed = {line.split("  ", 1)[1] for line in sums.splitlines()}

    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"],
        cwd=folder(releases_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert listed == {entry["name"] for entry in release.files} - {"SHA256SUMS"}


def frictionless_report(descriptor: Path) -> dict:
    done = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", str(descriptor)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return json.loads(done.stdout)


def test_frictionless_validates_the_data_package(release, releases_dir):
    report = frictionless_report(folder(releases_dir) / "datapackage.json")

    assert report["valid"], [task["errors"][:3] for task in report["tasks"] if not task["valid"]]
    package = json.loads((folder(releases_dir) / "datapackage.json").read_text())
    assert package["version"] == "2026.12"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    sites = next(r for r in package["resources"] if r["path"].endswith("sites-2026.12.csv"))
    assert sites["schema"]["primaryKey"] == ["slug"]
    assert {"name": "start_year", "type": "integer"} in sites["schema"]["fields"]


def test_frictionless_notices_a_file_that_no_longer_matches(release, releases_dir, tmp_path):
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(folder(releases_dir)), str(copy)], check=True)
    copy.chmod(0o755)
    geojson = copy / "izmir-heritage-sites-2026.12.geojson"
    geojson.chmod(0o644)
    geojson.write_bytes(geojson.read_bytes() + b" ")

    assert not frictionless_report(copy / "datapackage.json")["valid"]


def test_citation_cff_is_citation_file_format_1_2_for_a_dataset(release, releases_dir):
    cff = yaml.safe_load((folder(releases_dir) / "CITATION.cff").read_text(encoding="utf-8"))

    # The keys CFF 1.2.0 requires, and the ones a citation of this release needs.
    assert cff["cff-version"] == "1.2.0"
    assert cff["message"]
    assert cff["title"]
    assert all(author["name"] for author in cff["authors"])
    assert cff["type"] == "dataset"
    assert cff["version"] == "2026.12"
    assert cff["date-released"] == "2026-12-02"
    assert cff["license"] == "CC-BY-4.0"
    assert cff["url"].endswith("/api/v1/releases/2026.12")
    assert cff["references"][0]["title"] == "Bizİzmir Açık Veri Portalı"


def test_readme_carries_licence_attribution_and_citation(release, releases_dir):
    readme = (folder(releases_dir) / "README.md").read_text(encoding="utf-8")

    assert "CC-BY-4.0" in readme
    assert "https://creativecommons.org/licenses/by/4.0/" in readme
    assert "Bizİzmir Açık Veri Portalı (CC BY 4.0)" in readme
    assert release.citation in readme
    assert "sha256sum -c SHA256SUMS" in readme


def test_the_release_linked_places_file_passes_the_lpf_schemas(release, releases_dir):
    document = json.loads((folder(releases_dir) / "izmir-heritage-sites-2026.12.lpf.jsonld").read_text())

    assert schema_errors(core_validator(), document) == []
    assert document["citation"]["citationItems"][0]["itemData"]["version"] == "2026.12"
    if (whg := whg_schema_folder()) is not None:
        assert schema_errors(whg_validator(whg), document) == []


def test_every_file_names_the_release_as_its_data_version(release, releases_dir):
    geojson = json.loads((folder(releases_dir) / "izmir-heritage-sites-2026.12.geojson").read_text())

    assert geojson["data_version"] == "2026.12"
    assert geojson["generated_at"] == "2026-12-02T09:30:00Z"


def test_files_and_folder_are_read_only(release, releases_dir):
    assert folder(releases_dir).stat().st_mode & 0o777 == 0o555
    assert {path.stat().st_mode & 0o777 for path in folder(releases_dir).iterdir()} == {0o444}


def test_a_second_release_of_the_same_version_is_refused_and_changes_nothing(release, releases_dir):
    before = (folder(releases_dir) / "SHA256SUMS").read_bytes()

    with pytest.raises(CommandError, match="exists; a release never changes"):
        call_command("release", "2026.12")

    assert (folder(releases_dir) / "SHA256SUMS").read_bytes() == before
    assert Release.objects.count() == 1


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("../x", "not a release version"),
        ("2026.13", "month must be 01 to 12"),
        ("2026.00", "month must be 01 to 12"),
        ("2026.1", "not a release version"),
        ("2026.12/..", "not a release version"),
        ("2026.12\x00", "not a release version"),
        ("", "not a release version"),
        ("1999.12", "year must be 2000"),
    ],
)
def test_bad_versions_are_refused_with_a_clear_error(db, releases_dir, version, message):
    with pytest.raises(CommandError, match=message):
        call_command("release", version)

    assert not releases_dir.exists() or not any(releases_dir.iterdir())
    assert not Release.objects.exists()


def test_a_version_older_than_the_latest_is_refused(release, releases_dir):
    with pytest.raises(CommandError, match=r"older than the latest release, 2026\.12"):
        call_command("release", "2026.11")


def test_the_database_refuses_to_change_a_release(release):
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(site_count=0)
