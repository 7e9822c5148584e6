"""The OGC/export `bbox` filter as SQL, correct for any box.

OGC API – Features boxes are CRS84 longitude/latitude rectangles, so the
exact test is planar, on the geometry cast (`&&` is exact for points;
ST_Intersects for lines). A geography `&&` against the box runs first so the
GiST index on the geography column can be used; it is skipped for boxes 180°
wide or more, where PostGIS refuses antipodal geography edges (such a box
matches most rows anyway), and for published sites, whose partial GiST
index on `location::geometry` (sites migration 0004) serves the exact test
itself: there the extra geography test only costs a recheck per row (a count
of 66,000 of 100,000 synthetic sites: 33 → 21 ms). Testing the geography
polygon itself would bend the box's edges into great circles and miss points
near its southern edge.
"""

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

ENVELOPE = "ST_MakeEnvelope(%s, %s, %s, %s, 4326)"


def in_bbox(
    column: str, bbox: tuple[float, float, float, float], *, lines: bool = False, geography_index: bool = True
) -> RawSQL:
    """A boolean expression for filter(): `column` (a geography column, as
    SQL) lies in or crosses `bbox` (west, south, east, north).
    `geography_index=False` when a geometry index serves the exact test."""
    west, south, east, north = bbox
    params: list[float] = [west, south, east, north]
    exact = f"ST_Intersects({column}::geometry, {ENVELOPE})" if lines else f"{column}::geometry && {ENVELOPE}"
    if geography_index and east - west < 180:
        return RawSQL(
            f"({column} && {ENVELOPE}::geography AND {exact})", params * 2, output_field=BooleanField()
        )
    return RawSQL(f"({exact})", params, output_field=BooleanField())


def in_projected_bbox(column: str, box: tuple[float, float, float, float], srid: int) -> RawSQL:
    """`column` lies in or crosses `box` given in the projected CRS `srid`
    (OGC Part 2 `bbox-crs`). The box transformed to lon/lat finds candidates
    by the geometry index (its bounding box holds the whole projected box);
    the exact test is made in the projected CRS, where the box is a rectangle."""
    envelope = "ST_MakeEnvelope(%s, %s, %s, %s, %s)"
    params = [*box, int(srid)]
    exact = f"ST_Intersects(ST_Transform({column}::geometry, %s), {envelope})"
    candidates = f"{column}::geometry && ST_Transform({envelope}, 4326)"
    return RawSQL(f"({candidates} AND {exact})", [*params, int(srid), *params], output_field=BooleanField())
