"""Security headers on every response, a CSP that allows only this server
(and the inline code that carries the response's nonce), and
`manage.py check --deploy` clean with production settings."""

import os
import re
import secrets
import subprocess
import sys
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from tests.factories import SiteFactory
from tests.reliability.gunicorn import gunicorn

PAGES = [
    "/api/v1/routes",
    "/api/v1/nothing-here",
    "/api/v1/schema",
    "/api/v1/docs",
    "/ogc?f=html",
    "/ogc/collections/sites/items?f=html",
    "/ogc/collections/sites/items",
    "/admin/login/",
    "/no-such-page",
    "/media/photos/nothing.webp",
]
HTML_PAGES = ["/api/v1/docs", "/ogc?f=html", "/ogc/collections/sites/items?f=html", "/admin/login/"]
ADMIN_PAGES = ["/admin/", "/admin/sites/site/", "/admin/sites/site/add/", "/admin/routes/route/add/"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_headers(response) -> dict[str, list[str]]:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    for name, values in policy.items():
        for value in values:  # nothing external: keywords, our own origin, data:/blob:, the nonce
            assert value.startswith("'") or value in {"data:", "blob:"}, (name, value)
    return policy


def inline_code_without_nonce(html: str, nonce: str | None) -> list[str]:
    """<script> without src (other than JSON data) and <style> elements that
    do not carry the response's nonce: what the CSP would block."""
    found = []
    for tag, attrs in re.findall(r"<(script|style)\b([^>]*)>", html):
        if tag == "script" and ("src=" in attrs or "application/json" in attrs):
            continue
        if not nonce or f'nonce="{nonce}"' not in attrs:
            found.append(f"<{tag}{attrs}>")
    return found


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(db, client, path):
    assert_headers(client.get(path))


def test_the_csp_allows_what_the_guide_and_the_map_editor_need(db, client):
    policy = assert_headers(client.get("/api/v1/routes"))

    assert policy["script-src"] == ["'self'"]  # no nonce asked for: none allowed
    assert policy["style-src"] == ["'self'"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["connect-src"] == ["'self'"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_html_pages_have_no_inline_code_the_csp_would_block(db, client, path):
    SiteFactory()
    response = client.get(path)
    policy = assert_headers(response)
    nonces = [v[len("'nonce-") : -1] for v in policy["script-src"] if v.startswith("'nonce-")]

    assert response["Content-Type"].startswith("text/html")
    assert inline_code_without_nonce(response.content.decode(), nonces[0] if nonces else None) == []


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_have_no_inline_code_the_csp_would_block(db, client, path):
    SiteFactory()
    client.force_login(User.objects.create_superuser("root", password="x-" * 8))
    response = client.get(path)
    policy = assert_headers(response)
    nonces = [v[len("'nonce-") : -1] for v in policy["script-src"] if v.startswith("'nonce-")]

    assert response.status_code == 200
    assert inline_code_without_nonce(response.content.decode(), nonces[0] if nonces else None) == []


def test_a_configured_basemap_is_the_one_external_origin_allowed(tmp_path):
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "probe",
        "HERITAGE_BASEMAP_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
    }

    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert "https://tiles.example.org" in done.stdout


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="1",
        DJANGO_ALLOWED_HOSTS="heritage.example",
    )

    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.live
def test_gunicorn_serves_static_files_and_pages_with_the_headers(db, tmp_path):
    static_root = tmp_path / "static"
    extra = f"STATIC_ROOT = {str(static_root)!r}"
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "live",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
    }
    (tmp_path / "collect_settings.py").write_text("from config.settings import *  # noqa: F403\n" + extra)
    env.update(
        DJANGO_SETTINGS_MODULE="collect_settings", PYTHONPATH=f"{tmp_path}{os.pathsep}{settings.BASE_DIR}"
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )

    with gunicorn(tmp_path, extra_settings=extra) as url:
        answers = [
            urllib.request.urlopen(url + path, timeout=10)
            for path in ("/static/heritage/ogc.css", "/ogc?f=html", "/api/v1/routes")
        ]

    for answer in answers:
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
        assert answer.headers["Referrer-Policy"] == "same-origin"
