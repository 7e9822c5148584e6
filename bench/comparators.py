"""pygeoapi and tipg as comparators: each in its own virtualenv under
var/comparators/, over a view of the benchmark's own sites table.

    ensure(name) -> Comparator | str    a ready comparator, or why it is skipped

Versions are pinned in bench/requirements-<name>.txt. On Python 3.11 (this
project's) pygeoapi installs only as 0.21.0: 0.22 and later need 3.12. tipg
1.6.1 needs Python >= 3.11. Both serve with two processes, like our gunicorn.
"""

import os
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENVS = ROOT / "var" / "comparators"
PYTHON = "python3.11"
WORKERS = 2

# What both comparators serve: the published sites, one geometry column.
VIEW_SQL = """
CREATE OR REPLACE VIEW bench_sites AS
SELECT id, slug, name->>'tr' AS name, kind, start_year, end_year,
       location::geometry(Point, 4326) AS geom
FROM sites_site WHERE status = 'published'
"""


@dataclass
class Comparator:
    name: str
    version: str
    process: subprocess.Popen
    base: str
    items: str  # the 1,000-feature items page
    tile: str | None  # a format string taking z, x, y; None if it serves no tiles

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def create_view(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(VIEW_SQL)


def venv(name: str) -> Path | str:
    """The comparator's virtualenv, created and filled from its pins once."""
    target = VENVS / name
    requirements = ROOT / "bench" / f"requirements-{name}.txt"
    stamp = target / ".installed"
    if stamp.exists() and stamp.read_text() == requirements.read_text():
        return target
    python = shutil.which(PYTHON) or (sys.executable if sys.version_info[:2] == (3, 11) else None)
    if python is None:
        return f"{PYTHON} not found"
    shutil.rmtree(target, ignore_errors=True)
    pip = str(target / "bin" / "pip")
    steps = [[python, "-m", "venv", str(target)], [pip, "install", "-q", "-r", str(requirements)]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return f"`{' '.join(step[-3:])}` failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
    stamp.write_text(requirements.read_text())
    return target


def pinned_version(name: str) -> str:
    for line in (ROOT / "bench" / f"requirements-{name}.txt").read_text().splitlines():
        if line.lower().startswith(f"{name}=="):
            return line.split("==", 1)[1]
    return "?"


def database_url(db: dict) -> str:
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}/{db['NAME']}"


def wait_until_up(process: subprocess.Popen, url: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return True
        except OSError:
            time.sleep(0.3)
    return False


def start_tipg(db: dict, port: int) -> Comparator | str:
    target = venv("tipg")
    if isinstance(target, str):
        return target
    env = {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_TABLES": '["public.bench_sites"]',
        "TIPG_DB_FUNCTIONS": "[]",
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
    }
    command = [str(target / "bin" / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(WORKERS), "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    collection = f"{base}/collections/public.bench_sites"
    if not wait_until_up(process, collection):
        process.kill()
        return "tipg did not start (or did not find the bench_sites view)"
    return Comparator(
        "tipg", pinned_version("tipg"), process, base,
        items=f"{collection}/items?limit=1000",
        tile=collection + "/tiles/WebMercatorQuad/{}/{}/{}",
    )


def pygeoapi_config(db: dict, port: int) -> str:
    return textwrap.dedent(f"""\
        server:
          bind: {{host: 127.0.0.1, port: {port}}}
          url: http://127.0.0.1:{port}
          mimetype: application/json; charset=UTF-8
          encoding: utf-8
          language: en-US
          limits: {{default_items: 10, max_items: 10000}}
          map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OSM}}
        logging: {{level: ERROR}}
        metadata:
          identification: {{title: bench, description: bench, keywords: [bench], keywords_type: theme,
                            terms_of_service: none, url: 'http://127.0.0.1'}}
          license: {{name: CC-BY 4.0, url: 'https://creativecommons.org/licenses/by/4.0/'}}
          provider: {{name: bench, url: 'http://127.0.0.1'}}
          contact: {{name: bench}}
        resources:
          sites:
            type: collection
            title: sites
            description: published sites
            keywords: [sites]
            extents:
              spatial: {{bbox: [26.0, 37.5, 28.5, 39.5], crs: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'}}
            providers:
              - type: feature
                name: PostgreSQL
                data: {{host: {db['HOST'] or '127.0.0.1'}, port: {db['PORT']}, dbname: {db['NAME']},
                        user: {db['USER']}, password: '{db.get('PASSWORD') or ''}', search_path: [public]}}
                id_field: id
                table: bench_sites
                geom_field: geom
        """)


def start_pygeoapi(db: dict, port: int) -> Comparator | str:
    target = venv("pygeoapi")
    if isinstance(target, str):
        return target
    config = VENVS / "pygeoapi.config.yml"
    openapi = VENVS / "pygeoapi.openapi.yml"
    config.write_text(pygeoapi_config(db, port))
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    generated = subprocess.run(
        [str(target / "bin" / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
        env=env, capture_output=True, text=True, check=False,
    )
    if generated.returncode != 0:
        return f"pygeoapi openapi generate failed: {generated.stderr.strip().splitlines()[-1:]}"
    command = [str(target / "bin" / "gunicorn"), "pygeoapi.flask_app:APP", "--bind", f"127.0.0.1:{port}",
               "--workers", str(WORKERS)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    if not wait_until_up(process, f"{base}/collections/sites?f=json"):
        process.kill()
        return "pygeoapi did not start (see var/comparators/pygeoapi.config.yml)"
    return Comparator(
        "pygeoapi", pinned_version("pygeoapi"), process, base,
        items=f"{base}/collections/sites/items?limit=1000&f=json", tile=None,
    )
