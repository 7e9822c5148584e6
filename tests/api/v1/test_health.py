"""GET /api/v1/health reports the database and PostGIS, up or down."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_health_is_ok_with_the_postgis_version(db, client):
    response = client.get("/api/v1/health")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")


def test_health_answers_503_in_the_same_shape_when_the_database_is_down():
    # A real process whose database port has nothing listening on it.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='127.0.0.1').get('/api/v1/health');"
        "print(json.dumps({'code': r.status_code, 'body': r.json()}))"
    )
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": "9", "DJANGO_SECRET_KEY": "t",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)

    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=Path(settings.BASE_DIR),
        capture_output=True, text=True, timeout=120, check=False,
    )

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 503
    assert result["body"] == {"status": "unavailable", "database": "unavailable", "postgis": None}
