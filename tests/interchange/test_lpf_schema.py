"""The Linked Places export passes the World Historical Gazetteer's current
schema (whg3 lpf_v2.0.jsonld): the top-level citation is a CSL citation
object, and every place has a `when`, dated or not."""

import json

import pytest

from interchange.exports import sites_export
from tests.factories import SiteFactory
from tests.interchange.export_helpers import export_bytes
from tests.interchange.lpf_schema import core_validator, schema_errors, whg_schema_folder, whg_validator

BASE = "https://example.test/ogc/collections/sites/items/"


@pytest.fixture
def lpf_export(db) -> dict:
    SiteFactory(slug="dated", start_year=-546, end_year=1400, wikidata="Q42")
    SiteFactory(slug="standing", start_year=1901)
    SiteFactory(slug="undated", start_year=None, end_year=None)
    SiteFactory(slug="only-end", start_year=None, end_year=1922)
    return json.loads(export_bytes(sites_export("lpf", base_uri=BASE)))


def test_lpf_export_passes_the_whg3_lpf_v2_schema(lpf_export):
    folder = whg_schema_folder()
    if folder is None:
        pytest.skip("whg3 schema files absent (see tests/data/linked-places/NOTICE.md)")

    assert schema_errors(whg_validator(folder), lpf_export) == []


def test_lpf_export_passes_our_restatement_of_lpf_v2(lpf_export):
    assert schema_errors(core_validator(), lpf_export) == []


def test_the_core_schema_refuses_the_old_string_citation(lpf_export):
    lpf_export["citation"] = lpf_export["citation_text"]

    assert schema_errors(core_validator(), lpf_export)


def test_lpf_citation_is_one_csl_dataset_item_and_the_text_stays_beside_it(lpf_export, settings):
    citation = lpf_export["citation"]
    (item,) = citation["citationItems"]

    assert citation["schema"] == "https://whgazetteer.org/schema/csl-citation.json"
    assert item["itemData"]["type"] == "dataset"
    assert item["itemData"]["version"] == settings.HERITAGE_DATA_VERSION
    assert item["itemData"]["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Bizİzmir Açık Veri Portalı (CC BY 4.0)" in item["itemData"]["note"]
    assert lpf_export["citation_text"].startswith("İzmir heritage routes project")


def test_undated_places_say_only_that_they_stood_by_a_year(lpf_export):
    places = {feature["properties"]["slug"]: feature for feature in lpf_export["features"]}

    assert places["dated"]["when"]["timespans"] == [{"start": {"in": "-0546"}, "end": {"in": "1400"}}]
    assert places["only-end"]["when"]["timespans"] == [{"start": {"latest": "1922"}}]
    assert places["undated"]["when"]["label"] == "undated"
    assert places["undated"]["when"]["timespans"][0]["start"]["latest"].isdigit()
