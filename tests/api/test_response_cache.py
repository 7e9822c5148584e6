"""The per-process body cache stays within its byte budget, oldest use out."""

import gzip
import os

from api.response_cache import Entry, ResponseCache


def entry(size: int, version: int = 1) -> Entry:
    return Entry(version, b"x" * size, "application/geo+json", "tr")


def test_least_recently_used_bodies_leave_first_and_the_budget_holds():
    cache = ResponseCache(budget_bytes=900)
    cache.put("a", entry(200))
    cache.put("b", entry(200))
    cache.get("a")
    cache.put("c", entry(200))
    cache.put("d", entry(200))
    cache.put("e", entry(200))  # over budget: b, the least recently used, leaves

    assert cache.get("b") is None
    assert all(cache.get(key) for key in "acde")
    assert cache.used_bytes <= 900


def test_a_body_over_a_quarter_of_the_budget_is_not_kept():
    cache = ResponseCache(budget_bytes=1000)

    cache.put("big", entry(300))

    assert cache.get("big") is None


def test_a_new_version_replaces_the_old_entry_for_its_key():
    cache = ResponseCache(budget_bytes=1000)
    cache.put("a", entry(100, version=1))
    cache.put("a", entry(100, version=2))

    assert cache.get("a").version == 2
    assert cache.used_bytes == 100


def test_a_gzipped_body_is_made_once_and_counts_against_the_budget():
    cache = ResponseCache(budget_bytes=100_000)
    body = Entry(1, b'{"type": "FeatureCollection"}' * 100, "application/geo+json", "tr")
    cache.put("a", body)

    first = cache.gzipped("a", body)

    assert gzip.decompress(first) == body.content
    assert cache.gzipped("a", body) is first
    assert cache.used_bytes == len(body.content) + len(first)


def test_a_body_gzip_cannot_shorten_is_sent_as_it_is():
    cache = ResponseCache(budget_bytes=100_000)
    short, noise = entry(150), Entry(1, os.urandom(5000), "application/vnd.mapbox-vector-tile", "tr")
    cache.put("short", short)
    cache.put("noise", noise)

    assert cache.gzipped("short", short) is None
    assert cache.gzipped("noise", noise) is None
    assert cache.used_bytes == 5150
