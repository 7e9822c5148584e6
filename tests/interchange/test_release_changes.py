"""What changed since the previous release (manifest.csv of site hashes →
changes.csv, CHANGELOG.md, the row's counts), and builds that fail or were
interrupted leave no release behind."""

import csv
from datetime import UTC, datetime

import psycopg
import pytest
from django.core.management import CommandError, call_command

from editorial.vocabularies import Status
from interchange.models import Release
from interchange.releases.build import LOCK_KEY
from interchange.releases.manifest import compare
from sites.models import Site
from tests.factories import SiteFactory
from tests.interchange.release_helpers import make_release
from tests.reliability.gunicorn import live_database_env

LATER = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)


def changes(releases_dir, version: str) -> set[tuple[str, str, str]]:
    with (releases_dir / version / "changes.csv").open(encoding="utf-8", newline="") as handle:
        return {tuple(row) for row in csv.reader(handle)} - {("change", "kind", "slug")}


def test_the_next_release_says_which_sites_were_added_changed_and_withdrawn(published_routes, releases_dir):
    make_release("2026.12")
    Site.objects.filter(slug="konak-clock-tower").update(name={"tr": "Saat Kulesi", "en": "The Clock Tower"})
    Site.objects.filter(slug="asansor").update(status=Status.DRAFT)
    SiteFactory(slug="new-fountain")

    release = make_release("2027.01", now=LATER)

    assert (release.previous, release.added, release.changed, release.withdrawn) == ("2026.12", 1, 1, 1)
    assert release.site_count == 42
    found = changes(releases_dir, "2027.01")
    assert ("added", "site", "new-fountain") in found
    assert ("changed", "site", "konak-clock-tower") in found
    assert ("withdrawn", "site", "asansor") in found
    # The route through the withdrawn site changed too (its stop list).
    assert {row[1] for row in found} <= {"site", "route"}
    changelog = (releases_dir / "2027.01" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Counted against release 2026.12." in changelog
    assert "- Withdrawn: 1: asansor" in changelog


def test_an_unchanged_database_gives_an_empty_changelog(published_routes, releases_dir):
    make_release("2026.12")

    release = make_release("2027.01", now=LATER)

    assert (release.added, release.changed, release.withdrawn) == (0, 0, 0)
    assert changes(releases_dir, "2027.01") == set()


def test_the_first_release_counts_every_site_as_added(published_routes, releases_dir):
    release = make_release("2026.12")

    assert (release.previous, release.added) == ("", 42)


def test_manifests_merge_in_one_pass():
    old = iter([("site", "a", "1"), ("site", "b", "2"), ("site", "d", "4"), ("route", "r", "9")])
    new = iter([("site", "b", "2"), ("site", "c", "3"), ("site", "d", "5"), ("route", "s", "8")])

    assert list(compare(old, new)) == [
        ("withdrawn", "site", "a"),
        ("added", "site", "c"),
        ("changed", "site", "d"),
        ("withdrawn", "route", "r"),
        ("added", "route", "s"),
    ]


def test_a_build_that_fails_half_way_leaves_no_folder_and_no_row(published_routes, releases_dir, monkeypatch):
    # No ogr2ogr on the PATH: the GeoPackage, third of the files, cannot be written.
    monkeypatch.setenv("PATH", "/nonexistent")
    written = []

    with pytest.raises(FileNotFoundError):
        make_release("2026.12", progress=written.append)

    assert written == ["izmir-heritage-sites-2026.12.geojson", "izmir-heritage-sites-2026.12.csv"]
    assert list(releases_dir.iterdir()) == []
    assert not Release.objects.exists()


def test_the_next_build_removes_what_an_interrupted_one_left(published_routes, releases_dir):
    leftover = releases_dir / ".building-2026.12-killed"
    leftover.mkdir(parents=True)
    (leftover / "izmir-heritage-sites-2026.12.geojson").write_text("{")

    make_release("2026.12")

    assert sorted(path.name for path in releases_dir.iterdir()) == ["2026.12"]


def test_a_release_folder_without_its_row_is_never_deleted_only_refused(published_routes, releases_dir):
    stray = releases_dir / "2026.12"
    stray.mkdir(parents=True)
    (stray / "README.md").write_text("cited somewhere")

    with pytest.raises(CommandError, match=r"exists but the database has no release 2026\.12"):
        call_command("release", "2026.12")

    assert (stray / "README.md").read_text() == "cited somewhere"


def test_a_damaged_previous_manifest_is_refused(published_routes, releases_dir):
    make_release("2026.12")
    manifest = releases_dir / "2026.12" / "manifest.csv"
    manifest.chmod(0o644)
    manifest.write_text(manifest.read_text() + "site,forged,0\n")

    with pytest.raises(CommandError, match="does not match its SHA-256 in release 2026"):
        call_command("release", "2027.01")

    assert not (releases_dir / "2027.01").exists()


def test_only_one_build_runs_at_a_time(published_routes, releases_dir):
    db = live_database_env()
    other = psycopg.connect(
        host=db["PGHOST"],
        port=db["PGPORT"],
        dbname=db["PGDATABASE"],
        user=db["PGUSER"],
        password=db["PGPASSWORD"],
        autocommit=True,
    )
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])  # a build elsewhere holds it

        with pytest.raises(CommandError, match="Another release is being built"):
            call_command("release", "2026.12")
    finally:
        other.close()
    assert not Release.objects.exists()
