"""Reads of published sites for the public (tourist) API.

List and nearby features are built in PostGIS (jsonb_build_object +
ST_AsGeoJSON) and come back as text: no GEOS object, no serializer per row,
no JSON parsing and re-encoding in Python (api.rawjson.RawJSON). The detail is one
site with its relations prefetched, serialized by api.v1.serializers.
Drafts, reviews and archived sites never leave these functions.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.contrib.gis.geos import Point, Polygon
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    Expression,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import JSONObject

from editorial.content_version import ContentVersion
from editorial.query_templates import QueryTemplate
from editorial.translations import Translated
from editorial.vocabularies import Status
from geodata.functions import (
    GeographyDistance,
    GeographyDWithin,
    GeographyValue,
    InLonLatBox,
    KNNDistance,
    rounded_metres,
)
from geodata.geojson import as_text, geometry_json
from sites.models import Photo, Site


def period_codes(site_ref: str = "pk") -> ArraySubquery:
    """The site's period codes in chronological order, as a text[]."""
    through = Site.periods.through
    return ArraySubquery(
        through.objects.filter(site_id=OuterRef(site_ref)).order_by("period__sort_order").values("period_id")
    )


def site_list_properties(language: str) -> dict[str, Expression]:
    """The light properties of a site on a map (the v1 contract:
    api.v1.serializers.SiteListFeatureSerializer)."""
    return {
        "slug": F("slug"),
        "name": Translated("name", language),
        "kind": F("kind"),
        "periods": period_codes(),
        "start_year": F("start_year"),
        "end_year": F("end_year"),
    }


def site_feature(language: str, **extra: Expression) -> Expression:
    return JSONObject(
        type=Value("Feature"),
        id=F("slug"),
        geometry=geometry_json("location"),
        properties=JSONObject(**site_list_properties(language), **extra),
    )


def published_sites() -> QuerySet[Site]:
    return Site.objects.published()


def site_list_queryset(
    *,
    bbox: Polygon | None = None,
    kind: str | None = None,
    period: str | None = None,
    route: str | None = None,
    q: str | None = None,
    year: int | None = None,
) -> QuerySet[Site]:
    """Published sites matching every given filter. `q` must already be
    folded (editorial.translations.fold); `route` is a published route's slug."""
    sites = published_sites()
    if bbox is not None:
        # Index candidates (&&), then the exact lon/lat rectangle test.
        sites = sites.filter(InLonLatBox("location", bbox), location__bboverlaps=bbox)
    if kind:
        sites = sites.of_kind(kind)
    if period:
        sites = sites.in_period(period)
    if route:
        sites = sites.filter(route_stops__route__slug=route, route_stops__route__status=Status.PUBLISHED)
    if q:
        sites = sites.matching(q)
    if year is not None:
        sites = sites.standing_in(year)
    return sites


class Features(list):
    """GeoJSON Feature texts as PostgreSQL wrote them, and the public content
    version read in the same statement (None when no row came back to carry
    it): what a view may name in its ETag (api.etags)."""

    def __init__(self, texts=(), content_version: int | None = None):
        super().__init__(texts)
        self.content_version = content_version


@dataclass(frozen=True)
class FeaturePage:
    features: list[str]  # GeoJSON Feature texts, as PostgreSQL wrote them
    number_matched: int
    content_version: int | None = None  # as in Features


class CountOf(Subquery):
    """(SELECT count(*) FROM (<queryset>)): an uncorrelated scalar subquery,
    so PostgreSQL counts once per statement (an InitPlan)."""

    template = "(SELECT count(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def site_list_page(*, language: str, limit: int, offset: int, **filters) -> FeaturePage:
    """One page of published sites as GeoJSON Feature texts (jsonb::text,
    never parsed in Python), ordered by slug, with the number of all
    matching sites.

    One query: the page's ids come from an inner ORDER BY slug LIMIT (only
    slugs are sorted), the JSON is built for those rows alone, and the count
    rides along as a scalar subquery. A page past the end has no row to
    carry the count, so only then a second query counts.

    Without `q` the query is compiled once per shape (language, page, the
    vocabulary filters) and only the bbox is swapped in: a map's bbox page
    spent more CPU compiling its ORM query than PostgreSQL spent answering it
    (editorial.query_templates; bench/load/profile_stack.py bbox). A search
    text is free-form, so those pages are compiled each time."""
    if filters.get("q"):
        rows = list(_site_list_page_queryset(language, limit, offset, **filters))
    else:
        bbox = filters.get("bbox")
        shape = {name: value for name, value in filters.items() if name != "bbox"}
        template = _site_list_template(language, limit, offset, bbox is not None, **shape)
        rows = template.rows(**(_bbox_parameters(bbox) if bbox is not None else {}))
    if rows:
        return FeaturePage([feature for feature, _n, _v in rows], rows[0][1], rows[0][2])
    return FeaturePage([], site_list_queryset(**filters).count() if offset else 0)


def _site_list_page_queryset(language: str, limit: int, offset: int, **filters) -> QuerySet:
    sites = site_list_queryset(**filters)
    page = sites.order_by("slug").values("pk")[offset : offset + limit]
    return (
        Site.objects.filter(pk__in=page)
        .annotate(
            feature=as_text(site_feature(language)),
            matched=CountOf(sites.order_by().values("pk")),
            version=ContentVersion(),
        )
        .order_by("slug")
        .values_list("feature", "matched", "version")
    )


# A bbox no constant of the list query can equal (see QueryTemplate).
_STAND_IN_BBOX = Polygon.from_bbox((1.2345678901, 2.3456789012, 3.4567890123, 4.5678901234))
_STAND_IN_BBOX.srid = 4326


def _bbox_parameters(bbox: Polygon) -> dict:
    """The SQL parameters the bbox filters send (site_list_queryset): the
    polygon for the index's `&&` and its four edges for InLonLatBox."""
    west, south, east, north = (float(v) for v in bbox.extent)
    polygon = Site._meta.get_field("location").get_db_prep_value(bbox, connection)
    return {"polygon": polygon, "west": west, "south": south, "east": east, "north": north}


@lru_cache(maxsize=256)
def _site_list_template(language: str, limit: int, offset: int, has_bbox: bool, **filters) -> QueryTemplate:
    # LIMIT and OFFSET are written into the SQL text, so they are part of the
    # key; the vocabulary filters (kind, period, route, year) have few values.
    bbox = _STAND_IN_BBOX if has_bbox else None
    queryset = _site_list_page_queryset(language, limit, offset, bbox=bbox, **filters)
    return QueryTemplate(queryset, **(_bbox_parameters(bbox) if has_bbox else {}))


def site_nearby_features(
    *, point: Point, radius_m: float, limit: int, language: str, year: int | None = None
) -> Features:
    """Published sites within `radius_m` metres of `point`, nearest first, as
    GeoJSON Feature texts, each with `distance_m` (metres on the spheroid, 0.1 m).

    The query is compiled once per language and limit (editorial.query_templates:
    building and compiling it took longer than running it)."""
    rows = _nearby_template(language, limit, year).rows(
        point=_point_parameter(point), radius_m=float(radius_m)
    )
    return Features([feature for feature, _v in rows], rows[0][1] if rows else None)


def _point_parameter(point: Point) -> str:
    """The SQL parameter geodata's GeographyValue sends for `point`."""
    return GeographyValue(point).get_source_expressions()[0].value


# Values no constant of the nearby query can equal (see QueryTemplate).
_STAND_IN_POINT = Point(1.2345678901, 2.3456789012, srid=4326)
_STAND_IN_RADIUS_M = 123456.789012


@lru_cache(maxsize=256)
def _nearby_template(language: str, limit: int, year: int | None) -> QueryTemplate:
    # `year` stays a constant of the compiled query: a time-travel slider asks
    # for few distinct years, each compiled once (the cache is bounded).
    queryset = site_nearby_queryset(
        point=_STAND_IN_POINT, radius_m=_STAND_IN_RADIUS_M, limit=limit, language=language, year=year
    )
    return QueryTemplate(queryset, point=_point_parameter(_STAND_IN_POINT), radius_m=_STAND_IN_RADIUS_M)


def site_nearby_queryset(
    *, point: Point, radius_m: float, limit: int, language: str, year: int | None = None
) -> QuerySet:
    """(feature, content version) rows of site_nearby_features.

    The inner query is a pure KNN index scan (`<->`, GiST): the `limit`
    nearest published sites, which stops after `limit` rows however dense
    the area. The outer query keeps those within the radius (the k nearest
    within a radius are the k nearest, cut at the radius) and orders them by
    the exact spheroid distance, since `<->` on geography measures on the
    sphere. Putting ST_DWithin in the inner query instead lets the planner
    prefer a bitmap scan of every site in the radius, then a sort. With
    `year`, only sites standing in that year count."""
    candidates = published_sites() if year is None else published_sites().standing_in(year)
    nearest = candidates.order_by(KNNDistance("location", point)).values("pk")[:limit]
    distance = GeographyDistance("location", point)
    return (
        Site.objects.filter(pk__in=nearest)
        .filter(GeographyDWithin("location", point, float(radius_m)))
        .annotate(
            distance=distance,
            feature=as_text(site_feature(language, distance_m=rounded_metres(distance))),
            version=ContentVersion(),
        )
        .order_by("distance", "slug")
        .values_list("feature", "version")
    )


def site_detail_queryset() -> QuerySet[Site]:
    """Published sites with what the detail shows prefetched: periods and
    published photos; geometry already GeoJSON; the content version read
    with the site (editorial.content_version). Three queries for one site.
    (The routes a site is a stop of are added by routes.selectors, which
    knows routes: sites never imports them.)"""
    photos = Photo.objects.filter(status=Status.PUBLISHED).order_by("sort_order", "pk")
    return (
        published_sites()
        .annotate(
            location_geojson=geometry_json("location"),
            shape_geojson=geometry_json("shape"),
            content_version=ContentVersion(),
        )
        .defer("location", "shape", "search_text")
        .prefetch_related(
            "periods",
            Prefetch("photos", queryset=photos, to_attr="published_photos"),
        )
    )


# How many sites are published, as one SQL value: the counter that
# statement-level triggers keep exact (sites migration 0005), O(1). A
# statement can carry it beside its rows (the OGC page of every site).
PUBLISHED_COUNT_SQL = (
    f"COALESCE((SELECT n FROM sites_site_status_count WHERE status = '{Status.PUBLISHED}'), 0)"
)


def published_site_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {PUBLISHED_COUNT_SQL}")
        return cursor.fetchone()[0]
