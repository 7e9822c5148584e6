"""Database faults with a real PostgreSQL: a restart in the middle of
traffic answers 503 + Retry-After (never 500) and recovers at once, a
statement over the timeout is a 503, and a SIGKILLed import leaves all of
its rows or none.

The figures (how long the database was down, how soon the first 200 came)
are printed, not asserted: timings are for benchmarks."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import psycopg
import pytest

from tests.reliability.cluster import ROOT, make_cluster, wait_for
from tests.reliability.gunicorn import committed_db, gunicorn, live_database_env

pytestmark = pytest.mark.live

PROBLEM = "application/problem+json"
API_PATHS = (
    "/api/v1/routes",
    "/api/v1/sites?bbox=27.1,38.4,27.2,38.5",
    "/api/v1/sites/nearby?lat=38.4189&lon=27.1287",
    "/ogc/collections/sites/items?limit=5",
    "/api/v1/export/sites?format=csv",
)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def own_cluster():
    yield from make_cluster()


def hammer(url: str, paths, stop: threading.Event, seen: list) -> None:
    """One client: request the paths in turn until told to stop."""
    while not stop.is_set():
        for path in paths:
            status, headers, _body = fetch(url + path)
            seen.append((time.monotonic(), status, headers.get("Retry-After"), headers.get("Content-Type")))


def start_and_time_acceptance(cluster) -> float:
    """Start the cluster; return when it first accepted connections."""
    starting = threading.Thread(target=cluster.start)
    starting.start()
    wait_for(cluster.accepting, seconds=60, step=0.01)
    accepted_at = time.monotonic()
    starting.join()
    return accepted_at


def test_a_database_restart_under_traffic_is_503_with_retry_after_then_recovers_at_once(
    own_cluster, tmp_path
):
    # The export limit raised, not off: the throttle's own store is the
    # database too, and its faults must be 503s as well.
    env = {**own_cluster.env, "HERITAGE_THROTTLE_EXPORT": "1000000/m"}
    with gunicorn(tmp_path, env=env, workers=2) as url:
        for path in API_PATHS:
            assert fetch(url + path)[0] == 200, path
        stop, seen = threading.Event(), []
        clients = [threading.Thread(target=hammer, args=(url, API_PATHS, stop, seen)) for _ in range(8)]
        for client in clients:
            client.start()
        time.sleep(1)
        own_cluster.stop()
        down_at = time.monotonic()
        time.sleep(3)
        down = [fetch(url + path) for path in API_PATHS]
        up_at = start_and_time_acceptance(own_cluster)
        time.sleep(2)
        stop.set()
        for client in clients:
            client.join(timeout=30)
        first_after = fetch(url + API_PATHS[0])

    statuses = Counter(status for _t, status, _r, _c in seen)
    first_200 = min((t for t, status, _r, _c in seen if status == 200 and t > up_at), default=None)
    print(  # noqa: T201 - the figures the issue asks for
        f"\nrestart under 8 clients: {dict(statuses)}; database down {up_at - down_at:.2f} s; "
        f"first 200 {first_200 - up_at:.3f} s after it accepted connections"
        if first_200 else f"\nno 200 after restart: {dict(statuses)}"
    )
    for status, headers, body in down:
        assert status == 503
        assert headers["Content-Type"] == PROBLEM
        assert headers["Retry-After"] == "5"
        assert json.loads(body)["type"].endswith("/database-unavailable")
    assert statuses[500] == 0
    assert set(statuses) <= {200, 503}
    assert all(retry == "5" and ctype == PROBLEM for _t, status, retry, ctype in seen if status == 503)
    assert first_200 is not None  # recovered with no gunicorn restart
    assert first_after[0] == 200


def test_health_reports_the_outage_and_the_recovery(own_cluster, tmp_path):
    with gunicorn(tmp_path, env=own_cluster.env) as url:
        own_cluster.stop()
        status_down, _h, body_down = fetch(url + "/api/v1/health")
        own_cluster.start()
        status_up, _h, _b = fetch(url + "/api/v1/health")

    assert status_down == 503
    assert json.loads(body_down)["database"] == "unavailable"
    assert status_up == 200


@committed_db
def test_a_statement_over_the_timeout_is_a_503_and_frees_the_worker(tmp_path):
    """A table lock held elsewhere makes the query wait: the wait counts
    against statement_timeout, as a slow plan would."""
    db = live_database_env()
    with gunicorn(tmp_path, env={"HERITAGE_STATEMENT_TIMEOUT_MS": "300"}) as url, psycopg.connect(
        host=db["PGHOST"], port=db["PGPORT"], dbname=db["PGDATABASE"], user=db["PGUSER"]
    ) as locker:
        locker.execute("LOCK TABLE sites_site IN ACCESS EXCLUSIVE MODE")
        status, headers, body = fetch(url + "/api/v1/sites")
        # Streamed exports too: their first chunks are made before the status is sent.
        exports = [fetch(f"{url}/api/v1/export/sites?format={fmt}") for fmt in ("csv", "geojson")]
        locker.rollback()
        after = fetch(url + "/api/v1/sites")

    assert status == 503
    assert headers["Content-Type"] == PROBLEM
    assert headers["Retry-After"] == "5"
    problem = json.loads(body)
    assert problem["type"].endswith("/statement-timeout")
    assert "300 ms" in problem["detail"]
    assert after[0] == 200  # the same single worker answers the next request
    for export_status, export_headers, export_body in exports:
        assert export_status == 503
        assert export_headers["Content-Type"] == PROBLEM
        assert json.loads(export_body)["type"].endswith("/statement-timeout")


def test_the_web_server_has_a_statement_timeout_and_commands_do_not():
    probe = (
        "import os, sys; {load}; from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "HERITAGE_STATEMENT_TIMEOUT_MS"}
    env.update(DJANGO_SECRET_KEY="probe", DJANGO_SETTINGS_MODULE="config.settings")

    def options(load: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe.format(load=load)], cwd=ROOT, env=env,
            capture_output=True, text=True, check=True,
        )
        return done.stdout.strip()

    assert "statement_timeout=10000" in options("import config.wsgi")
    assert "statement_timeout" not in options("import django; django.setup()")
