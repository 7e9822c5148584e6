"""Swagger UI at /api/v1/docs works from a real gunicorn after collectstatic,
with every asset served by whitenoise from /static/ (no CDN), as `make run`
serves it."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.live


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.fixture
def live_gunicorn(tmp_path):
    """gunicorn on a free port, settings as in production except STATIC_ROOT
    (a temporary directory, filled by collectstatic first)."""
    (tmp_path / "t3_live_settings.py").write_text(
        f"from config.settings import *  # noqa: F403\nSTATIC_ROOT = {str(tmp_path / 'static')!r}\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "t3_live_settings",
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{settings.BASE_DIR}",
        "DJANGO_SECRET_KEY": "live-test",
        "DJANGO_DEBUG": "0",
    }
    base = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=base, env=env, check=True
    )
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=base,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                _get(url + "/api/v1/docs")
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_swagger_ui_and_its_assets_are_served_locally_by_gunicorn(live_gunicorn):
    status, content_type, body = _get(live_gunicorn + "/api/v1/docs")
    html = body.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|png))"', html)

    assert status == 200
    assert content_type.startswith("text/html")
    assert assets
    for asset in assets:
        assert asset.startswith("/static/"), asset
        asset_status, _type, asset_body = _get(live_gunicorn + asset)
        assert asset_status == 200, asset
        assert asset_body
    schema_status, _type, schema = _get(live_gunicorn + "/api/v1/schema")
    assert schema_status == 200
    assert b"/api/v1/sites/nearby" in schema


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_swagger_ui_renders_every_tourist_operation_in_chromium_without_leaving_the_server(
    live_gunicorn, monkeypatch
):
    playwright_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    requests: list[str] = []
    problems: list[str] = []
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
            page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
            page.on(  # what the Content-Security-Policy blocks is reported on the console
                "console",
                lambda message: problems.append(f"CSP: {message.text}")
                if "Content Security Policy" in message.text
                else None,
            )
            page.goto(live_gunicorn + "/api/v1/docs", wait_until="networkidle")
            page.wait_for_selector(".opblock", timeout=15_000)
            operations = page.locator(".opblock-summary-path").all_inner_texts()
            page.locator("#operations-sites-sites_nearby .opblock-summary").click()
            nearby = page.locator("#operations-sites-sites_nearby").inner_text()
        finally:
            browser.close()

    assert problems == []
    assert requests
    assert [url for url in requests if not url.startswith(live_gunicorn + "/")] == []
    for path in (
        "/api/v1/routes",
        "/api/v1/routes/{slug}",
        "/api/v1/routes/{slug}/triggers",
        "/api/v1/routes/{slug}/progress",
        "/api/v1/sites",
        "/api/v1/sites/nearby",
        "/api/v1/sites/{slug}",
    ):
        assert path in {text.replace("\u200b", "") for text in operations}, path
    for word in ("lat", "lon", "radius", "limit", "If-None-Match", "400", "304"):
        assert word in nearby, word
