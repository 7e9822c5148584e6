"""PostGIS functions Django lacks, as ORM expressions.

Columns are geography(4326) (ADR 0001). PostGIS has geography versions of
distance, buffer and DWithin, but none of ST_LineLocatePoint,
ST_LineInterpolatePoint or ST_LineMerge: for those the geometry is cast to
geometry and transformed to UTM 35N (settings.HERITAGE_PROJECTED_SRID), so a
fraction along a line is a fraction of metres, not of degrees.
"""

from django.conf import settings
from django.contrib.gis.db.models import GeometryField, PolygonField
from django.contrib.gis.geos import Point
from django.db.models import (
    Aggregate,
    BooleanField,
    DecimalField,
    Expression,
    F,
    FloatField,
    Func,
    JSONField,
    Value,
)
from django.db.models.functions import Cast


def _expression(value: str | float | Expression | Point) -> Expression:
    if isinstance(value, str):
        return F(value)
    if isinstance(value, Point):
        return GeographyValue(value)
    if isinstance(value, (int, float)):
        return Value(value)
    return value


def projected_srid() -> int:
    return settings.HERITAGE_PROJECTED_SRID


class GeographyValue(Func):
    """A GEOS point as a geography(4326) literal, sent as EWKT text.

    A parameter rather than a Django geometry Value, so the same expression
    works with the geography column on either side of an operator."""

    template = "ST_GeogFromText(%(expressions)s)"
    output_field = GeometryField(srid=4326, geography=True)

    def __init__(self, point: Point):
        super().__init__(Value(f"SRID=4326;POINT({point.x!r} {point.y!r})"))


class ToProjected(Func):
    """geography(4326) -> geometry in the projected SRID (metres, UTM 35N)."""

    template = "ST_Transform((%(expressions)s)::geometry, %(srid)s)"
    output_field = GeometryField(srid=0)

    def __init__(self, expression, *, srid: int | None = None):
        super().__init__(_expression(expression), srid=srid or projected_srid())


class ProjectedLine(Func):
    """A route path as ONE projected LineString, in walking order.

    ST_LineMerge(…, directed => true) sews a MultiLineString's touching parts
    without reversing any (GEOS ≥ 3.11); parts that still do not touch are
    joined end to start by ST_MakeLine, so linear referencing always has a
    single line to work on. A LineString goes through unchanged."""

    template = (
        "(SELECT ST_MakeLine(array_agg(part.geom ORDER BY part.path)) "
        "FROM ST_Dump(ST_LineMerge(ST_Transform((%(expressions)s)::geometry, %(srid)s), true)) AS part)"
    )
    output_field = GeometryField(srid=0)

    def __init__(self, expression, *, srid: int | None = None):
        super().__init__(_expression(expression), srid=srid or projected_srid())


class LineLocatePoint(Func):
    """Fraction (0..1) along `line` of the point nearest to `point`.

    Both arguments must already be projected geometries (ProjectedLine,
    ToProjected): ST_LineLocatePoint has no geography variant."""

    function = "ST_LineLocatePoint"
    output_field = FloatField()
    arity = 2


class LineInterpolatePoint(Func):
    """The point at `fraction` (0..1) along a projected `line`, back in WGS84
    geography, so it can be written as RFC 7946 GeoJSON directly."""

    template = "ST_Transform(ST_LineInterpolatePoint(%(expressions)s), 4326)::geography"
    output_field = GeometryField(srid=4326, geography=True)
    arity = 2


class GeographyDistance(Func):
    """ST_Distance on geography: metres on the spheroid, as a plain float
    (Django's Distance returns a Distance object, which JSON cannot hold)."""

    function = "ST_Distance"
    output_field = FloatField()
    arity = 2

    def __init__(self, left, right):
        super().__init__(_expression(left), _expression(right))


class GeographyAzimuth(Func):
    """ST_Azimuth on geography: the bearing from the first point to the
    second, in degrees clockwise from north (0..360) on the spheroid."""

    template = "degrees(ST_Azimuth(%(expressions)s))"
    output_field = FloatField()
    arity = 2

    def __init__(self, left, right):
        super().__init__(_expression(left), _expression(right))


class GeographyDWithin(Func):
    """ST_DWithin(a, b, metres) on geography, as a boolean expression usable
    in annotations (Django offers it only as a lookup)."""

    function = "ST_DWithin"
    arity = 3

    def __init__(self, left, right, metres):
        super().__init__(
            _expression(left), _expression(right), _expression(metres), output_field=BooleanField()
        )


class KNNDistance(Func):
    """`a <-> b` on geography: the index-assisted (KNN, GiST) distance for
    ORDER BY … LIMIT; on the sphere, so use it to order, not to report."""

    arg_joiner = " <-> "
    template = "(%(expressions)s)"
    output_field = FloatField()
    arity = 2

    def __init__(self, left, right):
        super().__init__(_expression(left), _expression(right))


class InLonLatBox(Func):
    """Is a geography point inside the lon/lat rectangle `bbox` (a Polygon
    from a bbox parameter), edges included?

    A bbox is a rectangle in lon/lat (OGC API - Features), not a spherical
    polygon with great-circle edges, and ST_Intersects on geography measures
    a distance for every candidate row. Casting a point to geometry and
    testing `&&` against the envelope is exact for points and cheap; pair it
    with a `location__bboverlaps` filter so the GiST index finds candidates."""

    output_field = BooleanField()

    def __init__(self, expression, bbox):
        # The edges are SQL parameters, not text: a query compiled once can
        # take another bbox (editorial.query_templates).
        edges = (Value(float(v), output_field=FloatField()) for v in bbox.extent)
        super().__init__(_expression(expression), *edges)

    def as_sql(self, compiler, connection, **extra_context):
        (point, point_params), *edges = (compiler.compile(e) for e in self.get_source_expressions())
        envelope = ", ".join(sql for sql, _params in edges)
        sql = f"(({point})::geometry && ST_MakeEnvelope({envelope}, 4326))"
        return sql, (*point_params, *(p for _sql, params in edges for p in params))


class GeographyBuffer(Func):
    """ST_Buffer on geography: a circle of `metres` on the ground, as a
    Polygon in WGS84. PostGIS buffers in a locally suitable projection.
    `quad_segs` segments per quarter circle (8 → 32-gon)."""

    # RFC 7946 §3.1.6: exterior rings counterclockwise; ST_Buffer draws them
    # clockwise.
    template = "ST_ForcePolygonCCW(ST_Buffer(%(expressions)s, 'quad_segs=%(quad_segs)s')::geometry)"
    output_field = PolygonField(srid=4326)

    def __init__(self, expression, metres, *, quad_segs: int = 8):
        super().__init__(_expression(expression), _expression(metres), quad_segs=int(quad_segs))


class StartPoint(Func):
    """The first vertex of a LineString or of a MultiLineString's first part,
    as geography."""

    template = "ST_StartPoint(ST_GeometryN((%(expressions)s)::geometry, 1))::geography"
    output_field = GeometryField(srid=4326, geography=True)


class SimplifyMetres(Func):
    """A line simplified to `metres` tolerance (computed in UTM), in WGS84
    geography: light enough for list endpoints on phones."""

    template = (
        "ST_Transform(ST_SimplifyPreserveTopology("
        "ST_Transform((%(expressions)s)::geometry, %(srid)s), %(metres)s), 4326)::geography"
    )
    output_field = GeometryField(srid=4326, geography=True)

    def __init__(self, expression, *, metres: float, srid: int | None = None):
        super().__init__(_expression(expression), metres=float(metres), srid=srid or projected_srid())


class BBoxJSON(Func):
    """[west, south, east, north] of a geometry as a jsonb array (RFC 7946
    §5), rounded like the coordinates. The box is computed once per row in a
    scalar subquery: each mention of a TOASTed path would decompress it again
    (measured: 12 ms instead of 46 ms for 1,000 paths of ~1,100 vertices)."""

    output_field = JSONField()

    def __init__(self, expression, *, precision: int = 6):
        super().__init__(_expression(expression))
        self.precision = int(precision)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        p = self.precision
        corners = ", ".join(
            f"round({corner}(box)::numeric, {p})::float8"
            for corner in ("ST_XMin", "ST_YMin", "ST_XMax", "ST_YMax")
        )
        # OFFSET 0 keeps the planner from inlining `box` into four Box2D calls.
        box = f"(SELECT Box2D(({sql})::geometry) AS box OFFSET 0) AS bbox"
        return f"(SELECT jsonb_build_array({corners}) FROM {box})", params


def rounded_metres(expression: Expression, places: int = 1) -> Expression:
    """A float rounded to `places` decimals, still a float (round() on
    numeric would otherwise serialize as a string in some drivers)."""
    return Cast(
        Func(
            Cast(expression, output_field=DecimalField(max_digits=30, decimal_places=10)),
            Value(places),
            function="round",
            output_field=DecimalField(max_digits=30, decimal_places=10),
        ),
        FloatField(),
    )


class ExtentBox(Aggregate):
    """[west, south, east, north] of a geography column over the rows, as a
    jsonb array (null for no rows): the planar box of the lon/lat
    coordinates, which is what an OGC extent or a TileJSON `bounds` says."""

    # PostgreSQL computes identical aggregate calls once.
    template = (
        "CASE WHEN count(%(expressions)s) = 0 THEN NULL ELSE jsonb_build_array("
        "ST_XMin(ST_Extent((%(expressions)s)::geometry)), "
        "ST_YMin(ST_Extent((%(expressions)s)::geometry)), "
        "ST_XMax(ST_Extent((%(expressions)s)::geometry)), "
        "ST_YMax(ST_Extent((%(expressions)s)::geometry))) END"
    )
    output_field = JSONField()
