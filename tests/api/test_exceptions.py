"""Errors are RFC 9457 problem details that name what is wrong."""

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient


@pytest.fixture
def editor_client(db):
    user = User.objects.create_user("problem-editor")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_body_that_is_not_json_is_a_problem_naming_the_body(editor_client):
    response = editor_client.post("/api/v1/staff/sites", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["errors"][0]["field"] == "body"


def test_an_unknown_path_under_the_api_is_a_404(db, client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404
