"""Vector tiles at 100k sites: the endpoint in-process next to its own SQL.

    python -m bench.run --only=bench_tiles [--n=100]

Tiles from city-wide (z10, thousands of points) to street level (z16). The
raw time replays the one statement the endpoint runs (raw ST_AsMVT through a
plain cursor); the endpoint is called through Django's WSGI handler as
gunicorn calls it (bench.wsgi_call: every middleware, no test client, no
HTTP parsing), so the ratio is Django's overhead on top of PostGIS building
the tile. Endpoint and raw samples alternate, one of each per
round, so the machine's noise falls on both alike; ratios at p50 and p95
(issue #10's target: p95 ≤ 1.5×).
"""

import argparse
import math
import os
import time

from django.test import Client

from bench.bench_tourist import ensure_database, p, replay, say
from bench.wsgi_call import wsgi_get

KONAK = (27.1287, 38.4189)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def tile_sql(client: Client, url: str, z: int, x: int, y: int) -> tuple[list[str], int]:
    """The tile's statement as the view sends it (TileStatement.fill, which a
    test holds equal to what the ORM compiles), and the tile's size."""
    from api.v1.tiles import tile_statement

    response = client.get(url)
    statement = tile_statement(response["Content-Language"], z)
    return [statement.fill(z, x, y)], len(response.content)


def interleaved(url: str, statements: list[str], n: int) -> tuple[list[float], list[float]]:
    endpoint, replayed = [], []
    for round_ in range(n + 5):  # 5 warm-up rounds
        for call, samples in ((lambda: wsgi_get(url), endpoint), (lambda: replay(statements), replayed)):
            started = time.perf_counter()
            call()
            if round_ >= 5:
                samples.append((time.perf_counter() - started) * 1000)
    return endpoint, replayed


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_tiles")
    parser.add_argument("--n", type=int, default=100)
    options, _rest = parser.parse_known_args(argv)
    ensure_database()
    client = Client(HTTP_HOST="127.0.0.1")
    say(f"{'tile':<18}{'KiB':>7}{'endpoint p50/p95 ms':>21}{'raw p50/p95 ms':>17}{'÷ p50':>7}{'÷ p95':>7}")
    for z in (10, 12, 13, 14, 15, 16):
        tile = tile_of(*KONAK, z)
        url = "/api/v1/tiles/{}/{}/{}.mvt".format(*tile)
        statements, size = tile_sql(client, url, *tile)
        endpoint, raw = interleaved(url, statements, options.n)
        say(
            f"{url.removeprefix('/api/v1/tiles/'):<18}{size / 1024:>7.1f}"
            f"{p(endpoint, 0.5):>12.2f}/{p(endpoint, 0.95):<8.2f}"
            f"{p(raw, 0.5):>8.2f}/{p(raw, 0.95):<8.2f}"
            f"{p(endpoint, 0.5) / p(raw, 0.5):>6.2f}×{p(endpoint, 0.95) / p(raw, 0.95):>6.2f}×"
        )
    say(f"(n = {options.n} interleaved rounds, response cache {'off' if _cache_off() else 'ON: hits'})")


def _cache_off() -> bool:
    return os.environ.get("HERITAGE_RESPONSE_CACHE_MB", "32") in ("0", "0.0")
