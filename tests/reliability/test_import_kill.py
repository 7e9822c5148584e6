"""SIGKILL `manage.py import_geodata` half way through a large file: the
import is one transaction, so the database holds none of it (and a second,
uninterrupted run imports all of it)."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from sites.models import Site
from tests.factories import KONAK
from tests.reliability.cluster import ROOT, wait_for
from tests.reliability.gunicorn import committed_db, live_database_env

pytestmark = pytest.mark.live

ROWS = 1000  # ~5 s of row-by-row upserts: time to be half way


def big_geojson(path, rows: int) -> None:
    def feature(n: int) -> dict:
        point = [KONAK[0] + (n % 100) * 1e-4, KONAK[1] + n // 100 * 1e-4]
        name = {"tr": f"Toplu {n}", "en": f"Bulk {n}"}
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": point},
            "properties": {"slug": f"bulk-{n}", "name": name, "kind": "fountain"},
        }

    features = [feature(n) for n in range(rows)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def import_command(path) -> list[str]:
    return [sys.executable, "manage.py", "import_geodata", str(path), "--progress"]


def command_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, **live_database_env(), "DJANGO_SECRET_KEY": "kill-test"}


def read_progress(process, *, at_least: int) -> int:
    """Read the progress bar ("\\r[###   ] done/total") until `at_least` rows are done."""
    chunk = b""
    while process.poll() is None:
        chunk += os.read(process.stderr.fileno(), 256)
        frames = chunk.decode(errors="replace").split("\r")
        for frame in reversed(frames[:-1]):
            if "/" in frame and frame.rstrip().split(" ")[-1].split("/")[0].isdecimal():
                done = int(frame.rstrip().split(" ")[-1].split("/")[0])
                if done >= at_least:
                    return done
                break
    msg = f"the import ended before row {at_least}: {chunk[-500:]!r}"
    raise AssertionError(msg)


def backend_pids() -> set[int]:
    """The other sessions on the test database (a session-wide live server
    may hold one: only the import's own session matters here)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return {row[0] for row in cursor.fetchall()}


@committed_db
def test_a_sigkilled_import_leaves_nothing_and_a_rerun_imports_everything(tmp_path):
    source = tmp_path / "bulk.geojson"
    big_geojson(source, ROWS)
    sessions_before = backend_pids()
    process = subprocess.Popen(
        import_command(source), cwd=ROOT, env=command_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    started = time.monotonic()
    done = read_progress(process, at_least=ROWS // 2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    killed_after = time.monotonic() - started

    assert process.returncode == -signal.SIGKILL
    # PostgreSQL notices the dead client and rolls its transaction back.
    assert wait_for(lambda: not backend_pids() - sessions_before, seconds=30)
    print(f"\nkilled after {done}/{ROWS} rows, {killed_after:.1f} s in")  # noqa: T201
    assert Site.objects.filter(slug__startswith="bulk-").count() == 0

    rerun = subprocess.run(
        import_command(source),
        cwd=ROOT,
        env=command_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert Site.objects.filter(slug__startswith="bulk-").count() == ROWS
