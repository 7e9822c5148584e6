"""Rendered public responses kept in each server process, keyed by the
request's variant and valid for one content version (editorial.content_version).

A hit costs one indexed read of the version and no body at all; an entry
whose version has passed is simply never served again (and is replaced by
the next response for that variant). Bounded by bytes, least recently used
first out: HERITAGE_RESPONSE_CACHE_MB per process (32; 0 turns it off).
"""

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    version: int
    content: bytes
    content_type: str | None  # None: an empty body, sent without one
    content_language: str | None


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
        size = len(entry.content)
        if size > self.budget_bytes // 4:  # one huge body must not empty the cache
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.used_bytes -= len(old.content)
            self.entries[key] = entry
            self.used_bytes += size
            while self.used_bytes > self.budget_bytes:
                _key, evicted = self.entries.popitem(last=False)
                self.used_bytes -= len(evicted.content)

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
