"""Benchmark: researchers' exports and the OGC items page against raw PostGIS.

    python -m bench.bench_exports --sizes 100000,1000000

For each size: fill a benchmark database with `generate_synthetic` (90 % of
sites published), serve it with one gunicorn sync worker, then measure

- the streamed GeoJSON export (GET /api/v1/export/sites) in features/s and
  MB/s, next to the raw query streamed by psql
  (`COPY (SELECT ST_AsGeoJSON(t.*) FROM (…) t) TO STDOUT`) as a ratio
  (target ≥ 0.6×);
- the peak RSS of the serving worker (VmHWM; target < 250 MB at 1M);
- an OGC items page of 1,000 features against the same page as a raw query
  (target within 2×), median of several runs.

Timings live here, never in tests (bench/README.md). The database is
PGDATABASE=heritage_bench_exports unless --database says otherwise.
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
RSS_TARGET_MB = 250
PAGE_RUNS = 7
COLD_PAGE_RUNS = 3
COUNT_TTL_S = 10.0  # api/ogc/counts.py COUNT_TTL_S (not imported: no Django here)

# The raw baseline: the same rows and columns as the export contract
# (sites/selectors_export.py), as ST_AsGeoJSON of a record, in slug order.
RAW_COLUMNS = """slug, name, description, kind,
  ARRAY(SELECT sp.period_id FROM sites_site_periods sp JOIN sites_period p ON p.code = sp.period_id
        WHERE sp.site_id = s.id ORDER BY p.sort_order) AS periods,
  start_year, end_year, shape, geometry_quality, confidence, district, address, opening_hours,
  accessibility, wikidata, pleiades, osm, sources, license, attribution, status, location"""
RAW_EXPORT = (
    f"COPY (SELECT ST_AsGeoJSON(t.*, 'location', 6) FROM (SELECT {RAW_COLUMNS} FROM sites_site s"
    " WHERE status = 'published' ORDER BY slug) t) TO STDOUT"
)
RAW_PAGE = (
    f"SELECT ST_AsGeoJSON(t.*, 'location', 6) FROM (SELECT {RAW_COLUMNS} FROM sites_site s"
    " WHERE status = 'published' ORDER BY slug LIMIT 1000) t"
)


def environment(database: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PGDATABASE=database, DJANGO_SETTINGS_MODULE="config.settings")
    env.setdefault("DJANGO_SECRET_KEY", "bench-only")
    env.setdefault("PGHOST", "127.0.0.1")
    env.setdefault("PGPORT", os.environ.get("HERITAGE_PG_PORT", "54329"))
    env.setdefault("PGUSER", "heritage")
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def prepare(env: dict, sites: int) -> int:
    """Create/migrate the database, fill it; returns the published count."""
    admin = {**env, "PGDATABASE": "postgres"}
    name = env["PGDATABASE"]
    exists = subprocess.run(
        ["psql", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        env=admin,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", name], env=admin, check=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    # The generator is seeded: the same count means the same rows, kept from an earlier run.
    if int(psql_value(env, "SELECT count(*) FROM sites_site WHERE slug LIKE 'syn-%'")) != sites:
        manage(env, "generate_synthetic", "--sites", str(sites), "--routes", "10", "--seed", "42")
        subprocess.run(["psql", "-qc", "VACUUM ANALYZE sites_site"], env=env, check=True)
    return int(psql_value(env, "SELECT count(*) FROM sites_site WHERE status = 'published'"))


def psql_value(env: dict, sql: str) -> str:
    return subprocess.run(
        ["psql", "-tAc", sql], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn sync worker; its worker PID for RSS readings."""

    def __init__(self, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [GUNICORN, "config.wsgi", "-b", f"127.0.0.1:{self.port}", "--workers", "1", "--timeout", "900"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)

    def worker_pid(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.worker_pid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def timed_download(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    size = 0
    with urllib.request.urlopen(url, timeout=900) as response:
        while block := response.read(1 << 20):
            size += len(block)
    return time.perf_counter() - start, size


def timed_psql_copy(env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    process = subprocess.Popen(["psql", "-qAc", RAW_EXPORT], env=env, stdout=subprocess.PIPE)
    size = 0
    while block := process.stdout.read(1 << 20):
        size += len(block)
    process.wait()
    return time.perf_counter() - start, size


def median_page_seconds(url: str) -> float:
    return statistics.median(timed_download(url)[0] for _ in range(PAGE_RUNS))


def median_cold_page_seconds(url: str) -> float:
    """First pages: each after the count has expired (api/ogc/counts.py), so
    each pays the COUNT; the median of COLD_PAGE_RUNS (one sample is noise)."""
    timings = []
    for _ in range(COLD_PAGE_RUNS):
        time.sleep(COUNT_TTL_S + 0.5)
        timings.append(timed_download(url)[0])
    return statistics.median(timings)


def median_raw_page_seconds(env: dict) -> float:
    import psycopg

    with psycopg.connect(
        dbname=env["PGDATABASE"], host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"]
    ) as db:
        timings = []
        for _ in range(PAGE_RUNS):
            start = time.perf_counter()
            db.execute(RAW_PAGE).fetchall()
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def measure(env: dict, sites: int) -> dict:
    published = prepare(env, sites)
    server = Server(env)
    try:
        rss_idle = server.peak_rss_mb()
        ours_s, ours_bytes = timed_download(f"{server.url}/api/v1/export/sites?format=geojson")
        rss_peak = server.peak_rss_mb()
        raw_s, raw_bytes = timed_psql_copy(env)
        page_url = f"{server.url}/ogc/collections/sites/items?limit=1000"
        timed_download(f"{server.url}/ogc/collections")  # warm up the worker and its connection
        page_cold_s = median_cold_page_seconds(page_url)  # numberMatched counted
        page_s = median_page_seconds(page_url)  # numberMatched remembered (api/ogc/counts.py)
        raw_page_s = median_raw_page_seconds(env)
    finally:
        server.stop()
    return {
        "sites": sites,
        "published": published,
        "ours_fps": published / ours_s,
        "ours_mbps": ours_bytes / ours_s / 1e6,
        "ours_s": ours_s,
        "raw_fps": published / raw_s,
        "raw_mbps": raw_bytes / raw_s / 1e6,
        "raw_s": raw_s,
        "ratio": (published / ours_s) / (published / raw_s),
        "rss_idle": rss_idle,
        "rss_peak": rss_peak,
        "page_ms": page_s * 1000,
        "page_cold_ms": page_cold_s * 1000,
        "raw_page_ms": raw_page_s * 1000,
    }


def report(row: dict) -> None:
    lines = [
        f"{row['sites']:>9,} sites ({row['published']:,} published)",
        f"  export geojson : {row['ours_fps']:>10,.0f} features/s {row['ours_mbps']:7.1f} MB/s"
        f"  ({row['ours_s']:.1f} s)",
        f"  raw psql COPY  : {row['raw_fps']:>10,.0f} features/s {row['raw_mbps']:7.1f} MB/s"
        f"  ({row['raw_s']:.1f} s)",
        f"  ratio ours/raw : {row['ratio']:.2f}x   (target >= 0.6x)",
        f"  worker peak RSS: {row['rss_peak']:.0f} MB (idle {row['rss_idle']:.0f} MB;"
        f" target < {RSS_TARGET_MB} MB)",
        f"  OGC items 1000 : {row['page_ms']:.1f} ms (first, with count: {row['page_cold_ms']:.1f} ms)"
        f" vs raw query {row['raw_page_ms']:.1f} ms = {row['page_ms'] / row['raw_page_ms']:.2f}x"
        f" ({row['page_cold_ms'] / row['raw_page_ms']:.2f}x first, median of {COLD_PAGE_RUNS}; target <= 2x)",
    ]
    print("\n".join(lines), flush=True)  # noqa: T201 (a benchmark prints its table)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_exports", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="Comma-separated site counts.")
    parser.add_argument("--database", default="heritage_bench_exports")
    options, _others = parser.parse_known_args(argv)  # bench.run may pass other modules' options
    if shutil.which("psql") is None:
        print("bench_exports: psql is needed for the raw baseline; skipped.")  # noqa: T201
        return
    env = environment(options.database)
    print(f"bench_exports: database {options.database}, one gunicorn sync worker")  # noqa: T201
    for size in (int(value) for value in options.sizes.split(",")):
        report(measure(env, size))


if __name__ == "__main__":
    main(sys.argv[1:])
