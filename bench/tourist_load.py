"""The load part of bench_tourist: nearby at 16 clients next to its raw SQL,
mixed tourist traffic at 64 clients, and a 304 revalidation next to a full
route detail. With a baseline checkout, its server takes the same runs."""

import random
import statistics
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
from django.conf import settings
from django.test import Client

from bench.bench_tiles import tile_of
from bench.bench_tourist import (
    CENTRE,
    HOST,
    captured_sql,
    published_site_slugs,
    route_point,
    say,
    start_gunicorn,
)
from bench.closed_loop import http_load, sql_load


def nearby_path(rng: random.Random) -> str:
    x, y = CENTRE[0] + rng.uniform(-0.1, 0.1), CENTRE[1] + rng.uniform(-0.08, 0.08)
    return f"/api/v1/sites/nearby?lat={y:.6f}&lon={x:.6f}&radius=1000"


def mixed_paths(rng: random.Random, route: str):
    """What a phone on a walk asks for, in rough proportion."""
    lon, lat = route_point(route)
    sites = published_site_slugs()

    def tile() -> str:
        z = rng.choice((14, 15, 16))
        _z, x, y = tile_of(CENTRE[0] + rng.uniform(-0.03, 0.03), CENTRE[1] + rng.uniform(-0.03, 0.03), z)
        return f"/api/v1/tiles/{z}/{x}/{y}.mvt"

    choices = [
        (30, lambda: nearby_path(rng)),
        (30, tile),
        (15, lambda: f"/api/v1/sites/{rng.choice(sites)}"),
        (10, lambda: f"/api/v1/routes/{route}/progress?lat={lat + rng.uniform(-1e-4, 1e-4):.6f}&lon={lon}"),
        (5, lambda: f"/api/v1/routes/{route}"),
        (5, lambda: f"/api/v1/routes/{route}/triggers"),
        (5, lambda: "/api/v1/routes"),
    ]
    weights = [weight for weight, _make in choices]
    makers = [make for _weight, make in choices]
    return lambda: rng.choices(makers, weights)[0]()


def connect() -> psycopg.Connection:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None
    )


def revalidation(base: str, path: str, n: int) -> tuple[float, float]:
    """p50 ms of a full GET and of a GET with the ETag it returned (304)."""
    with urllib.request.urlopen(base + path) as response:
        etag = response.headers["ETag"]
        response.read()

    def timed(headers: dict) -> float:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers)) as response:
                response.read()
        except urllib.error.HTTPError as answer:  # urllib raises on 304
            if answer.code != 304:
                raise
        return (time.perf_counter() - started) * 1000

    full = statistics.median(timed({}) for _i in range(n))
    not_modified = statistics.median(timed({"If-None-Match": etag}) for _i in range(n))
    return full, not_modified


def load_section(route: str, *, workers: int, seconds: float, baseline: Path | None) -> None:
    servers = {"ours": start_gunicorn(workers)}
    if baseline is not None:
        servers["before"] = start_gunicorn(workers, cwd=baseline)
    try:
        say(f"load ({seconds:.0f} s a run, gunicorn --workers {workers} each, closed loop)")
        (statements,), _size = captured_sql(Client(HTTP_HOST=HOST), [nearby_path(random.Random(1))])
        raw = sql_load(connect, statements, clients=16, seconds=seconds)
        say(raw.line("nearby, raw SQL, 16 clients"))
        results = {}
        for name, (_server, base) in servers.items():
            rng = random.Random(7)
            results[name, "nearby"] = http_load(
                base, lambda rng=rng: nearby_path(rng), clients=16, seconds=seconds
            )
            say(results[name, "nearby"].line(f"nearby, {name}, 16 clients"))
        for name, (_server, base) in servers.items():
            results[name, "mixed"] = http_load(
                base, mixed_paths(random.Random(11), route), clients=64, seconds=seconds
            )
            say(results[name, "mixed"].line(f"mixed tourist, {name}, 64 clients"))
        ours = results["ours", "nearby"]
        say(f"nearby ours ÷ raw SQL throughput at 16 clients: {ours.per_second / raw.per_second:.2f}")
        if baseline is not None:
            for kind in ("nearby", "mixed"):
                ratio = results["ours", kind].per_second / results["before", kind].per_second
                say(f"{kind}: ours ÷ before throughput: {ratio:.2f}×")
        full, not_modified = revalidation(servers["ours"][1], f"/api/v1/routes/{route}", 50)
        say(
            f"route detail via gunicorn: full 200 p50 {full:.2f} ms, 304 revalidation p50"
            f" {not_modified:.2f} ms ({full / not_modified:.1f}× cheaper; target ≥ 5×)"
        )
    finally:
        for server, _base in servers.values():
            server.terminate()
            server.wait(timeout=10)
