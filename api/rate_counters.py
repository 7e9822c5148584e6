"""The shared store of the abuse limits: one row per limit and client in
`heritage_rate_counter` (api.models.RateCounter), so every worker of every
server on the database counts against one limit.

A limit of `count` requests a `period` is a sliding window, estimated from
two fixed windows: the hits in the current one plus the previous one's,
weighted by how much of it still overlaps the sliding window (the
"sliding window counter" of rate limiters at scale). It is exact at the
window edges and within a few percent between, and it costs O(1) a client
where a log of timestamps cost O(count): the log was read, unpickled,
pickled and written on every OGC page (four statements, ~3.5 ms of a 17 ms
page of 1,000 features; bench/README.md, session 8).

`take` is one statement: the upsert counts the request only when the
estimate allows it, under the row's lock, so parallel requests on many
workers cannot slip past the limit either. Only a refusal reads the row
again, to say how long to wait.
"""

import math
import random
import time
from dataclasses import dataclass

from django.db import connection

# Dead rows (no hit for two windows) are deleted by one request in this many.
PRUNE_CHANCE = 1 / 1000

_WINDOWS = """
    CASE c.window_no WHEN EXCLUDED.window_no THEN c.previous_hits
                     WHEN EXCLUDED.window_no - 1 THEN c.hits ELSE 0 END"""
_HITS_NOW = "CASE WHEN c.window_no = EXCLUDED.window_no THEN c.hits ELSE 0 END"
_COUNT = f"""
INSERT INTO heritage_rate_counter AS c (key, window_no, hits, previous_hits, expires)
VALUES (%(key)s, %(window)s, 1, 0, %(expires)s)
ON CONFLICT (key) DO UPDATE SET
    previous_hits = {_WINDOWS},
    hits = {_HITS_NOW} + 1,
    window_no = EXCLUDED.window_no,
    expires = EXCLUDED.expires"""
# Counted only if the estimate before this request is under the limit.
TAKE = f"{_COUNT}\nWHERE %(weight)s * {_WINDOWS} + {_HITS_NOW} < %(count)s\nRETURNING 1"
ADD = _COUNT
READ = "SELECT window_no, hits, previous_hits FROM heritage_rate_counter WHERE key = %s"
PRUNE = "DELETE FROM heritage_rate_counter WHERE expires < %s"


@dataclass(frozen=True)
class Clock:
    """Where `now` falls in a limit's fixed windows."""

    now: float
    period: int

    @property
    def window(self) -> int:
        return math.floor(self.now / self.period)

    @property
    def elapsed(self) -> float:
        return self.now - self.window * self.period

    @property
    def previous_weight(self) -> float:
        """The share of the previous window still inside the sliding one."""
        return 1 - self.elapsed / self.period

    def params(self, key: str, count: int) -> dict:
        return {
            "key": key,
            "window": self.window,
            "expires": (self.window + 2) * self.period,
            "weight": self.previous_weight,
            "count": count,
        }


def seconds_to_wait(clock: Clock, count: int, row: tuple[int, int, int] | None) -> float | None:
    """None when a request now is under the limit; else the seconds until
    the estimate drops under it (0.0: any moment after now). `row` is
    (window_no, hits, previous_hits)."""
    previous, current = _in_window(clock.window, row)
    if previous * clock.previous_weight + current < count:
        return None
    period = clock.period
    if current < count:  # the previous window's share shrinks until it fits
        return period * (1 - (count - current) / previous) - clock.elapsed
    # Only in the next window, once this one's share has shrunk enough.
    return period - clock.elapsed + period * (1 - count / current)


def whole_seconds(seconds: float | None) -> int:
    """Retry-After: 0 when allowed, else whole seconds, at least 1."""
    if seconds is None:
        return 0
    return max(1, math.ceil(round(seconds, 6)))  # 18.000000000000004 is 18


def _in_window(window: int, row: tuple[int, int, int] | None) -> tuple[int, int]:
    """(previous, current) hits as seen from `window`."""
    if row is None:
        return 0, 0
    row_window, hits, previous_hits = row
    if row_window == window:
        return previous_hits, hits
    if row_window == window - 1:
        return hits, 0
    return 0, 0


def take(key: str, count: int, period: int) -> int:
    """Count a request if the limit allows it: 0, else the whole seconds to
    wait (at least 1), and nothing counted."""
    clock = Clock(time.time(), period)
    with connection.cursor() as cursor:
        _maybe_prune(cursor, clock.now)
        cursor.execute(TAKE, clock.params(key, count))
        if cursor.fetchone():
            return 0
        cursor.execute(READ, [key])
        row = cursor.fetchone()
    # Refused, so not None: the row is only ever at the estimate or past it.
    return whole_seconds(seconds_to_wait(clock, count, row) or 0.0)


def wait(key: str, count: int, period: int) -> int:
    """Like `take` without counting: 0 or the whole seconds to wait."""
    clock = Clock(time.time(), period)
    with connection.cursor() as cursor:
        cursor.execute(READ, [key])
        row = cursor.fetchone()
    return whole_seconds(seconds_to_wait(clock, count, row))


def add(key: str, period: int) -> None:
    """Count a request whatever the limit (a wrong token, say)."""
    clock = Clock(time.time(), period)
    with connection.cursor() as cursor:
        cursor.execute(ADD, clock.params(key, 0))


def forget_all() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM heritage_rate_counter")


def _maybe_prune(cursor, now: float) -> None:
    if random.random() < PRUNE_CHANCE:  # not for security: a chance to tidy
        cursor.execute(PRUNE, [now])
