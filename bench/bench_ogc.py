"""Benchmark: OGC API Parts 2 and 3 pages against the same raw PostGIS query.

    python -m bench.bench_ogc --sites 100000

Fills its own database with `generate_synthetic` (90 % published), serves it
with one gunicorn sync worker and times, median of several runs:

- a CQL2-filtered page of 1,000 features (`filter=kind IN (…) AND
  start_year < 1700 AND S_INTERSECTS(geometry, POLYGON(…))`) against the
  same WHERE clause written by hand in SQL;
- a page of 1,000 features reprojected to TUREF / TM27 (`crs=EPSG:5253`)
  against raw ST_Transform + ST_AsGeoJSON;

each as ours/raw (target <= 2x), warm (numberMatched remembered,
api/ogc/counts.py) and first (the filter's count not yet known: counted
in the page's statement, api/ogc/items.py page_with_total). Timings live here, never in
tests. The database is heritage_bench_ogc unless --database says otherwise.
"""

import argparse
import shutil
import statistics
import sys
import time
from urllib.parse import urlencode

from bench.bench_exports import COUNT_TTL_S, RAW_COLUMNS, Server, environment, prepare, timed_download

RUNS = 7
KINDS = ("mosque", "church", "han", "bath")
POLYGON = "POLYGON((26.9 38.2, 27.4 38.2, 27.4 38.7, 26.9 38.7, 26.9 38.2))"
KIND_LIST = ", ".join(repr(kind) for kind in KINDS)
CQL2 = f"kind IN ({KIND_LIST}) AND start_year < 1700 AND S_INTERSECTS(geometry, {POLYGON})"
TM27 = "http://www.opengis.net/def/crs/EPSG/0/5253"
PAGE = "SELECT ST_AsGeoJSON(t.*, 'location', {digits}) FROM (SELECT {columns} FROM sites_site s WHERE {where}"
RAW_FILTERED = (
    PAGE.format(digits=6, columns=RAW_COLUMNS, where="status = 'published'")
    + f" AND kind IN ({KIND_LIST}) AND start_year < 1700"
    + f" AND ST_Intersects(location::geometry, ST_GeomFromText('{POLYGON}', 4326))"
    + " ORDER BY slug LIMIT 1000) t"
)
RAW_REPROJECTED = (
    PAGE.format(
        digits=3,
        columns=RAW_COLUMNS.replace("location", "ST_Transform(location::geometry, 5253) AS location"),
        where="status = 'published'",
    )
    + " ORDER BY slug LIMIT 1000) t"
)


def median_raw_seconds(env: dict, sql: str) -> float:
    import psycopg

    with psycopg.connect(
        dbname=env["PGDATABASE"], host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"]
    ) as db:
        db.execute(sql).fetchall()  # warm the plan and the buffers like the server's
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            db.execute(sql).fetchall()
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def measure_page(server: Server, env: dict, params: dict, raw_sql: str) -> dict:
    url = f"{server.url}/ogc/collections/sites/items?{urlencode({'limit': 1000, **params})}"
    time.sleep(COUNT_TTL_S + 0.5)  # a count left by an earlier page has expired
    first_s = timed_download(url)[0]
    warm_s = statistics.median(timed_download(url)[0] for _ in range(RUNS))
    raw_s = median_raw_seconds(env, raw_sql)
    return {"first_ms": first_s * 1000, "warm_ms": warm_s * 1000, "raw_ms": raw_s * 1000}


def report(name: str, row: dict) -> None:
    print(  # noqa: T201 (a benchmark prints its table)
        f"  {name:<22}: {row['warm_ms']:7.1f} ms (first, with count: {row['first_ms']:.1f} ms)"
        f" vs raw {row['raw_ms']:.1f} ms = {row['warm_ms'] / row['raw_ms']:.2f}x"
        f" ({row['first_ms'] / row['raw_ms']:.2f}x first; target <= 2x)",
        flush=True,
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_ogc", description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--database", default="heritage_bench_ogc")
    options, _others = parser.parse_known_args(argv)  # bench.run may pass other modules' options
    if shutil.which("psql") is None:
        print("bench_ogc: psql is needed for the raw baseline; skipped.")  # noqa: T201
        return
    env = environment(options.database)
    published = prepare(env, options.sites)
    print(f"bench_ogc: {options.sites:,} sites ({published:,} published), one gunicorn sync worker")  # noqa: T201
    server = Server(env)
    try:
        timed_download(f"{server.url}/ogc/collections")  # warm up the worker and its connection
        # The worker's first filter loads pygeofilter and builds the grammar (~1 s, once).
        timed_download(f"{server.url}/ogc/collections/sites/items?limit=1&filter=start_year%3D1")
        # Its database connection's first ST_Transform to a CRS sets PROJ up for it (20-85 ms,
        # once per connection and CRS); the raw side is warmed by running its query once too.
        timed_download(f"{server.url}/ogc/collections/sites/items?limit=1&crs={TM27}")
        report("CQL2 filter, 1000", measure_page(server, env, {"filter": CQL2}, RAW_FILTERED))
        report("crs=EPSG:5253, 1000", measure_page(server, env, {"crs": TM27}, RAW_REPROJECTED))
    finally:
        server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
