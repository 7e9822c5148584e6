"""SIGKILL `manage.py release` half way through (after two of its files):
no release is left behind (no folder under its number, no row, nothing
listed), and a second, uninterrupted run builds the whole release and
removes the interrupted one's hidden folder."""

import os
import signal
import subprocess
import sys

import pytest
from django.db import connection

from editorial.vocabularies import Status
from interchange.models import Release
from tests.factories import SiteFactory
from tests.reliability.cluster import ROOT, wait_for
from tests.reliability.gunicorn import live_database_env

pytestmark = pytest.mark.live

VERSION = "2099.01"
APPLICATION_NAME = "heritage-release-kill-test"


def command_env(releases) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {
        **env,
        **live_database_env(),
        "DJANGO_SECRET_KEY": "kill-test",
        "PGAPPNAME": APPLICATION_NAME,
        "HERITAGE_RELEASES_DIR": str(releases),
    }


def release_command() -> list[str]:
    return [sys.executable, "manage.py", "release", VERSION, "--progress"]


def wait_for_line(process, wanted: str) -> list[str]:
    seen = []
    for raw in process.stderr:
        line = raw.decode(errors="replace").strip()
        seen.append(line)
        if line == wanted:
            return seen
    msg = f"the build ended before {wanted!r}: {seen[-20:]!r}"
    raise AssertionError(msg)


def build_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND application_name = %s",
            [APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


def test_a_sigkilled_release_build_leaves_no_release_and_a_rerun_builds_it(transactional_db, tmp_path):
    SiteFactory.create_batch(20, status=Status.PUBLISHED)
    releases = tmp_path / "releases"
    process = subprocess.Popen(
        release_command(),
        cwd=ROOT,
        env=command_env(releases),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    seen = wait_for_line(process, f"wrote izmir-heritage-sites-{VERSION}.csv")
    os.killpg(process.pid, signal.SIGKILL)  # the build and its ogr2ogr, as a power cut would
    process.wait(timeout=10)

    assert process.returncode == -signal.SIGKILL
    assert "wrote SHA256SUMS" not in seen
    assert wait_for(lambda: build_backends() == 0, seconds=30)  # PostgreSQL rolled it back
    assert not (releases / VERSION).exists()
    assert not Release.objects.exists()
    (leftover,) = releases.iterdir()  # only the killed build's hidden folder
    assert leftover.name.startswith(f".building-{VERSION}-")

    rerun = subprocess.run(
        release_command(),
        cwd=ROOT,
        env=command_env(releases),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert [path.name for path in releases.iterdir()] == [VERSION]
    release = Release.objects.get(version=VERSION)
    assert release.site_count == 20
    assert {entry["name"] for entry in release.files} == {
        path.name for path in (releases / VERSION).iterdir()
    }
