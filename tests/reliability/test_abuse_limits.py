"""Abuse limits: wrong tokens and admin sign-ins per address, heavy
endpoints per client, staff writes per user; 429 problem+json with
Retry-After, counted in one shared table, so two servers with two
workers each enforce one limit. The suite switches the limits off
(tests/conftest.py); these tests switch them on, low."""

import json
import urllib.error
import urllib.request

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api import rate_counters
from tests.api.v1.staff_client import client_for, site_body
from tests.factories import SiteFactory, UserFactory
from tests.reliability.gunicorn import committed_db, gunicorn

PROBLEM = "application/problem+json"


@pytest.fixture
def limits(settings):
    settings.HERITAGE_THROTTLE_ENABLED = True
    settings.HERITAGE_THROTTLE_RATES = {
        "export": "3/m",
        "ogc_items": "2/m",
        "staff_write": "2/m",
        "token_failure": "5/h",
    }
    yield settings.HERITAGE_THROTTLE_RATES
    rate_counters.forget_all()


def assert_429(response) -> dict:
    assert response.status_code == 429, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    assert int(response["Retry-After"]) >= 1
    body = response.json()
    assert body["status"] == 429
    return body


def test_wrong_tokens_from_one_address_are_429_after_the_limit_even_for_a_right_one(db, limits):
    right = Token.objects.create(user=UserFactory(role="editor")).key
    guesser = APIClient()
    guesser.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    statuses = [guesser.get("/api/v1/staff/sites").status_code for _ in range(5)]
    blocked = guesser.get("/api/v1/staff/sites")
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {right}")
    right_token_meanwhile = guesser.get("/api/v1/staff/sites")
    elsewhere = APIClient(REMOTE_ADDR="10.9.8.7")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Token {right}")

    assert statuses == [401] * 5
    assert "wrong API tokens" in assert_429(blocked)["detail"]
    assert_429(right_token_meanwhile)
    assert elsewhere.get("/api/v1/staff/sites").status_code == 200


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/api/v1/export/sites?format=gpkg", 3), ("/ogc/collections/sites/items?limit=5", 2)],
)
def test_heavy_endpoints_are_limited_per_client(db, client, limits, path, allowed):
    SiteFactory()

    served = [client.get(path).status_code for _ in range(allowed)]
    body = assert_429(client.get(path))
    other_client = client.get(path, REMOTE_ADDR="10.1.2.3")

    assert served == [200] * allowed
    assert "at most" in body["detail"]
    assert other_client.status_code == 200


def test_light_endpoints_are_not_limited(db, client, limits):
    assert {client.get("/api/v1/routes").status_code for _ in range(10)} == {200}


def test_staff_writes_are_limited_per_user(db, limits):
    editor, other = client_for("editor"), client_for("editor")

    def create(who, slug):
        return who.post("/api/v1/staff/sites", site_body(slug=slug), format="json")

    written = [create(editor, f"han-{n}").status_code for n in range(2)]
    body = assert_429(create(editor, "han-2"))
    reads_still_fine = editor.get("/api/v1/staff/sites")

    assert written == [201, 201]
    assert body["type"].endswith("/throttled")
    assert reads_still_fine.status_code == 200
    assert create(other, "han-3").status_code == 201


def test_admin_sign_in_locks_the_address_out_after_the_failure_limit(db, client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from django.contrib.auth.models import User

    User.objects.create_superuser("admin", password="the-right-one-42")

    def sign_in(password):
        return client.post("/admin/login/?next=/admin/", {"username": "admin", "password": password})

    failures = [sign_in(f"wrong-{n}").status_code for n in range(3)]
    locked = sign_in("the-right-one-42")

    assert failures == [200, 200, 429]  # the form again, with an error; the third failure locks
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    assert "Too many failed sign-ins" in locked.content.decode()
    assert client.get("/admin/").status_code == 302  # not signed in


def test_a_right_password_before_the_limit_signs_in(db, client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    from django.contrib.auth.models import User

    User.objects.create_superuser("boss", password="the-right-one-42")
    client.post("/admin/login/", {"username": "boss", "password": "nope"})

    response = client.post("/admin/login/?next=/admin/", {"username": "boss", "password": "the-right-one-42"})

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.live
@committed_db
def test_one_limit_holds_across_two_servers_with_two_workers_each(tmp_path):
    SiteFactory()
    env = {"HERITAGE_THROTTLE_EXPORT": "4/m"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    try:
        with (
            gunicorn(tmp_path / "a", env=env, workers=2) as one,
            gunicorn(tmp_path / "b", env=env, workers=2) as two,
        ):
            answers = [_get(f"{server}/api/v1/export/sites?format=csv") for server in (one, two) * 4]
    finally:
        rate_counters.forget_all()

    statuses = [status for status, _h, _b in answers]
    assert statuses == [200] * 4 + [429] * 4
    for _status, headers, body in answers[4:]:
        assert headers["Content-Type"] == PROBLEM
        assert int(headers["Retry-After"]) >= 1
        assert json.loads(body)["status"] == 429
