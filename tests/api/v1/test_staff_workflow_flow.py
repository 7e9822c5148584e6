"""End to end through the HTTP API: a site written by an editor reaches the
public endpoints only when a reviewer publishes it, and leaves when archived."""

import pytest

from tests.api.v1.staff_client import client_for, send, site_body

STAFF = "/api/v1/staff/sites/kemeralti-han"
PUBLIC = "/api/v1/sites/kemeralti-han"


def move(client, status: str):
    etag = client.get(STAFF)["ETag"]
    return send(client, "post", f"{STAFF}/status", {"status": status}, HTTP_IF_MATCH=etag)


def public_slugs(client) -> set[str]:
    return {feature["id"] for feature in client.get("/api/v1/sites", {"limit": 500}).json()["features"]}


@pytest.mark.parametrize("step", ["draft", "review"])
def test_an_unpublished_site_is_absent_from_every_public_endpoint(db, client, step):
    editor = client_for("editor")
    send(editor, "post", "/api/v1/staff/sites", site_body())
    if step == "review":
        move(editor, "review")

    detail = client.get(PUBLIC)
    nearby = client.get("/api/v1/sites/nearby", {"lat": 38.4189, "lon": 27.1287, "radius": 100})

    assert detail.status_code == 404
    assert "kemeralti-han" not in public_slugs(client)
    assert "kemeralti-han" not in {f["id"] for f in nearby.json()["features"]}


def test_a_site_goes_public_when_a_reviewer_publishes_it_and_leaves_when_archived(db, client):
    editor, reviewer = client_for("editor"), client_for("reviewer")
    send(editor, "post", "/api/v1/staff/sites", site_body())
    move(editor, "review")

    refused = move(editor, "published")
    published = move(reviewer, "published")
    public_after_publish = client.get(PUBLIC).status_code
    listed_after_publish = "kemeralti-han" in public_slugs(client)
    archived = reviewer.delete(STAFF, HTTP_IF_MATCH=reviewer.get(STAFF)["ETag"])

    assert (refused.status_code, published.status_code, archived.status_code) == (403, 200, 200)
    assert public_after_publish == 200
    assert listed_after_publish
    assert client.get(PUBLIC).status_code == 404
    assert "kemeralti-han" not in public_slugs(client)
