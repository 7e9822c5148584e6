"""api.paging: one limit/offset rule (ASCII digits only) for the tourist
site list, the staff lists and the OGC items (issue #9)."""

import pytest

from tests.api.v1.staff_client import client_for
from tests.factories import SiteFactory

NON_ASCII = ["²", "٣", "¹²", "５"]


@pytest.mark.parametrize("value", NON_ASCII)
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_staff_lists_refuse_non_ascii_digits_naming_the_parameter(db, name, value):
    editor = client_for("editor")

    for url in ("/api/v1/staff/sites", "/api/v1/staff/routes"):
        response = editor.get(url, {name: value})

        assert response.status_code == 400, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"][0]["parameter"] == name


def test_staff_lists_still_page(db):
    SiteFactory.create_batch(3)
    editor = client_for("editor")

    body = editor.get("/api/v1/staff/sites", {"limit": "2", "offset": "1"}).json()

    assert body["numberReturned"] == 2
    assert body["numberMatched"] == 3


@pytest.mark.parametrize("value", NON_ASCII)
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_the_tourist_site_list_refuses_non_ascii_digits(db, client, name, value):
    response = client.get("/api/v1/sites", {name: value})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == name


def test_the_tourist_nearby_list_refuses_an_arabic_indic_limit(db, client):
    response = client.get("/api/v1/sites/nearby", {"lat": "38.42", "lon": "27.13", "limit": "٣"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "limit"


@pytest.mark.parametrize("value", NON_ASCII)
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_ogc_items_refuse_non_ascii_digits(db, client, name, value):
    response = client.get("/ogc/collections/sites/items", {name: value})

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == name


@pytest.mark.parametrize("feature_id", ["%C2%B2", "%D9%A3", "99999999999999999999999"])
def test_an_ogc_stop_id_that_is_not_ascii_digits_is_404_for_anyone(db, client, feature_id):
    response = client.get(f"/ogc/collections/stops/items/{feature_id}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
