"""What never reaches a view still answers like the API."""

import pytest


@pytest.mark.parametrize("path", ["/api/v1/sites/", "/api/v1/routes/x/y/z", "/ogc/nothing/here"])
def test_an_unknown_api_path_is_a_problem_json_404(db, client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_an_unknown_page_elsewhere_stays_html(db, client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_cors_preflight_allows_if_none_match_and_accept_language(db, client):
    response = client.options(
        "/api/v1/sites",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match, accept-language",
    )

    allowed = response["Access-Control-Allow-Headers"].lower()
    assert "if-none-match" in allowed
    assert "accept-language" in allowed
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_ogc_landing_page_without_a_slash_is_cors_enabled(db, client):
    response = client.get("/ogc", HTTP_ORIGIN="https://qgis.example")

    assert response["Access-Control-Allow-Origin"] == "*"
