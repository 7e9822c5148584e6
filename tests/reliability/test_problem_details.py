"""Every error that reaches Django under /api and /ogc is RFC 9457
problem+json, including what Django refuses before any view runs."""

import http.client
import json
from urllib.parse import urlsplit

import pytest

from tests.api.v1.staff_client import client_for, site_body
from tests.factories import SiteFactory, image_bytes
from tests.reliability.gunicorn import committed_db, gunicorn

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"]
    return body


@pytest.mark.parametrize(
    "path", ["/api/v1/sites", "/ogc/collections/sites/items", "/api/v1/export/sites", "/api/v1/staff/sites"]
)
def test_more_than_1000_query_fields_is_a_problem_json_400(db, client, path):
    query = "&".join(f"f{n}=1" for n in range(1001))

    body = assert_problem(client.get(f"{path}?{query}"), 400)

    assert "Too many query or form fields (at most 1000)" in body["detail"]


@pytest.mark.parametrize("path", ["/api/v1/routes", "/ogc/collections", "/api/v1/nothing"])
def test_a_host_header_we_do_not_serve_is_a_problem_json_400(db, client, path):
    body = assert_problem(client.get(path, HTTP_HOST="evil.example"), 400)

    assert "Host header" in body["detail"]


def test_a_disallowed_host_elsewhere_keeps_djangos_page(db, client):
    response = client.get("/admin/login/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_101_files_in_one_upload_is_a_problem_json_400_and_stores_nothing(db, settings):
    editor = client_for("editor")
    site = SiteFactory()
    png = image_bytes(20, 20)
    files = {f"file{n}": ("p.png", png, "image/png") for n in range(101)}
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {name: SimpleUploadedFile(*spec) for name, spec in files.items()}

    body = assert_problem(editor.post(f"/api/v1/staff/sites/{site.slug}/photos", data), 400)

    assert "Too many files in one upload (at most 100)" in body["detail"]
    assert site.photos.count() == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/ogc/collections/sites/items"),
        ("put", "/ogc/collections/sites/items/x"),
        ("delete", "/ogc"),
        ("post", "/ogc/api"),
    ],
)
def test_writes_to_the_read_only_ogc_api_are_a_problem_json_405_with_allow(db, client, method, path):
    body = assert_problem(getattr(client, method)(path), 405)

    assert "Allow header" in body["detail"]


def test_the_405_keeps_its_allow_header(db, client):
    response = client.post("/ogc/collections/sites/items")

    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


def test_a_chunked_body_is_refused_with_a_411_naming_content_length(db):
    editor = client_for("editor")

    response = editor.post(
        "/api/v1/staff/sites",
        json.dumps(site_body()),
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    body = assert_problem(response, 411)
    assert "Content-Length" in body["detail"]


@committed_db
def test_a_real_chunked_request_through_gunicorn_is_a_411_and_writes_nothing(tmp_path):
    from sites.models import Site

    editor = client_for("editor")
    token = editor._credentials["HTTP_AUTHORIZATION"]
    with gunicorn(tmp_path) as url:
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        body = json.dumps(site_body()).encode()
        conn.request(
            "POST",
            "/api/v1/staff/sites",
            body=iter([body[:40], body[40:]]),
            headers={"Authorization": token, "Content-Type": "application/json"},
            encode_chunked=True,
        )
        answer = conn.getresponse()
        payload = json.loads(answer.read())

    assert answer.status == 411
    assert answer.getheader("Content-Type") == PROBLEM
    assert payload["status"] == 411
    assert not Site.objects.filter(slug="kemeralti-han").exists()


@committed_db
def test_a_body_with_a_content_length_still_works_through_gunicorn(tmp_path):
    editor = client_for("editor")
    token = editor._credentials["HTTP_AUTHORIZATION"]
    with gunicorn(tmp_path) as url:
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        conn.request(
            "POST",
            "/api/v1/staff/sites",
            body=json.dumps(site_body()).encode(),
            headers={"Authorization": token, "Content-Type": "application/json"},
        )
        answer = conn.getresponse()
        answer.read()

    assert answer.status == 201
