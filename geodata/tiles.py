"""Mapbox Vector Tiles (MVT) built by PostGIS.

A layer is any queryset whose rows carry an `mvt_geom` annotation
(`TileGeometry`) and whose other selected columns become feature properties;
`mvt_tile` wraps each layer in ST_AsMVT and joins them into one tile, so a
tile is one SQL statement and no geometry passes through Python.
"""

import math

from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.db.models import BooleanField, Func, QuerySet, Value

# Tiles are 4096 units square with a 64-unit buffer: Mapbox's defaults, so
# labels and line joins at tile edges render without seams.
TILE_EXTENT = 4096
TILE_BUFFER = 64
MAX_ZOOM = 22
MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"


def tile_exists(z: int, x: int, y: int) -> bool:
    """z/x/y names a tile of the Web Mercator pyramid (XYZ scheme)."""
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


class InTile(Func):
    """Does a geography column's bounding box touch tile z/x/y? Uses the
    GiST index on the column cast to geometry (sites 0004_read_indexes)."""

    template = "(%(expressions)s)::geometry && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4326)"
    output_field = BooleanField()

    def __init__(self, expression, *, z: int, x: int, y: int):
        super().__init__(expression, z=int(z), x=int(x), y=int(y))


# The Web Mercator world is this many metres wide; a tile at zoom z is
# WORLD_M / 2**z wide.
WORLD_M = 40075016.686
METRES_PER_DEGREE = WORLD_M / 360  # of longitude, in Web Mercator metres


def tile_bounds_lat(z: int, y: int) -> tuple[float, float]:
    """The latitudes of tile row y's southern and northern edges (degrees)."""

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / 2**z))))

    return lat(y + 1), lat(y)


class TileGeometry(Func):
    """The column in tile coordinates: Web Mercator, clipped with a buffer.

    Lines are first simplified to half a pixel of a 256-pixel tile: a
    city-wide tile of 1,000 long routes drops from ~1 MB to a few hundred KB
    with no visible change (points are left alone). Clipping to the tile
    and its buffer, then simplifying, run before the transform, in degrees
    (the tile is a lon/lat rectangle too), so only the kept vertices are
    projected (z10 at 1,000 routes of 2,000 vertices: transforming them all
    was 80 % of the tile). Half a pixel in Mercator metres is that many
    metres / 111,319.49 degrees of longitude anywhere, and cos(latitude) times
    that of latitude: the tile's poleward edge gives the strictest bound."""

    template = (
        "ST_AsMVTGeom(ST_Transform(ST_Simplify(ST_ClipByBox2D((%(expressions)s)::geometry,"
        f" ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => {TILE_BUFFER / TILE_EXTENT}),"
        " 4326)::box2d), %(tolerance)s), 3857),"
        f" ST_TileEnvelope(%(z)s, %(x)s, %(y)s), {TILE_EXTENT}, {TILE_BUFFER}, true)"
    )
    output_field = GeometryField(srid=3857)

    def __init__(self, expression, *, z: int, x: int, y: int):
        tolerance_m = WORLD_M / 2 ** int(z) / 512
        poleward = max(abs(lat) for lat in tile_bounds_lat(int(z), int(y)))
        tolerance_deg = tolerance_m / METRES_PER_DEGREE * math.cos(math.radians(poleward))
        super().__init__(expression, z=int(z), x=int(x), y=int(y), tolerance=repr(tolerance_deg))


class SnapToTileGrid(Func):
    """A tile geometry snapped to a grid of `cell` tile units: points that
    fall in one cell share a key, for clustering at low zooms."""

    function = "ST_SnapToGrid"
    output_field = GeometryField(srid=3857)

    def __init__(self, expression, *, cell: int):
        super().__init__(expression, Value(float(cell)))


class MercatorTilePoint(Func):
    """A point given as Web Mercator x and y (metres) in tile z/x/y's
    coordinates, e.g. a cluster drawn at the mean of its members."""

    template = (
        "ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(%(expressions)s), 3857),"
        f" ST_TileEnvelope(%(z)s, %(x)s, %(y)s), {TILE_EXTENT}, {TILE_BUFFER}, true)"
    )
    output_field = GeometryField(srid=3857)

    def __init__(self, mercator_x, mercator_y, *, z: int, x: int, y: int):
        super().__init__(mercator_x, mercator_y, z=int(z), x=int(x), y=int(y))


def mvt_tile(layers: dict[str, QuerySet]) -> bytes:
    """One tile holding each named layer (empty layers are left out by
    PostGIS; a tile with no features is zero bytes, which clients accept)."""
    return mvt_tile_with(layers, "NULL")[0]


def mvt_tile_with(layers: dict[str, QuerySet], column_sql: str) -> tuple[bytes, object]:
    """mvt_tile, and the value of `column_sql` read in the same statement
    (so from the same snapshot as the tile: e.g. a data version)."""
    parts, params = [], []
    for name, queryset in layers.items():
        sql, layer_params = queryset.query.sql_with_params()
        # OFFSET 0 keeps the layer's query a subquery: PostgreSQL would
        # otherwise inline it and compute each clipped geometry twice, once
        # for the IS NOT NULL test and once for ST_AsMVT (half a route tile).
        parts.append(
            f"(SELECT COALESCE(ST_AsMVT(layer, %s, {TILE_EXTENT}, 'mvt_geom'), ''::bytea)"
            f" FROM ({sql} OFFSET 0) AS layer WHERE layer.mvt_geom IS NOT NULL)"
        )
        params.extend([name, *layer_params])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' || '.join(parts)}, {column_sql}", params)
        tile, column = cursor.fetchone()
        return bytes(tile), column
