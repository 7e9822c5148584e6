"""numberMatched, counted once per filter and reused for a few seconds.

Counting every matching row costs more than building a 1,000-feature page
(bench/bench_exports.py: ~40 ms against ~25 ms for 90,000 published sites),
and clients such as GDAL/QGIS ask for page after page with the same filters.
So a count is kept per process for COUNT_TTL_S seconds, and dropped at once
when this process saves or deletes a site, route or stop (signals are used
for cache invalidation only). Another worker's edit shows in numberMatched
at most COUNT_TTL_S seconds later; the features themselves are never cached.
"""

import time
from collections.abc import Callable, Hashable

from django.db.models.signals import m2m_changed, post_delete, post_save

COUNT_TTL_S = 10.0
MAX_ENTRIES = 256

_counts: dict[Hashable, tuple[float, int]] = {}


def remembered_count(key: Hashable) -> int | None:
    """The count kept for `key` if it is younger than COUNT_TTL_S, else None."""
    found = _counts.get(key)
    if found and time.monotonic() - found[0] < COUNT_TTL_S:
        return found[1]
    return None


def remember_count(key: Hashable, value: int) -> None:
    if len(_counts) >= MAX_ENTRIES:
        _counts.clear()
    _counts[key] = (time.monotonic(), value)


def cached_count(key: Hashable, count: Callable[[], int]) -> int:
    found = remembered_count(key)
    if found is not None:
        return found
    value = count()
    remember_count(key, value)
    return value


def forget_counts(**_kwargs) -> None:
    _counts.clear()


def _connect() -> None:
    from routes.models import Route, RouteStop
    from sites.models import Site

    for model in (Site, Route, RouteStop):
        post_save.connect(forget_counts, sender=model, dispatch_uid=f"ogc-counts-save-{model.__name__}")
        post_delete.connect(forget_counts, sender=model, dispatch_uid=f"ogc-counts-delete-{model.__name__}")
    m2m_changed.connect(forget_counts, sender=Site.periods.through, dispatch_uid="ogc-counts-periods")


_connect()
