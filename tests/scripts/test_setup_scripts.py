"""Set-up failures say what is wrong and how to fix it.

These run the real scripts in subprocesses, as `make run` does."""

import os
import socket
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_script(*args, env=None, user=None, timeout=120):
    command = [str(ROOT / "scripts" / args[0]), *args[1:]]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    clean_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PGHOST"}}
    return subprocess.run(
        command, env={**clean_env, **(env or {})}, cwd=ROOT, capture_output=True, text=True,
        timeout=timeout, check=False,
    )


@pytest.fixture
def busy_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_postgis_start_names_a_port_in_use_and_how_to_move(busy_port):
    data = ROOT / "var" / f"never-created-{busy_port}"  # reachable: only the port is wrong

    done = run_script(
        "postgis.sh", "start", env={"HERITAGE_PG_PORT": str(busy_port), "HERITAGE_PG_DATA": str(data)}
    )

    assert done.returncode != 0
    assert f"port {busy_port} is in use" in done.stderr
    assert "HERITAGE_PG_PORT=" in done.stderr
    assert not data.exists()  # nothing half-created


@pytest.mark.skipif(os.geteuid() != 0, reason="the postgres-user check applies when run as root")
def test_postgis_start_explains_a_data_dir_the_postgres_user_cannot_reach(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o700)

    done = run_script("postgis.sh", "start", env={"HERITAGE_PG_DATA": str(locked / "pg")})

    assert done.returncode != 0
    assert "cannot enter" in done.stderr
    assert f"chmod o+x {locked}" in done.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as an unprivileged user")
def test_system_packages_without_root_prints_the_apt_command_and_stops():
    done = run_script(
        "system-packages.sh", "run",
        env={"HERITAGE_EXTRA_PACKAGES": "heritage-no-such-package"}, user="nobody",
    )

    assert done.returncode == 1
    assert "apt-get install -y --no-install-recommends heritage-no-such-package" in done.stderr
    assert "Run as root" in done.stderr


def test_an_unreachable_database_url_is_reported_with_its_address():
    done = run_script("postgis.sh", "start", env={"DATABASE_URL": "postgres://x@127.0.0.1:9/heritage"})

    assert done.returncode != 0
    assert "Cannot connect to 127.0.0.1:9/heritage" in done.stderr


def test_a_database_url_server_with_postgis_is_used_without_starting_anything():
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"

    done = run_script("postgis.sh", "start", env={"DATABASE_URL": url})

    assert done.returncode == 0, done.stderr
    assert "starting nothing" in done.stdout
