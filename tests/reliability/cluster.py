"""A PostgreSQL cluster of a test's own, on its own port, made and driven by
the project's scripts/postgis.sh: a test may stop and restart it without
touching the cluster the rest of the suite runs on."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.reliability.gunicorn import free_port

ROOT = Path(settings.BASE_DIR)


@dataclass
class Cluster:
    data: Path
    port: int

    @property
    def env(self) -> dict[str, str]:
        """What postgis.sh, manage.py and gunicorn need to use this cluster."""
        return {
            "HERITAGE_PG_DATA": str(self.data),
            "HERITAGE_PG_PORT": str(self.port),
            "PGPORT": str(self.port),
            "PGDATABASE": "heritage",
            "PGUSER": "heritage",
        }

    def _script(self, action: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PGHOST", "PGDATABASE"}}
        subprocess.run(
            [str(ROOT / "scripts" / "postgis.sh"), action], env={**env, **self.env}, check=True,
            capture_output=True, text=True, timeout=120,
        )

    def start(self) -> None:
        self._script("start")

    def stop(self) -> None:
        self._script("stop")

    def accepting(self) -> bool:
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        pg_isready = Path(bindir.stdout.strip()) / "pg_isready"
        if not pg_isready.exists():
            pg_isready = next(Path("/usr/lib/postgresql").glob("*/bin/pg_isready"))
        done = subprocess.run([str(pg_isready), "-q", "-h", "127.0.0.1", "-p", str(self.port)], check=False)
        return done.returncode == 0

    def manage(self, *args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        full_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PGHOST"}}
        full_env.update(self.env, DJANGO_SECRET_KEY="cluster-test", **(env or {}))
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, check=True,
            capture_output=True, text=True, timeout=300, **kwargs,
        )


def make_cluster(*, migrated: bool = True):
    """Generator for a fixture: a started, migrated cluster, removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="heritage-cluster-", dir="/var/tmp"))
    base.chmod(0o755)  # the postgres user must enter it (the clone may be mode 700)
    cluster = Cluster(data=base / "pg", port=free_port())
    try:
        cluster.start()
        if migrated:
            cluster.manage("migrate", "--no-input", "-v", "0")
        yield cluster
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(base, ignore_errors=True)


def wait_for(predicate, *, seconds: float = 30, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
