"""Rendered public responses kept in each server process, keyed by the
request's variant and valid for one content version (editorial.content_version).

A hit costs one indexed read of the version and no body at all; an entry
whose version has passed is simply never served again (and is replaced by
the next response for that variant). Bounded by bytes, least recently used
first out: HERITAGE_RESPONSE_CACHE_MB per process (32; 0 turns it off).

An entry also keeps its body gzipped once a client that accepts gzip has
hit it (phones always do). Compressing on every hit cost more than the
hit itself: 5.9 ms for the 460 KB list of 1,000 routes, a hit being
1.4 ms (docs/adr/0010-hot-paths-and-caches.md, item 17). These bodies
are public data with no secret in them, so a fixed compressed form gives
BREACH nothing to guess at (Django's GZipMiddleware pads for pages that
mix a token with what the client sent).
"""

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.utils.text import compress_string

# GZipMiddleware leaves shorter bodies as they are; so does the cache.
GZIP_MIN_BYTES = 200


@dataclass
class Entry:
    version: int
    content: bytes
    content_type: str | None  # None: an empty body, sent without one
    content_language: str | None
    # The body gzipped, b"" when gzip would not make it shorter, None until asked for.
    gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.content) + len(self.gzipped or b"")


class ResponseCache:
    def __init__(self, budget_bytes: int):
        self.budget_bytes = budget_bytes
        self.used_bytes = 0
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        size = entry.size
        if size > self.budget_bytes // 4:  # one huge body must not empty the cache
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.used_bytes -= old.size
            self.entries[key] = entry
            self.used_bytes += size
            self._evict()

    def gzipped(self, key: str, entry: Entry) -> bytes | None:
        """`entry`'s body gzipped (compressed on first use, then kept with
        it), or None when gzip would not make it shorter."""
        if entry.gzipped is None:
            compressed = compress_string(entry.content) if len(entry.content) >= GZIP_MIN_BYTES else b""
            if len(compressed) >= len(entry.content):
                compressed = b""
            with self.lock:
                if entry.gzipped is None:  # another thread may have been first
                    entry.gzipped = compressed
                    if self.entries.get(key) is entry:
                        self.used_bytes += len(compressed)
                        self._evict()
        return entry.gzipped or None

    def _evict(self) -> None:
        while self.used_bytes > self.budget_bytes:
            _key, evicted = self.entries.popitem(last=False)
            self.used_bytes -= evicted.size

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used_bytes = 0


_cache: ResponseCache | None = None


def response_cache() -> ResponseCache | None:
    """This process's cache, or None when HERITAGE_RESPONSE_CACHE_MB is 0."""
    global _cache  # one per process, made on first use
    if _cache is None:
        budget = int(float(os.environ.get("HERITAGE_RESPONSE_CACHE_MB", "32")) * 2**20)
        _cache = ResponseCache(budget)
    return _cache if _cache.budget_bytes > 0 else None
