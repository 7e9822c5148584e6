"""Vector tiles at 100k sites: the endpoint in-process next to its own SQL.

    python -m bench.run --only=bench_tiles [--n=100]

Tiles from city-wide (z10, thousands of points) to street level (z15). The
raw time replays the one statement the endpoint runs; the ratio is the
Django/HTTP overhead on top of PostGIS building the tile.
"""

import argparse
import math

from django.test import Client

from bench.bench_tourist import captured_sql, ensure_database, p, raw_time, say, timed

KONAK = (27.1287, 38.4189)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_tiles")
    parser.add_argument("--n", type=int, default=100)
    options, _rest = parser.parse_known_args(argv)
    ensure_database()
    client = Client(HTTP_HOST="127.0.0.1")
    say(f"{'tile':<22}{'KiB':>8}{'endpoint p50/p95 ms':>22}{'raw p50/p95 ms':>18}{'ratio':>8}")
    for z in (10, 12, 13, 14, 15, 16):
        url = "/api/v1/tiles/{}/{}/{}.mvt".format(*tile_of(*KONAK, z))
        statements, size = captured_sql(client, url)
        endpoint = timed(lambda url=url: client.get(url), options.n)
        raw = raw_time(statements, options.n)
        say(
            f"{url.removeprefix('/api/v1/tiles/'):<22}{size / 1024:>8.1f}"
            f"{p(endpoint, 0.5):>12.1f}/{p(endpoint, 0.95):<9.1f}"
            f"{p(raw, 0.5):>9.1f}/{p(raw, 0.95):<8.1f}{p(endpoint, 0.5) / p(raw, 0.5):>6.2f}×"
        )
