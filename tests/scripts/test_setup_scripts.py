"""Set-up failures say what is wrong and how to fix it.

These run the real scripts in subprocesses, as `make run` does. Nothing here
assumes where the clone sits: a clone in a directory other users cannot enter
(`mktemp -d`, /root) must pass too, so tests that need a place the postgres
user or `nobody` can reach make one (`open_dir`), and the fallback data dir
for an unreachable clone is tested on a copy of the script in such a place."""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FALLBACK_BASE = "/var/tmp/heritage-pg/"
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="the postgres-user checks apply when run as root")


def run_script(*args, env=None, user=None, root=ROOT, timeout=120):
    command = [str(root / "scripts" / args[0]), *args[1:]]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    clean_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PGHOST"}}
    return subprocess.run(
        command, env={**clean_env, **(env or {})}, cwd=root, capture_output=True, text=True,
        timeout=timeout, check=False,
    )


@pytest.fixture
def open_dir():
    """A directory every user can enter, wherever the clone and pytest's
    tmp_path live (both may sit under a mode-700 parent)."""
    path = Path(tempfile.mkdtemp(prefix="heritage-test-", dir="/var/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def copy_scripts(project: Path, *names: str) -> Path:
    (project / "scripts").mkdir(parents=True)
    for name in names:
        shutil.copy2(ROOT / "scripts" / name, project / "scripts" / name)
    return project


@pytest.fixture
def busy_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_postgis_start_names_a_port_in_use_and_how_to_move(busy_port, open_dir):
    data = open_dir / "pg"  # reachable by the postgres user: only the port is wrong

    done = run_script(
        "postgis.sh", "start", env={"HERITAGE_PG_PORT": str(busy_port), "HERITAGE_PG_DATA": str(data)}
    )

    assert done.returncode != 0
    assert f"port {busy_port} is in use" in done.stderr
    assert "HERITAGE_PG_PORT=" in done.stderr
    assert not data.exists()  # nothing half-created


@as_root
def test_postgis_start_explains_a_data_dir_the_postgres_user_cannot_reach(open_dir):
    locked = open_dir / "locked"
    locked.mkdir(mode=0o700)

    done = run_script("postgis.sh", "start", env={"HERITAGE_PG_DATA": str(locked / "pg")})

    assert done.returncode != 0
    assert f"cannot enter {locked} (mode 700)" in done.stderr
    assert f"chmod o+x {locked}" in done.stderr
    assert not (locked / "pg").exists()


@as_root
def test_a_clone_the_postgres_user_cannot_enter_falls_back_to_var_tmp(open_dir, busy_port):
    """The layout of `git clone` into `mktemp -d`: the fallback is chosen, named
    with its reason, and the outermost blocking directory is the one named.
    (A busy port stops the script right after the choice: no cluster is made.)"""
    locked = open_dir / "tmp.clone"
    locked.mkdir(mode=0o700)
    project = copy_scripts(locked / "heritage", "postgis.sh")

    done = run_script("postgis.sh", "start", env={"HERITAGE_PG_PORT": str(busy_port)}, root=project)

    assert f"cannot enter {locked} (mode 700)" in done.stderr
    assert f"using {FALLBACK_BASE}" in done.stderr
    assert f"port {busy_port} is in use" in done.stderr
    assert not (project / "var").exists()


@as_root
def test_system_packages_without_root_prints_the_apt_command_and_stops(open_dir):
    project = copy_scripts(open_dir / "heritage", "system-packages.sh")  # nobody must reach the script

    done = run_script(
        "system-packages.sh", "run",
        env={"HERITAGE_EXTRA_PACKAGES": "heritage-no-such-package"}, user="nobody", root=project,
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
