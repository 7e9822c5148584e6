"""Closed-loop load: N clients, each sending its next request as soon as the
last one is answered, for a fixed time. Reports requests/s, p50/p95/p99 and
errors (any non-2xx/304 status or failed connection counts as one)."""

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

import psycopg


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")

    def line(self, name: str) -> str:
        p50, p95, p99 = (self.quantile(q) for q in (0.5, 0.95, 0.99))
        return (
            f"{name:34} {self.per_second:8.1f} req/s  p50 {p50:7.1f}  p95 {p95:7.1f}  p99 {p99:7.1f} ms"
            f"  errors {self.errors}"
        )


def closed_loop(call: Callable[[], bool], *, clients: int, seconds: float) -> Load:
    """Run `call` (True = success) from `clients` threads for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client():
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ok = call()
            mine.append((time.perf_counter() - started) * 1000)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(len(latencies), errors[0], time.perf_counter() - started, latencies)


def http_load(base: str, make_path: Callable[[], str], *, clients: int, seconds: float) -> Load:
    def call() -> bool:
        try:
            with urllib.request.urlopen(base + make_path(), timeout=30) as response:
                response.read()
                return response.status < 400
        except (urllib.error.URLError, OSError):
            return False

    return closed_loop(call, clients=clients, seconds=seconds)


def sql_load(
    connect: Callable[[], psycopg.Connection], statements: list[str], *, clients: int, seconds: float
) -> Load:
    """The raw baseline: each client its own connection, the endpoint's SQL."""
    local = threading.local()
    opened: list[psycopg.Connection] = []

    def call() -> bool:
        if not hasattr(local, "db"):
            local.db = connect()
            opened.append(local.db)
        for sql in statements:
            local.db.execute(sql).fetchall()
        return True

    try:
        return closed_loop(call, clients=clients, seconds=seconds)
    finally:
        for db in opened:
            db.close()
