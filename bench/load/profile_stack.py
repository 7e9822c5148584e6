"""Profile public reads through the whole WSGI stack, in process.

    python -m bench.load.profile_stack [--n=300] [--top=30] [--sort=tottime] [--cpu] [CASE ...]

CASE: nearby (default), progress, site, route, triggers, routes, bbox, tile, ogc.

Calls Django's WSGI handler with a plain WSGI environ (bench.wsgi_call) (every middleware,
no test client), on the İzmir data of `make data`. --cpu prints application
CPU a request (time.process_time over blocks of --n after a warm-up)
instead of a cProfile listing.
"""

import cProfile
import io
import json
import os
import pstats
import random
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# As config/wsgi.py serves gunicorn (bench may not import config: the layers of ADR 0007).
os.environ.setdefault("HERITAGE_STATEMENT_TIMEOUT_MS", "10000")

import django

django.setup()

from bench.bench_tiles import tile_of  # noqa: E402 (needs the settings above)
from bench.wsgi_call import wsgi_get  # noqa: E402


def say(text: str) -> None:
    print(text, flush=True)  # noqa: T201 (a command-line report)


def call(path: str, query: str = "", encoding: str = "gzip") -> tuple[str, bytes]:
    return wsgi_get(path, query, encoding)


def cases() -> dict:
    _status, body = call("/api/v1/routes", encoding="")
    routes = [f["properties"] for f in json.loads(body)["features"]]
    _status, body = call("/api/v1/sites", "bbox=27.0,38.3,27.3,38.6&limit=200", encoding="")
    sites = [f["properties"]["slug"] for f in json.loads(body)["features"]]
    rng = random.Random(1)

    def nearby():
        lon, lat = 27.1287 + rng.uniform(-0.02, 0.02), 38.4189 + rng.uniform(-0.02, 0.02)
        return "/api/v1/sites/nearby", f"lat={lat:.6f}&lon={lon:.6f}&radius=1000&limit=20"

    def progress():
        route = rng.choice(routes)
        west, south, east, north = route["bbox"]
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        return f"/api/v1/routes/{route['slug']}/progress", f"lat={lat:.6f}&lon={lon:.6f}&accuracy=15"

    def bbox_page():
        lon, lat = 27.1287 + rng.uniform(-0.03, 0.03), 38.4189 + rng.uniform(-0.03, 0.03)
        bbox = f"{lon - 0.01:.6f},{lat - 0.01:.6f},{lon + 0.01:.6f},{lat + 0.01:.6f}"
        return "/api/v1/sites", f"bbox={bbox}&limit=50"

    def tile():
        lon, lat = 27.1287 + rng.uniform(-0.04, 0.04), 38.4189 + rng.uniform(-0.04, 0.04)
        zoom, x, y = tile_of(lon, lat, rng.randint(12, 16))
        return f"/api/v1/tiles/{zoom}/{x}/{y}.mvt", ""

    return {
        "nearby": nearby,
        "progress": progress,
        "site": lambda: (f"/api/v1/sites/{rng.choice(sites)}", ""),
        "route": lambda: (f"/api/v1/routes/{rng.choice(routes)['slug']}", ""),
        "triggers": lambda: (f"/api/v1/routes/{rng.choice(routes)['slug']}/triggers", ""),
        # The rest of the load mix (bench/load/locustfile.py), to see where its CPU goes.
        "routes": lambda: ("/api/v1/routes", ""),
        "bbox": bbox_page,
        "tile": tile,
        "ogc": lambda: ("/ogc/collections/sites/items", "limit=100"),
    }


def main(argv: list[str]) -> None:
    n = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--n=")), 300)
    top = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--top=")), 30)
    names = [a for a in argv if not a.startswith("--")] or ["nearby"]
    every = cases()
    for name in names:
        make = every[name]
        for _ in range(50):
            status, _body = call(*make())
            assert status.startswith("200"), status
        if "--cpu" in argv:
            blocks = []
            for _ in range(5):
                start = time.process_time()
                for _ in range(n):
                    call(*make())
                blocks.append((time.process_time() - start) / n * 1000)
            median = sorted(blocks)[2]
            say(f"{name}: CPU a request, min/median of 5 blocks of {n}: {min(blocks):.2f} / {median:.2f} ms")
            continue
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(n):
            call(*make())
        profiler.disable()
        out = io.StringIO()
        order = next((a.split("=", 1)[1] for a in argv if a.startswith("--sort=")), "cumulative")
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        say(f"== {name}, {n} requests\n{out.getvalue()}")


if __name__ == "__main__":
    main(sys.argv[1:])
