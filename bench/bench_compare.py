"""Ours next to tipg and pygeoapi on the same 100k sites, in one run.

    python -m bench.run --only=bench_compare [--n=60]

Each server runs two processes over the same database: ours (gunicorn), tipg
(uvicorn) and pygeoapi (gunicorn), the last two over a view of the published
sites (bench/comparators.py, which installs them in their own virtualenvs or
says why one is skipped). Requests are interleaved, one to each server in
turn, so the machine's noise falls on all alike. --baseline=DIR serves another
checkout of ours as "before" in the same rounds. Printed: p50/p95 of each,
ours ÷ raw SQL (the very statement our endpoint runs, through a plain
cursor), ours ÷ tipg, ours ÷ pygeoapi. Tiles: ours hold sites and routes,
tipg's the sites view only (it serves one collection a tile).
"""

import argparse
import json
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client

from bench import comparators
from bench.bench_exports import RAW_PAGE
from bench.bench_tiles import KONAK, tile_of, tile_sql
from bench.bench_tourist import (
    HOST,
    ensure_database,
    free_port,
    p,
    raw_time,
    say,
    start_gunicorn,
)

ZOOMS = (10, 12, 13, 14, 15, 16)
# Central İzmir: well over 1,000 published sites, so every server returns a full page.
OGC_BBOX = "26.95,38.30,27.30,38.55"
RAW_BBOX_PAGE = RAW_PAGE.replace(
    "WHERE status = 'published'",
    f"WHERE status = 'published' AND s.location::geometry && ST_MakeEnvelope({OGC_BBOX}, 4326)",
)


def get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def interleaved(urls: dict[str, str], n: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {name: [] for name in urls}
    for _warm in range(3):
        for url in urls.values():
            get(url)
    for _i in range(n):
        for name, url in urls.items():
            samples[name].append(get(url))
    return samples


def features_in(url: str) -> int:
    with urllib.request.urlopen(url, timeout=60) as response:
        return len(json.load(response)["features"])


def start_comparators() -> list[comparators.Comparator]:
    db = settings.DATABASES["default"]
    running = []
    for start in (comparators.start_tipg, comparators.start_pygeoapi):
        started = start(db, free_port_after(running))
        if isinstance(started, str):
            say(f"skipped {start.__name__.removeprefix('start_')}: {started}")
        else:
            say(f"{started.name} {started.version} on {started.base}")
            running.append(started)
    return running


def free_port_after(running: list) -> int:
    # free_port() hands out the first free one: skip ports a comparator just took.
    taken = {int(c.base.rsplit(":", 1)[1]) for c in running}
    port = free_port()
    while port in taken:
        port += 1
    return port


def row(name: str, ours: list[float], raw: list[float] | None, others: dict[str, list[float]]) -> str:
    def cell(values):
        return f"{p(values, 0.5):7.1f}/{p(values, 0.95):<7.1f}" if values else f"{'–':>15}"

    def ratio(values):
        return f"{p(ours, 0.5) / p(values, 0.5):9.2f}×" if values else f"{'–':>10}"

    return (
        f"{name:22}{cell(ours)}{cell(raw)}{cell(others.get('tipg'))}{cell(others.get('pygeoapi'))}"
        f"{cell(others.get('before'))}"
        f"{ratio(raw)}{ratio(others.get('tipg'))}{ratio(others.get('pygeoapi'))}{ratio(others.get('before'))}"
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_compare")
    parser.add_argument("--n", type=int, default=60)
    parser.add_argument("--baseline", type=Path, help="another checkout to serve as 'before'")
    options, _rest = parser.parse_known_args(argv)
    ensure_database()
    comparators.create_view(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sites_site")
    client = Client(HTTP_HOST=HOST)
    version = client.get("/api/v1/tiles.json").json()["tiles"][0].split("/tiles/")[1].split("/")[0]
    server, base = start_gunicorn(2)
    before = start_gunicorn(2, cwd=options.baseline) if options.baseline else None
    others = start_comparators()
    try:
        say(
            f"{'p50/p95 ms':22}{'ours':>15}{'raw SQL':>15}{'tipg':>15}{'pygeoapi':>15}{'before':>15}"
            f"{'÷raw':>10}{'÷tipg':>10}{'÷pygeoapi':>10}{'÷before':>10}"
        )
        for label, query in (("OGC items, 1000", ""), ("OGC items, bbox", f"&bbox={OGC_BBOX}")):
            urls = {"ours": f"{base}/ogc/collections/sites/items?limit=1000{query}"}
            urls.update({c.name: c.items + query for c in others})
            if before:
                urls["before"] = f"{before[1]}/ogc/collections/sites/items?limit=1000{query}"
            counts = ", ".join(f"{name} {features_in(url)}" for name, url in urls.items())
            samples = interleaved(urls, options.n)
            raw = raw_time([RAW_BBOX_PAGE if query else RAW_PAGE], options.n)
            say(row(label, samples.pop("ours"), raw, samples) + f"  (features: {counts})")
        for z in ZOOMS:
            z, x, y = tile_of(*KONAK, z)
            path = f"/api/v1/tiles/{version}/{z}/{x}/{y}.mvt"
            urls = {"ours": base + path}
            urls.update({c.name: c.tile.format(z, x, y) for c in others if c.tile})
            if before:
                urls["before"] = f"{before[1]}/api/v1/tiles/{z}/{x}/{y}.mvt"
            samples = interleaved(urls, options.n)
            statements, _size = tile_sql(client, path, z, x, y)
            say(row(f"tile {z}/{x}/{y}", samples.pop("ours"), raw_time(statements, options.n), samples))
    finally:
        for process, _base in [(server, base), *([before] if before else [])]:
            process.terminate()
            process.wait(timeout=10)
        for other in others:
            other.stop()
    say(f"(n={options.n} interleaved rounds; each server 2 processes; tiles at data version {version})")
