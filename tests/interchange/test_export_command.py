"""manage.py export_geodata: the API's formats and filters on the command line."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from editorial.vocabularies import Kind, Status
from tests.factories import RouteFactory, SiteFactory


def run_export(tmp_path, *args: str) -> dict:
    target = tmp_path / "out.geojson"
    call_command("export_geodata", *args, "-o", str(target), stderr=io.StringIO())
    return json.loads(target.read_text(encoding="utf-8"))


def test_sites_export_takes_the_api_filters(db, tmp_path):
    SiteFactory(slug="mosque", kind=Kind.MOSQUE, start_year=1600)
    SiteFactory(slug="church", kind=Kind.CHURCH, start_year=1200, end_year=1300)

    assert [f["id"] for f in run_export(tmp_path, "sites", "--kind", "mosque")["features"]] == ["mosque"]
    assert [f["id"] for f in run_export(tmp_path, "sites", "--datetime", "1250")["features"]] == ["church"]


def test_drafts_only_with_the_flag(db, tmp_path):
    SiteFactory(slug="draft", status=Status.DRAFT)

    assert run_export(tmp_path, "sites")["features"] == []
    assert [f["id"] for f in run_export(tmp_path, "sites", "--include-drafts")["features"]] == ["draft"]


def test_a_route_export_needs_a_visible_route(db, tmp_path):
    RouteFactory(slug="in-review", status=Status.REVIEW)

    with pytest.raises(CommandError, match="among published routes"):
        run_export(tmp_path, "route", "in-review")
    assert run_export(tmp_path, "route", "in-review", "--include-drafts")["features"][0]["id"] == "in-review"


def test_a_bad_filter_names_the_option(db, tmp_path):
    with pytest.raises(CommandError, match="--bbox"):
        run_export(tmp_path, "sites", "--bbox", "1,2")


def test_the_export_goes_to_standard_output_without_a_file(db, capsysbinary):
    SiteFactory(slug="shown")

    call_command("export_geodata", "sites", "--format", "csv")

    assert b"shown" in capsysbinary.readouterr().out


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-45", "2024-01-01T99:99:99Z"])
def test_a_date_that_does_not_exist_names_the_datetime_option(db, tmp_path, value):
    with pytest.raises(CommandError, match="--datetime"):
        call_command("export_geodata", "sites", "--datetime", value, "-o", str(tmp_path / "x.geojson"))
