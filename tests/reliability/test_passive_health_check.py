"""The per-request health check without a round trip (config/postgis): a
connection the server has ended is found out by its socket, and the next
request connects again instead of failing; a sound one is kept."""

import urllib.request

import psycopg
import pytest
from django.db import connection

from config.postgis.base import connection_looks_sound
from tests.reliability.gunicorn import committed_db, gunicorn, live_database_env

pytestmark = pytest.mark.live


def connect(application_name: str = "") -> psycopg.Connection:
    db = live_database_env()
    return psycopg.connect(
        host=db["PGHOST"],
        port=db["PGPORT"],
        dbname=db["PGDATABASE"],
        user=db["PGUSER"],
        password=db["PGPASSWORD"] or None,
        application_name=application_name,
        autocommit=True,
    )


def terminate(admin: psycopg.Connection, application_name: str) -> int:
    """End the named backends as a restart would (FATAL 57P01), waiting until they are gone."""
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = %s",
        [application_name],
    ).fetchall()
    return sum(1 for (ended,) in rows if ended)


@pytest.mark.django_db
def test_an_idle_connection_is_sound_until_the_server_ends_it():
    with connect() as admin, connect("passive-check-probe") as probe:
        probe.execute("SELECT 1")
        assert connection_looks_sound(probe)
        assert terminate(admin, "passive-check-probe") == 1
        assert not connection_looks_sound(probe)


@pytest.mark.django_db
def test_the_check_needs_no_query(django_assert_num_queries):
    connection.ensure_connection()
    connection.health_check_enabled, connection.health_check_done = True, False
    with django_assert_num_queries(0):
        connection.close_if_health_check_failed()
    assert connection.connection is not None
    assert connection.health_check_done


@committed_db
def test_a_request_after_the_server_ended_the_connection_reconnects(tmp_path):
    """Without any health check this request would fail (a 503); with
    Django's it would cost a SELECT 1 on every request."""
    with connect() as admin, gunicorn(tmp_path, env={"PGAPPNAME": "passive-check-web"}) as url:
        assert urllib.request.urlopen(url + "/api/v1/routes", timeout=10).status == 200
        assert terminate(admin, "passive-check-web") == 1  # the worker's persistent connection
        with urllib.request.urlopen(url + "/api/v1/routes", timeout=10) as response:
            assert response.status == 200
