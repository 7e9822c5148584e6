"""Mapbox Vector Tiles (MVT) built by PostGIS.

A layer is any queryset whose rows carry an `mvt_geom` annotation
(`TileGeometry`) and whose other selected columns become feature properties;
`mvt_tile` wraps each layer in ST_AsMVT and joins them into one tile, so a
tile is one SQL statement and no geometry passes through Python.
"""

import math

from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.db.models import BooleanField, Func, IntegerField, QuerySet, Value
from django.db.models.expressions import RawSQL

# Tiles are 4096 units square with a 64-unit buffer: Mapbox's defaults, so
# labels and line joins at tile edges render without seams.
TILE_EXTENT = 4096
TILE_BUFFER = 64
MAX_ZOOM = 22
MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"


def tile_exists(z: int, x: int, y: int) -> bool:
    """z/x/y names a tile of the Web Mercator pyramid (XYZ scheme)."""
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


class Placeholder(str):
    """A tile number left out of a statement compiled once (TileStatement)
    and written in per request. Building and compiling a tile's querysets
    cost about as much as PostGIS building a street-level tile."""


ANY_Z, ANY_X, ANY_Y = Placeholder("__tile_z__"), Placeholder("__tile_x__"), Placeholder("__tile_y__")
ANY_TILE = {"z": ANY_Z, "x": ANY_X, "y": ANY_Y}
TOLERANCE = Placeholder("__tile_tolerance__")


def _number(value: int | Placeholder) -> int | Placeholder:
    return value if isinstance(value, Placeholder) else int(value)


def tile_number(value: int | Placeholder) -> RawSQL:
    """A tile coordinate as an SQL integer (or its placeholder), for
    arithmetic on it in a queryset: e.g. a tile's first grid column."""
    return RawSQL(str(_number(value)), (), output_field=IntegerField())


class InTile(Func):
    """Does a geography column's bounding box touch tile z/x/y? Uses the
    GiST index on the column cast to geometry (sites 0004_read_indexes)."""

    template = "(%(expressions)s)::geometry && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4326)"
    output_field = BooleanField()

    def __init__(self, expression, *, z: int, x: int, y: int):
        super().__init__(expression, z=_number(z), x=_number(x), y=_number(y))


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
        placeholders = any(isinstance(value, Placeholder) for value in (z, x, y))
        tolerance = TOLERANCE if placeholders else line_tolerance(int(z), int(y))
        super().__init__(expression, z=_number(z), x=_number(x), y=_number(y), tolerance=tolerance)


def half_pixel_m(z: int) -> float:
    """Half a pixel of a 256-pixel tile at zoom z, in Web Mercator metres:
    the detail a line needs there."""
    return WORLD_M / 2**z / 512


def generalized_line_sql(column: str, z: int) -> str:
    """SQL of a line column generalized for zoom z's tiles once, not per
    request: in Web Mercator, simplified to half a pixel (what TileGeometry
    does per tile). Immutable, so PostgreSQL can keep it as a stored
    generated column that no write can leave stale."""
    return f"ST_Simplify(ST_Transform(({column})::geometry, 3857), {half_pixel_m(z)!r})"


class MercatorTileGeometry(Func):
    """A geometry already in Web Mercator at the tile's detail (a
    generalized_line_sql column, a cluster's point), in tile z/x/y's
    coordinates: only clipped and snapped to the tile's grid, by ST_AsMVTGeom."""

    template = (
        "ST_AsMVTGeom(%(expressions)s, ST_TileEnvelope(%(z)s, %(x)s, %(y)s),"
        f" {TILE_EXTENT}, {TILE_BUFFER}, true)"
    )
    output_field = GeometryField(srid=3857)

    def __init__(self, expression, *, z: int, x: int, y: int):
        super().__init__(expression, z=_number(z), x=_number(x), y=_number(y))


def line_tolerance(z: int, y: int) -> str:
    """TileGeometry's simplification tolerance for tile row y at zoom z, in
    degrees, as SQL."""
    tolerance_m = half_pixel_m(z)
    poleward = max(abs(lat) for lat in tile_bounds_lat(z, y))
    return repr(tolerance_m / METRES_PER_DEGREE * math.cos(math.radians(poleward)))


class SnapToTileGrid(Func):
    """A tile geometry snapped to a grid of `cell` tile units: points that
    fall in one cell share a key, for clustering at low zooms."""

    function = "ST_SnapToGrid"
    output_field = GeometryField(srid=3857)

    def __init__(self, expression, *, cell: int):
        super().__init__(expression, Value(float(cell)))


class MercatorPoint(Func):
    """A point from Web Mercator x and y (metres)."""

    template = "ST_SetSRID(ST_MakePoint(%(expressions)s), 3857)"
    output_field = GeometryField(srid=3857)


class MercatorTilePoint(MercatorTileGeometry):
    """A point given as Web Mercator x and y (metres) in tile z/x/y's
    coordinates, e.g. a cluster drawn at the mean of its members."""

    def __init__(self, mercator_x, mercator_y, *, z: int, x: int, y: int):
        super().__init__(MercatorPoint(mercator_x, mercator_y), z=z, x=x, y=y)


def mvt_tile(layers: dict[str, QuerySet]) -> bytes:
    """One tile holding each named layer (empty layers are left out by
    PostGIS; a tile with no features is zero bytes, which clients accept)."""
    return mvt_tile_with(layers, "NULL")[0]


def mvt_sql(layers: dict[str, QuerySet], column_sql: str) -> tuple[str, list]:
    """The one statement of a tile: each layer wrapped in ST_AsMVT, joined,
    and `column_sql` beside them (read in the same snapshot: e.g. a data
    version)."""
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
    return f"SELECT {' || '.join(parts)}, {column_sql}", params


def mvt_tile_with(layers: dict[str, QuerySet], column_sql: str) -> tuple[bytes, object]:
    """mvt_tile, and the value of `column_sql` read in the same statement."""
    sql, params = mvt_sql(layers, column_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        tile, column = cursor.fetchone()
        return bytes(tile), column


class TileStatement:
    """A tile's statement compiled once, from layers built with the
    placeholders (ANY_TILE) for z, x and y, then filled in per tile.

    Its parameters are bound when it is compiled (as the client-side cursor
    binds them on every execute anyway), so a filled statement is the very
    text the queryset would send for that tile: the same plan, no ORM work.
    Only integers and a float computed here are written in."""

    def __init__(self, layers: dict[str, QuerySet], column_sql: str):
        sql, params = mvt_sql(layers, column_sql)
        self.sql = connection.ops.compose_sql(sql, params)

    def fill(self, z: int, x: int, y: int) -> str:
        sql = self.sql.replace(ANY_Z, str(int(z))).replace(ANY_X, str(int(x))).replace(ANY_Y, str(int(y)))
        return sql.replace(TOLERANCE, line_tolerance(int(z), int(y))) if TOLERANCE in sql else sql

    def execute(self, z: int, x: int, y: int) -> tuple[bytes, object]:
        with connection.cursor() as cursor:
            cursor.execute(self.fill(z, x, y))  # no parameters: a % in the text is literal
            tile, column = cursor.fetchone()
            return bytes(tile), column
