"""The permission matrix: anonymous / no role / editor / reviewer / admin
× read draft / write / publish / archive, on sites and routes.

A table, so a change to who may do what is one visible line here."""

import pytest

from api.concurrency import etag_for
from editorial.vocabularies import Status
from routes.models import Route
from sites.models import Site
from tests.api.v1.staff_client import client_for, route_body, send, site_body, written
from tests.factories import RouteFactory, SiteFactory

ROLES = ("anonymous", "nobody", "editor", "reviewer", "admin")


def client(role):
    return client_for({"anonymous": None, "nobody": "nobody"}.get(role, role))


def read_draft(c, obj, base):
    return c.get(f"{base}/{obj.slug}")


def list_all(c, obj, base):
    return c.get(base)


def create(c, obj, base):
    body = site_body(slug="brand-new") if base.endswith("sites") else route_body(slug="brand-new")
    return send(c, "post", base, body)


def edit(c, obj, base):
    body = {"type": "Feature", "properties": {"name": {"tr": "Yeni"}}}
    return send(c, "patch", f"{base}/{obj.slug}", body, HTTP_IF_MATCH=etag_for(obj))


def move_to(status):
    def move(c, obj, base):
        return send(c, "post", f"{base}/{obj.slug}/status", {"status": status}, HTTP_IF_MATCH=etag_for(obj))

    move.__name__ = f"move_to_{status}"
    return move


def archive(c, obj, base):
    return c.delete(f"{base}/{obj.slug}", HTTP_IF_MATCH=etag_for(obj))


#  action,            status of the object,  anonymous, nobody, editor, reviewer, admin
MATRIX = [
    (read_draft, Status.DRAFT, 401, 403, 200, 200, 200),
    (read_draft, Status.REVIEW, 401, 403, 200, 200, 200),
    (read_draft, Status.ARCHIVED, 401, 403, 200, 200, 200),
    (list_all, Status.DRAFT, 401, 403, 200, 200, 200),
    (create, None, 401, 403, 201, 201, 201),
    (edit, Status.DRAFT, 401, 403, 200, 200, 200),
    (edit, Status.REVIEW, 401, 403, 200, 200, 200),
    (edit, Status.PUBLISHED, 401, 403, 403, 200, 200),
    (edit, Status.ARCHIVED, 401, 403, 403, 403, 200),
    (move_to(Status.REVIEW), Status.DRAFT, 401, 403, 200, 200, 200),
    (move_to(Status.PUBLISHED), Status.REVIEW, 401, 403, 403, 200, 200),
    (move_to(Status.PUBLISHED), Status.DRAFT, 401, 403, 403, 200, 200),
    (move_to(Status.DRAFT), Status.PUBLISHED, 401, 403, 403, 200, 200),
    (move_to(Status.DRAFT), Status.ARCHIVED, 401, 403, 403, 200, 200),
    (archive, Status.PUBLISHED, 401, 403, 403, 200, 200),
    (archive, Status.REVIEW, 401, 403, 403, 200, 200),
    # someone else's draft: editors archive only their own (next test)
    (archive, Status.DRAFT, 401, 403, 403, 200, 200),
]

CASES = [
    pytest.param(action, status, role, expected, kind, id=f"{kind}-{action.__name__}-{status}-{role}")
    for action, status, *codes in MATRIX
    for role, expected in zip(ROLES, codes, strict=True)
    for kind in ("sites", "routes")
]


@pytest.mark.parametrize(("action", "status", "role", "expected", "kind"), CASES)
def test_the_permission_matrix(db, action, status, role, expected, kind):
    factory = SiteFactory if kind == "sites" else RouteFactory
    obj = factory(status=status or Status.DRAFT)
    before = written()

    response = action(client(role), obj, f"/api/v1/staff/{kind}")

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert written() == before
        assert obj.slug.encode() not in response.content  # nothing of the object leaks


def test_an_editor_archives_a_draft_they_created(db):
    editor = client_for("editor")
    site = SiteFactory(status=Status.DRAFT, created_by=editor.user)

    response = editor.delete(f"/api/v1/staff/sites/{site.slug}", HTTP_IF_MATCH=etag_for(site))

    assert response.status_code == 200
    assert Site.objects.get(pk=site.pk).status == Status.ARCHIVED


def test_an_editor_cannot_publish_a_route_by_patching_its_status_property(db):
    editor = client_for("editor")
    route = RouteFactory(status=Status.REVIEW)

    response = send(
        editor,
        "patch",
        f"/api/v1/staff/routes/{route.slug}",
        {"type": "Feature", "properties": {"status": "published"}},
        HTTP_IF_MATCH=etag_for(route),
    )

    assert response.status_code == 400
    assert Route.objects.get(pk=route.pk).status == Status.REVIEW


def test_a_session_login_works_as_well_as_a_token(db, client):
    from tests.factories import UserFactory

    user = UserFactory(role="reviewer")
    client.force_login(user)
    site = SiteFactory(status=Status.DRAFT)

    response = client.get(f"/api/v1/staff/sites/{site.slug}")

    assert response.status_code == 200


def test_an_invalid_token_is_a_401(db):
    c = client_for(None)
    c.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = c.get("/api/v1/staff/sites")

    assert response.status_code == 401
