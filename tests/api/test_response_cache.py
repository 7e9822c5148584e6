"""The per-process body cache stays within its byte budget, oldest use out."""

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
