"""Extents computed from the published data (not the configured service
area), so "zoom to layer" in QGIS goes to the features. Kept for a few
seconds and dropped on any save, like numberMatched (counts.py)."""

from django.db.models import Count, Max, Min, Q
from django.db.models.expressions import RawSQL

from api.ogc.collections import COLLECTIONS, Collection
from api.ogc.counts import cached_count
from geodata.functions import ExtentBox

TRS = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"


def _box(collection: Collection) -> list[float] | None:
    rows = collection.rows({}).order_by()
    return rows.aggregate(box=ExtentBox(RawSQL(collection.geometry_column, ())))["box"]


def spatial_box(collection: Collection) -> list[float] | None:
    return cached_count(("extent", collection.id), lambda: _box(collection))


def _year_instant(year: int) -> str:
    # ISO 8601 with expanded years for BCE (-6500-01-01T00:00:00Z): RFC 3339
    # has no years before 1 CE, and the sites start in the Neolithic.
    sign = "-" if year < 0 else ""
    return f"{sign}{abs(year):04d}-01-01T00:00:00Z"


def _interval(collection: Collection) -> list:
    found = (
        collection.rows({})
        .order_by()
        .aggregate(
            first=Min("start_year"),
            last=Max("end_year"),
            standing=Count("pk", filter=Q(end_year__isnull=True, start_year__isnull=False)),
        )
    )
    start = _year_instant(found["first"]) if found["first"] is not None else None
    # A site with no end year still stands: the interval is open to the present.
    end = _year_instant(found["last"]) if found["last"] is not None and not found["standing"] else None
    return [start, end]


def collection_extent(collection: Collection) -> dict:
    box = spatial_box(collection)
    extent = {
        "spatial": {"bbox": [box] if box else [], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}
    }
    if not box:
        extent.pop("spatial")
    if collection.temporal:
        interval = cached_count(("interval", collection.id), lambda: _interval(collection))
        extent["temporal"] = {"interval": [interval], "trs": TRS}
    return extent


def data_bounds() -> list[float] | None:
    """West, south, east, north of every published site and route (TileJSON)."""
    boxes = [box for box in (spatial_box(COLLECTIONS[name]) for name in ("sites", "routes")) if box]
    if not boxes:
        return None
    return [
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    ]
