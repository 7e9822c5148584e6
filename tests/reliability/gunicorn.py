"""A real gunicorn for tests that need what only a server process shows
(chunked bodies on the wire, several workers, a database that goes away).

It runs the production settings (DEBUG off) with the test database, plus
any extra settings a test passes as Python source."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# For tests whose rows another process (gunicorn, a command) must see: they
# are committed, and the database is put back afterwards (tests/conftest.py).
committed_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def live_database_env() -> dict[str, str]:
    """The database the test run uses (test_heritage), as libpq variables."""
    db = connection.settings_dict
    return {
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"]),
        "PGDATABASE": db["NAME"],
        "PGUSER": db["USER"],
        "PGPASSWORD": db["PASSWORD"] or "",
    }


def wait_until_up(url: str, *, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.1)
    msg = f"gunicorn did not answer {url} within {seconds} s"
    raise RuntimeError(msg)


@contextlib.contextmanager
def gunicorn(tmp_path: Path, *, extra_settings: str = "", env: dict | None = None, workers: int = 1,
             args: tuple[str, ...] = ()):
    """Yield the base URL of a gunicorn serving config.wsgi on a free port."""
    module = f"live_settings_{os.getpid()}_{free_port()}"
    (tmp_path / f"{module}.py").write_text(
        "from config.settings import *  # noqa: F403\n" + extra_settings + "\n"
    )
    full_env = {
        **os.environ,
        **live_database_env(),
        "DJANGO_SETTINGS_MODULE": module,
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{settings.BASE_DIR}",
        "DJANGO_SECRET_KEY": "live-test",
        "DJANGO_DEBUG": "0",
        **(env or {}),
    }
    full_env.pop("DATABASE_URL", None)
    port = free_port()
    log = (tmp_path / f"{module}.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--no-control-socket", *args],
        cwd=settings.BASE_DIR, env=full_env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/api/v1/health")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
