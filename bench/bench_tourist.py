"""Tourist API latency at 100k sites: in-process, through gunicorn, and the
raw PostGIS time of the very SQL each endpoint runs, side by side.

    PGDATABASE=heritage_bench python -m bench.run --only=bench_tourist [--n=200] [--workers=2]
    python -m bench.bench_tourist [--n=20]      (the same; --help prints this)

--n is the number of requests per endpoint (200; 20 is a quick run), --workers
gunicorn's (2), --load-seconds each load run's length (15). --baseline=DIR
also serves another checkout (e.g. `git worktree add var/before main`) for
the load runs, so "× before" is measured in the same run. The first run
generates the data (about 10 s).

The database is created, migrated and filled (interchange/synthetic.py) when
needed. The raw time replays, URL by URL, the queries each request of the
endpoint sent (a miss's), through a plain cursor; the ratio is endpoint p50 /
raw p50. The bbox page is also rendered by a naive drf-gis
GeoFeatureModelSerializer, the row-by-row alternative the DB-built features
replace.
"""

import itertools
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Prefetch
from django.test import Client
from django.test.utils import CaptureQueriesContext

SITES, ROUTES, SEED = 100_000, 1_000, 42
HOST = "127.0.0.1"
CENTRE = (27.14, 38.42)


def _ports() -> range:
    """Live-server ports: BENCH_PORTS=8501-8519 (an engineer's own range), else 8110-8119."""
    first, _, last = os.environ.get("BENCH_PORTS", "8110-8119").partition("-")
    return range(int(first), int(last or first) + 1)


PORTS = _ports()  # any free one is taken


@dataclass
class Row:
    name: str
    url: str
    in_process: list[float]
    gunicorn: list[float]
    raw: list[float]
    queries: int
    size_kb: float


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def say(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201 (a command-line report)


# --- data -------------------------------------------------------------------


def ensure_database() -> None:
    db = settings.DATABASES["default"]
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{db["NAME"]}"')
    with psycopg.connect(dbname=db["NAME"], autocommit=True, **params) as target:
        target.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sites_site WHERE slug LIKE 'syn-%%'")
        count = cursor.fetchone()[0]
    if count != SITES:
        started = time.perf_counter()
        call_command("generate_synthetic", sites=SITES, routes=ROUTES, seed=SEED, verbosity=0)
        say(f"generated {SITES} sites and {ROUTES} routes in {time.perf_counter() - started:.1f} s")


def longest_route() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug, ST_NPoints(path::geometry) FROM routes_route WHERE status = 'published' "
            "ORDER BY ST_NPoints(path::geometry) DESC LIMIT 1"
        )
        slug, vertices = cursor.fetchone()
    say(f"route detail/progress use {slug} ({vertices} vertices)")
    return slug


def route_point(slug: str) -> tuple[float, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_LineInterpolatePoint(path::geometry, 0.37) AS p "
            "FROM routes_route WHERE slug = %s) AS x",
            [slug],
        )
        return cursor.fetchone()


# --- timing -----------------------------------------------------------------


def timed(call: Callable[[], object], n: int) -> list[float]:
    for _warm in range(min(5, n)):
        call()
    samples = []
    for _i in range(n):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def captured_sql(client: Client, urls: list[str]) -> tuple[list[list[str]], int]:
    """Each URL's statements, as its first request sends them (a repeated URL
    is captured once, before any response of it is kept: a miss's SQL)."""
    from api.response_cache import response_cache  # after django.setup() (bench.run)

    seen: dict[str, list[str]] = {}
    size = 0
    for url in urls:
        if url in seen:
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        seen[url] = [q["sql"] for q in queries.captured_queries]
        size = size or len(response.content)
    kept = response_cache()
    if kept is not None:
        kept.clear()  # the timed requests in process start as cold as gunicorn's
    return [seen[url] for url in urls], size


def raw_time(statements: list[str], n: int) -> list[float]:
    """One request's SQL alone, n times: executed and fetched through a plain cursor."""
    return raw_time_each([statements], n)


def raw_time_each(statements: list[list[str]], n: int) -> list[float]:
    """Each request's SQL alone, request by request in the order the server
    got them (from the start again if there are fewer): executed and
    fetched through a plain cursor."""
    each = itertools.cycle(statements)
    return timed(lambda: replay(next(each)), n)


def replay(statements: list[str]) -> None:
    """Statements an endpoint sent, executed and fetched through a plain cursor."""
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(workers: int, cwd: Path | None = None) -> tuple[subprocess.Popen, str]:
    """Our server (or, with `cwd`, another checkout of it) on a free port."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench",
        "DJANGO_DEBUG": "0",
    }
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(workers)],
        cwd=cwd or settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{HOST}:{port}"
    for _attempt in range(200):
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=2).read()
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    msg = "gunicorn did not start"
    raise RuntimeError(msg)


def fetch(url: str) -> Callable[[], bytes]:
    def call() -> bytes:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read()

    return call


# --- cases ------------------------------------------------------------------


def published_site_slugs() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug FROM sites_site WHERE status = 'published' AND slug LIKE 'syn-%%' "
            "ORDER BY id LIMIT 20000"
        )
        return [row[0] for row in cursor.fetchall()]


def cases(rng: random.Random, slug: str) -> list[tuple[str, Callable[[], str]]]:
    lon, lat = route_point(slug)
    site_slugs = published_site_slugs()

    def nearby() -> str:
        x, y = CENTRE[0] + rng.uniform(-0.1, 0.1), CENTRE[1] + rng.uniform(-0.08, 0.08)
        return f"/api/v1/sites/nearby?lat={y:.6f}&lon={x:.6f}&radius=1000"

    def bbox_page() -> str:
        x, y = CENTRE[0] + rng.uniform(-0.01, 0.01), CENTRE[1] + rng.uniform(-0.01, 0.01)
        return f"/api/v1/sites?bbox={x - 0.05:.5f},{y - 0.04:.5f},{x + 0.05:.5f},{y + 0.04:.5f}&limit=1000"

    return [
        ("nearby (r=1000 m, 20)", nearby),
        ("sites bbox page (1000)", bbox_page),
        ("sites q search", lambda: f"/api/v1/sites?q=site%20{rng.randint(1, 9999)}&limit=100"),
        ("site detail", lambda: f"/api/v1/sites/{rng.choice(site_slugs)}"),
        ("routes list (950)", lambda: "/api/v1/routes"),
        ("route detail (longest)", lambda: f"/api/v1/routes/{slug}"),
        ("route triggers", lambda: f"/api/v1/routes/{slug}/triggers"),
        (
            "route progress",
            lambda: f"/api/v1/routes/{slug}/progress?lat={lat + rng.uniform(-1e-4, 1e-4):.6f}&lon={lon:.6f}",
        ),
    ]


def naive_bbox_page(n: int) -> list[float]:
    """The same 1000-feature page through drf-gis row by row (GEOS per row)."""
    from django.contrib.gis.geos import Polygon
    from rest_framework.renderers import JSONRenderer

    from api.v1.serializers import SiteListFeatureSerializer
    from geodata.functions import InLonLatBox
    from sites.models import Period, Site

    box = Polygon.from_bbox((CENTRE[0] - 0.05, CENTRE[1] - 0.04, CENTRE[0] + 0.05, CENTRE[1] + 0.04))

    def run():
        sites = (
            Site.objects.published()
            # The tourist list's lon/lat box test (sites/selectors.py), not a great-circle one.
            .filter(InLonLatBox("location", box), location__bboverlaps=box)
            .prefetch_related(Prefetch("periods", Period.objects.order_by("sort_order")))
            .order_by("slug")[:1000]
        )
        data = SiteListFeatureSerializer(sites, many=True, context={"language": "tr"}).data
        return JSONRenderer().render(data)

    return timed(run, n)


def print_table(rows: list[Row]) -> None:
    say(
        f"{'endpoint':26} {'in-process p50/p95':>19} {'gunicorn p50/p95':>18} {'raw SQL p50/p95':>17} "
        f"{'gunicorn/raw':>12} {'queries':>7} {'KB':>7}"
    )
    for row in rows:
        ratio = p(row.gunicorn, 0.5) / p(row.raw, 0.5)
        say(
            f"{row.name:26} {p(row.in_process, 0.5):8.2f}/{p(row.in_process, 0.95):<8.2f}ms "
            f"{p(row.gunicorn, 0.5):7.2f}/{p(row.gunicorn, 0.95):<7.2f}ms "
            f"{p(row.raw, 0.5):6.2f}/{p(row.raw, 0.95):<7.2f}ms {ratio:10.2f}× "
            f"{row.queries:7d} {row.size_kb:7.1f}"
        )


def main(argv: list[str]) -> None:
    n = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--n=")), 200)
    workers = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--workers=")), 2)
    load_s = next((float(a.split("=", 1)[1]) for a in argv if a.startswith("--load-seconds=")), 15.0)
    baseline = next((Path(a.split("=", 1)[1]) for a in argv if a.startswith("--baseline=")), None)
    ensure_database()
    slug = longest_route()
    client = Client(HTTP_HOST=HOST)
    server, base = start_gunicorn(workers)
    rows: list[Row] = []
    try:
        for name, make_url in cases(random.Random(SEED), slug):
            urls = [make_url() for _i in range(n + 5)]
            statements, size = captured_sql(client, urls)
            in_iter, gun_iter = iter(urls), iter(urls)
            in_process = timed(lambda it=in_iter: client.get(next(it)), n)
            gunicorn = timed(lambda it=gun_iter: fetch(base + next(it))(), n)
            raw = raw_time_each(statements, n)
            rows.append(Row(name, urls[0], in_process, gunicorn, raw, len(statements[0]), size / 1024))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print_table(rows)

    by_name = {row.name: row for row in rows}
    naive = naive_bbox_page(max(20, n // 5))
    page = by_name["sites bbox page (1000)"]
    say()
    say(
        f"bbox page, naive drf-gis serializer (in-process, no HTTP): p50 {p(naive, 0.5):.1f} ms, "
        f"p95 {p(naive, 0.95):.1f} ms; DB-built endpoint in-process p50 {p(page.in_process, 0.5):.1f} ms "
        f"({p(naive, 0.5) / p(page.in_process, 0.5):.1f}× faster)"
    )
    nearby, detail = by_name["nearby (r=1000 m, 20)"], by_name["route detail (longest)"]
    say()
    from bench.tourist_load import load_section  # it imports this module

    load_section(slug, workers=workers, seconds=load_s, baseline=baseline)
    say()
    say("targets:")
    say(f"  nearby p95 via gunicorn ≤ 15 ms: {p(nearby.gunicorn, 0.95):.2f} ms")
    say(
        f"  1000-feature bbox page within 2× raw: in-process p50 {p(page.in_process, 0.5):.2f} ms vs raw "
        f"{p(page.raw, 0.5):.2f} ms = {p(page.in_process, 0.5) / p(page.raw, 0.5):.2f}×; via gunicorn "
        f"{p(page.gunicorn, 0.5) / p(page.raw, 0.5):.2f}×"
    )
    say(
        f"  route detail (2,000 vertices) ≤ 20 ms: p95 in-process {p(detail.in_process, 0.95):.2f} ms, "
        f"via gunicorn {p(detail.gunicorn, 0.95):.2f} ms"
    )
    say(f"(n={n} per endpoint, seeded random URLs, gunicorn --workers {workers}, no gzip)")


if __name__ == "__main__":
    # Django is set up by bench.run, so this module imports nothing that
    # needs settings at import time.
    from bench.run import main as run

    run(["--only=bench_tourist", *sys.argv[1:]])
