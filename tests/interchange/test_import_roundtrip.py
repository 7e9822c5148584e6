"""Round trip: export everything, import it into an emptied database,
export again: the same GeoJSON (only the generation time differs)."""

import io
import json

from django.core.management import call_command

from editorial.vocabularies import Status
from routes.models import Route
from sites.models import Site

TIME_DEPENDENT = ("generated_at", "citation")


def export(tmp_path, name: str, *args: str) -> dict:
    target = tmp_path / name
    call_command("export_geodata", *args, "--include-drafts", "-o", str(target), stderr=io.StringIO())
    document = json.loads(target.read_text(encoding="utf-8"))
    for key in TIME_DEPENDENT:
        document.pop(key)
    return document


def test_export_import_export_gives_the_same_geojson(izmir, tmp_path):
    Site.objects.filter(slug="konak-clock-tower").update(status=Status.DRAFT)  # drafts travel too
    before = tmp_path / "before"
    before.mkdir()
    sites = export(before, "sites.geojson", "sites")
    routes = {
        slug: export(before, f"{slug}.geojson", "route", slug)
        for slug in Route.objects.values_list("slug", flat=True)
    }

    Route.objects.all().delete()
    Site.objects.all().delete()
    call_command("import_geodata", str(before / "sites.geojson"), stdout=io.StringIO(), stderr=io.StringIO())
    for slug in routes:
        call_command(
            "import_geodata", str(before / f"{slug}.geojson"), stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert export(tmp_path, "again.geojson", "sites") == sites
    for slug, document in routes.items():
        assert export(tmp_path, f"{slug}-again.geojson", "route", slug) == document
    assert Site.objects.get(slug="konak-clock-tower").status == Status.DRAFT
    assert len(sites["features"]) == 42
