"""Reads for researchers' exports and the OGC API: which sites, and each site
already shaped by PostgreSQL (GeoJSON feature text, flat CSV columns, Linked
Places feature text).

Kept apart from sites/selectors.py (the tourist API's reads) on purpose: the
export contract carries every field, including the editorial ones, and is
streamed through server-side cursors rather than paginated.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, NullIf

from editorial.translations import Translated
from editorial.vocabularies import WATER_KINDS, Status
from geodata.crs import geojson_geometry_sql
from geodata.exports.bbox import in_bbox
from geodata.geojson import GEOJSON_PRECISION, FeatureOptions, object_text_without_nulls
from geodata.params import YearInterval
from sites.models import KeptFeature, Site

# Rows fetched per round trip from the server-side cursor.
EXPORT_CHUNK_SIZE = 2000

# ARRAY of a site's period codes in chronological order (the vocabulary's).
PERIOD_CODES_SQL = (
    "ARRAY(SELECT sp.period_id FROM sites_site_periods sp JOIN sites_period p ON p.code = sp.period_id"
    " WHERE sp.site_id = sites_site.id ORDER BY p.sort_order)"
)
# Properties stored as jsonb, whose own objects may hold nulls (stripped too on OGC pages).
JSONB_PROPERTIES = frozenset({"name", "description", "accessibility", "sources"})


@dataclass(frozen=True)
class SiteFilters:
    """What an export or OGC list may be narrowed to (interchange.filters
    parses it from strings)."""

    bbox: tuple[float, float, float, float] | None = None
    kinds: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    route: str | None = None
    years: YearInterval | None = None


def site_export_properties() -> dict[str, str]:
    """The export contract of a site, property name -> SQL: every field a
    re-import needs, so export → import → export gives the same GeoJSON."""
    digits = GEOJSON_PRECISION
    columns = {
        name: f"sites_site.{name}"
        for name in (
            "slug",
            "name",
            "description",
            "kind",
            "periods",
            "start_year",
            "end_year",
            "shape",
            "geometry_quality",
            "confidence",
            "district",
            "address",
            "opening_hours",
            "accessibility",
            "wikidata",
            "pleiades",
            "osm",
            "sources",
            "license",
            "attribution",
            "status",
        )
    }
    columns["periods"] = PERIOD_CODES_SQL
    columns["shape"] = f"ST_AsGeoJSON(sites_site.shape, {digits})::json"
    return columns


def _feature_sql(options: FeatureOptions | None = None) -> str:
    # json_build_object and text concatenation, not jsonb: no binary object
    # is built and the point's GeoJSON text is copied, not parsed. This is
    # what keeps the export near the raw ST_AsGeoJSON speed (bench/bench_exports.py).
    options = options or FeatureOptions()
    columns = site_export_properties()
    kept = {name: columns[name] for name in options.keep(columns)}
    if options.strip_nulls:  # the OGC pages: written without nulls, never parsed again
        properties = object_text_without_nulls(kept, nested=JSONB_PROPERTIES)
    else:
        pairs = ", ".join(f"'{name}', {value}" for name, value in kept.items())
        properties = f"json_build_object({pairs})::text"
    geometry = "'null'" if options.skip_geometry else geojson_geometry_sql("sites_site.location", options.crs)
    return (
        """'{"type": "Feature", "id": ' || to_json(sites_site.slug)::text"""
        f""" || ', "geometry": ' || {geometry}"""
        f""" || ', "properties": ' || {properties} || '}}'"""
    )


def site_export_queryset(
    *, filters: SiteFilters | None = None, include_drafts: bool = False
) -> QuerySet[Site]:
    """Sites matching `filters`, published only unless `include_drafts`,
    ordered by slug (stable across databases, so exports compare equal)."""
    filters = filters or SiteFilters()
    sites = Site.objects.all() if include_drafts else Site.objects.published()
    if filters.bbox:
        # Published only: the partial geometry index (site_published_location_geom) serves the box.
        sites = sites.filter(in_bbox('"sites_site"."location"', filters.bbox, geography_index=include_drafts))
    if filters.kinds:
        sites = sites.filter(kind__in=filters.kinds)
    if filters.periods:
        in_period = Site.periods.through.objects.filter(site_id=OuterRef("pk"), period_id__in=filters.periods)
        sites = sites.filter(Exists(in_period))
    if filters.route:
        sites = sites.filter(Exists(_on_route(filters.route, include_drafts=include_drafts)))
    if filters.years:
        sites = sites.filter(_overlapping_years(filters.years.start, filters.years.end))
    return sites.order_by("slug")


def _on_route(slug: str, *, include_drafts: bool) -> QuerySet[Site]:
    # Through the reverse relation (route_stops), so sites never imports
    # routes: routes depend on sites, not the other way round.
    on_route = Q(pk=OuterRef("pk"), route_stops__route__slug=slug)
    if not include_drafts:
        on_route &= Q(route_stops__route__status=Status.PUBLISHED)
    return Site.objects.filter(on_route)


def _overlapping_years(start: int | None, end: int | None) -> Q:
    """Sites whose [start_year, end_year] overlaps [start, end]. An empty
    end_year means still standing (open to the present); sites with no dates
    at all never match a date filter."""
    dated = Q(start_year__isnull=False) | Q(end_year__isnull=False)
    condition = dated
    if end is not None:
        condition &= Q(start_year__isnull=True) | Q(start_year__lte=end)
    if start is not None:
        condition &= Q(end_year__isnull=True) | Q(end_year__gte=start)
    return condition


# The OGC pages' default shape (every property, CRS84, nulls left out): the
# one whose text is kept per site (sites.kept_features), named by a digest
# of the SQL that builds it, so a text built by other code is never read.
KEPT_OPTIONS = FeatureOptions(strip_nulls=True)
KEPT_DIGEST = hashlib.sha256(_feature_sql(KEPT_OPTIONS).encode()).hexdigest()[:16]


def built_feature_expression(options: FeatureOptions = KEPT_OPTIONS) -> RawSQL:
    """The feature text as PostgreSQL builds it from the site's row."""
    return RawSQL(_feature_sql(options), (), output_field=TextField())


def site_feature_expression(options: FeatureOptions | None = None) -> Expression:
    """A site as GeoJSON Feature text (id = slug, geometry = location), shaped
    as `options` ask (CRS, properties, geometry; the export's by default).
    In the kept shape, the site's kept text when it is current, else built.

    A scalar subquery, not a join: PostgreSQL evaluates it with the rest of
    the select list, above a page's sort and LIMIT, for the page's rows
    only. A LEFT JOIN carried every matching row's text through the sort
    and the window count (a bbox page of 62,000 matches: 105 → 198 ms)."""
    built = built_feature_expression(options or FeatureOptions())
    if options != KEPT_OPTIONS:
        return built
    kept = KeptFeature.objects.filter(site=OuterRef("pk"), digest=KEPT_DIGEST).values("text")
    return Coalesce(Subquery(kept), built, output_field=TextField())


def site_feature_texts(
    sites: QuerySet[Site], *, chunk_size: int = EXPORT_CHUNK_SIZE, options: FeatureOptions | None = None
) -> Iterator[str]:
    """One GeoJSON Feature per site as text (id = slug), straight from
    PostgreSQL through a server-side cursor: no json.loads per row.
    `options`: only some properties, or no geometry (the export's `properties`
    and `skipGeometry`)."""
    shaped = sites.annotate(feature_text=site_feature_expression(options))
    return shaped.values_list("feature_text", flat=True).iterator(chunk_size=chunk_size)


# Flat columns for CSV, KML, GPX and GeoPackage (one row a site).
FLAT_COLUMNS = (
    "slug",
    "name_tr",
    "name_en",
    "name_de",
    "kind",
    "periods",
    "start_year",
    "end_year",
    "lon",
    "lat",
    "wkt",
    "shape_wkt",
    "geometry_quality",
    "confidence",
    "district",
    "address",
    "wikidata",
    "pleiades",
    "osm",
    "sources",
    "license",
    "attribution",
    "status",
    "description_tr",
    "description_en",
    "description_de",
)


# Extra columns a caller may ask site_flat_rows for, by name.
FLAT_EXTRAS = {
    # KML geometry by PostGIS: the point, plus the footprint or line if any.
    # (ST_AsKML cannot write a GeometryCollection, so the MultiGeometry is
    # put together here.)
    "kml": (
        "CASE WHEN sites_site.shape IS NULL THEN ST_AsKML(sites_site.location::geometry, %s)"
        " ELSE '<MultiGeometry>' || ST_AsKML(sites_site.location::geometry, %s)"
        " || ST_AsKML(sites_site.shape::geometry, %s) || '</MultiGeometry>' END"
    ),
}


# Exports name a site in the city's language and describe it in English
# (for researchers abroad), each falling back like editorial.translations.pick;
# the slug names a site with no name at all.
TITLE_LANGUAGE, DESCRIPTION_LANGUAGE = "tr", "en"


def title_expression(field: str, language: str):
    """The text of `field` in `language` (with pick's fallback), else the slug."""
    return Coalesce(NullIf(Translated(field, language), Value("")), F("slug"), output_field=TextField())


# Extra columns computed by expressions: the one-language text formats
# (GPX, KML) that have a single name and description per feature.
FLAT_TEXT_EXTRAS = {
    "title": lambda: title_expression("name", TITLE_LANGUAGE),
    "description_text": lambda: Translated("description", DESCRIPTION_LANGUAGE),
}


def site_flat_rows(
    sites: QuerySet[Site],
    *,
    extra_columns: tuple[str, ...] = (),
    columns: tuple[str, ...] | None = None,
    chunk_size: int = EXPORT_CHUNK_SIZE,
) -> Iterator[tuple]:
    """Tuples of `extra_columns` then FLAT_COLUMNS: names and descriptions
    per language, periods and sources joined with "; ", coordinates as
    lon/lat and WKT (6 decimals, like the GeoJSON). `extra_columns` may name
    annotations already on `sites` or keys of FLAT_EXTRAS or FLAT_TEXT_EXTRAS.
    `columns`: only these of them, in this order (a CSV's `properties`);
    only those are selected."""
    digits = GEOJSON_PRECISION
    extras = {
        name: RawSQL(FLAT_EXTRAS[name], (digits,) * FLAT_EXTRAS[name].count("%s"))
        for name in extra_columns
        if name in FLAT_EXTRAS
    }
    extras.update({name: FLAT_TEXT_EXTRAS[name]() for name in extra_columns if name in FLAT_TEXT_EXTRAS})
    shaped = sites.annotate(
        **extras,
        name_tr=KT("name__tr"),
        name_en=KT("name__en"),
        name_de=KT("name__de"),
        period_list=RawSQL(f"array_to_string({PERIOD_CODES_SQL}, ';')", ()),
        lon=RawSQL(f"round(ST_X(sites_site.location::geometry)::numeric, {digits})::float8", ()),
        lat=RawSQL(f"round(ST_Y(sites_site.location::geometry)::numeric, {digits})::float8", ()),
        wkt=RawSQL(f"ST_AsText(sites_site.location, {digits})", ()),
        shape_wkt=RawSQL(f"ST_AsText(sites_site.shape, {digits})", ()),
        source_list=RawSQL(
            "(SELECT string_agg(value, '; ') FROM jsonb_array_elements_text(sites_site.sources))", ()
        ),
        description_tr=KT("description__tr"),
        description_en=KT("description__en"),
        description_de=KT("description__de"),
    )
    selected = [
        {"periods": "period_list", "sources": "source_list"}.get(column, column)
        for column in (columns if columns is not None else (*extra_columns, *FLAT_COLUMNS))
    ]
    return shaped.values_list(*selected).iterator(chunk_size=chunk_size)


# Linked Places certainty from the coordinate confidence.
LPF_CERTAINTY_SQL = (
    "CASE sites_site.confidence WHEN 'high' THEN 'certain' WHEN 'medium' THEN 'less-certain'"
    " ELSE 'uncertain' END"
)


def _iso_year_sql(column: str) -> str:
    # ISO 8601 years have at least 4 digits and a sign for BCE: -546 -> "-0546".
    return (
        f"CASE WHEN {column} < 0 THEN '-' || lpad((-{column})::text, 4, '0')"
        f" ELSE lpad({column}::text, 4, '0') END"
    )


def _lpf_feature_sql(title: str) -> str:
    """`title` is SQL for the place's title (with its parameters first)."""
    start, end = _iso_year_sql("sites_site.start_year"), _iso_year_sql("sites_site.end_year")
    return f"""jsonb_strip_nulls(jsonb_build_object(
      '@id', %s || sites_site.slug,
      'type', 'Feature',
      'properties', jsonb_build_object(
        'title', COALESCE(NULLIF({title}, ''), sites_site.slug),
        'slug', sites_site.slug,
        'ccodes', jsonb_build_array('TR'),
        'fclasses', jsonb_build_array(CASE WHEN sites_site.kind = ANY(%s) THEN 'H' ELSE 'S' END),
        'license', sites_site.license,
        'attribution', NULLIF(sites_site.attribution, '')),
      'when', CASE WHEN sites_site.start_year IS NOT NULL THEN jsonb_build_object('timespans',
        jsonb_build_array(jsonb_build_object(
          'start', jsonb_build_object('in', {start}),
          'end', CASE WHEN sites_site.end_year IS NOT NULL THEN jsonb_build_object('in', {end})
                      ELSE jsonb_build_object('latest', %s) END)))
        -- Undated: the whg3 schema (lpf_v2.0) wants a `when` on every place; all
        -- we know is that it stood by its end year, or by the export's year.
        ELSE jsonb_build_object('label', 'undated', 'timespans', jsonb_build_array(
          jsonb_build_object('start', jsonb_build_object('latest', COALESCE({end}, %s))))) END,
      'names', (SELECT jsonb_agg(jsonb_build_object('toponym', n.value, 'lang', n.key,
                  'citations', jsonb_build_array(jsonb_build_object('label',
                     COALESCE(sites_site.sources->>0, NULLIF(sites_site.attribution, ''), %s))))
                  ORDER BY n.key)
                FROM jsonb_each_text(sites_site.name) n WHERE n.value <> ''),
      'types', jsonb_build_array(jsonb_build_object(
        'identifier', %s || sites_site.kind, 'label', sites_site.kind)),
      'geometry', jsonb_build_object('type', 'GeometryCollection', 'geometries', jsonb_build_array(
        ST_AsGeoJSON(sites_site.location, {GEOJSON_PRECISION})::jsonb
          || jsonb_build_object('certainty', {LPF_CERTAINTY_SQL}))
        || CASE WHEN sites_site.shape IS NOT NULL THEN jsonb_build_array(
             ST_AsGeoJSON(sites_site.shape, {GEOJSON_PRECISION})::jsonb || jsonb_build_object('certainty',
               CASE WHEN sites_site.geometry_quality = 'schematic' THEN 'uncertain'
                    ELSE {LPF_CERTAINTY_SQL} END))
           ELSE '[]'::jsonb END),
      'links', NULLIF(jsonb_path_query_array(jsonb_build_array(
        CASE WHEN sites_site.wikidata <> '' THEN jsonb_build_object('type', 'closeMatch',
          'identifier', 'http://www.wikidata.org/entity/' || sites_site.wikidata) END,
        CASE WHEN sites_site.pleiades <> '' THEN jsonb_build_object('type', 'closeMatch',
          'identifier', 'https://pleiades.stoa.org/places/' || sites_site.pleiades) END,
        CASE WHEN sites_site.osm <> '' THEN jsonb_build_object('type', 'seeAlso',
          'identifier', 'https://www.openstreetmap.org/' || sites_site.osm) END), '$[*] ? (@ != null)'),
        '[]'::jsonb),
      'descriptions', (SELECT jsonb_agg(jsonb_build_object('value', d.value, 'lang', d.key) ORDER BY d.key)
                FROM jsonb_each_text(sites_site.description) d WHERE d.value <> '')
    ))::text"""


def site_lpf_texts(
    sites: QuerySet[Site], *, base_uri: str, until_year: int, chunk_size: int = EXPORT_CHUNK_SIZE
) -> Iterator[str]:
    """One Linked Places feature per site as text, built in PostgreSQL.

    `base_uri` + slug is the place's @id and `base_uri` + ?kind= a type's
    identifier; `until_year` closes the timespan of a site with no end year
    (still standing)."""
    title_sql, title_params = _compiled(sites, Translated("name", TITLE_LANGUAGE))
    params = (
        base_uri,
        *title_params,
        sorted(str(kind) for kind in WATER_KINDS),
        f"{until_year:04d}",
        f"{until_year:04d}",
        settings.HERITAGE_DATA_ATTRIBUTION,
        # A kind is identified by the OGC items filtered to it: a URL that resolves.
        base_uri.rstrip("/") + "?kind=",
    )
    shaped = sites.annotate(lpf_text=RawSQL(_lpf_feature_sql(title_sql), params))
    return shaped.values_list("lpf_text", flat=True).iterator(chunk_size=chunk_size)


def _compiled(sites: QuerySet[Site], expression) -> tuple[str, list]:
    """An ORM expression as SQL and parameters, to embed in a RawSQL
    (the one language fallback, editorial.translations.Translated)."""
    compiler = sites.query.get_compiler(connection=connection)
    return expression.resolve_expression(sites.query).as_sql(compiler, connection)
