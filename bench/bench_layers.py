"""Where a tourist read's time goes: HTTP through gunicorn, Django's WSGI
handler in process, and the URL's own SQL, interleaved URL by URL.

    PGDATABASE=heritage_bench python -m bench.run --only=bench_layers [--n=400]

For each of --n random URLs (after 20 warm-ups) the three are timed back to
back, so the machine's noise falls on all three alike: HTTP ÷ WSGI is
gunicorn and the socket, WSGI ÷ raw is Django, DRF and the middleware.
Run it with HERITAGE_RESPONSE_CACHE_MB=0 for misses (a kept body skips the
SQL, and then there is nothing to compare with).
"""

import argparse
import random
import socket
import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.bench_tourist import CENTRE, ensure_database, published_site_slugs, replay, say, start_gunicorn
from bench.wsgi_call import wsgi_get

WARM_UP = 20


def url_makers(rng: random.Random) -> dict[str, Callable[[], tuple[str, str]]]:
    slugs = published_site_slugs()

    def nearby() -> tuple[str, str]:
        lon, lat = CENTRE[0] + rng.uniform(-0.1, 0.1), CENTRE[1] + rng.uniform(-0.08, 0.08)
        return "/api/v1/sites/nearby", f"lat={lat:.6f}&lon={lon:.6f}&radius=1000"

    return {"nearby": nearby, "site detail": lambda: (f"/api/v1/sites/{rng.choice(slugs)}", "")}


def http_get(port: int, path: str, query: str) -> None:
    """A bare HTTP/1.1 GET on a new connection (gunicorn's sync workers close each)."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        target = f"{path}?{query}" if query else path
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        while sock.recv(65536):
            pass


def measure(port: int, make_url: Callable[[], tuple[str, str]], n: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"HTTP": [], "WSGI": [], "raw": []}
    for round_ in range(n + WARM_UP):
        path, query = make_url()
        with CaptureQueriesContext(connection) as captured:
            wsgi_get(path, query)
        statements = [q["sql"] for q in captured.captured_queries]
        calls = {
            "HTTP": (http_get, (port, path, query)),
            "WSGI": (wsgi_get, (path, query)),
            "raw": (replay, (statements,)),
        }
        for name, (call, args) in calls.items():
            started = time.perf_counter()
            call(*args)
            if round_ >= WARM_UP:
                samples[name].append((time.perf_counter() - started) * 1000)
    return samples


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_layers")
    parser.add_argument("--n", type=int, default=400)
    options, _rest = parser.parse_known_args(argv)
    ensure_database()
    server, base = start_gunicorn(2)
    port = int(base.rsplit(":", 1)[1])
    say(f"{'endpoint':<14}{'HTTP p50':>10}{'WSGI p50':>10}{'raw p50':>10}{'HTTP÷raw':>10}{'WSGI÷raw':>10}")
    try:
        for name, make_url in url_makers(random.Random(1)).items():
            med = {k: statistics.median(v) for k, v in measure(port, make_url, options.n).items()}
            say(
                f"{name:<14}{med['HTTP']:>8.2f}ms{med['WSGI']:>8.2f}ms{med['raw']:>8.2f}ms"
                f"{med['HTTP'] / med['raw']:>9.2f}×{med['WSGI'] / med['raw']:>9.2f}×"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    say(f"(n = {options.n} URLs each, three calls per URL back to back, gunicorn --workers 2)")
