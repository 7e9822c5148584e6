"""Exports as one call per use case: which rows (the *_export selectors),
which format (geodata.exports, one module each), what metadata. The API view and the
export_geodata command both call these, so they offer the same formats and
filters and write the same bytes.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db.models import QuerySet

from geodata.exports import csvfile, geojson, gpkg, gpx, kml, lpf
from geodata.exports.metadata import ExportMetadata, export_filename, export_metadata
from geodata.geojson import FeatureOptions
from routes.models import Route
from routes.selectors_export import (
    route_export_queryset,
    route_feature_texts,
    route_flat_rows,
    route_stop_sites,
)
from sites.models import Site
from sites.selectors_export import (
    FLAT_COLUMNS,
    SiteFilters,
    site_export_queryset,
    site_feature_texts,
    site_flat_rows,
    site_lpf_texts,
)

FORMATS = {
    "geojson": geojson,
    "csv": csvfile,
    "gpkg": gpkg,
    "kml": kml,
    "gpx": gpx,
    "lpf": lpf,
}
ROUTE_COLUMNS = (
    "slug",
    "name_tr",
    "name_en",
    "name_de",
    "summary_tr",
    "summary_en",
    "summary_de",
    "theme",
    "modes",
    "path_quality",
    "duration_min",
    "length_m",
    "license",
    "attribution",
    "status",
    "wkt",
)
# The one-language name and description GPX and KML need (sites/selectors_export.py).
TEXT_COLUMNS = ("title", "description_text")
STOP_EXTRAS = ("stop_order", "designation", "dwell_min", "trigger_radius_m")
# A route's CSV: its path first (one row, `feature_type` route, the path as
# WKT in the `wkt` column GDAL reads), then its stops; these columns are the
# route's own and stay empty on stop rows.
ROUTE_CSV_COLUMNS = (
    "summary_tr",
    "summary_en",
    "summary_de",
    "theme",
    "modes",
    "path_quality",
    "duration_min",
    "length_m",
)
FILE_BLOCK_BYTES = 256 * 1024
# What skipGeometry leaves out of a CSV: the point (lon, lat), its WKT (the
# route's path on a route row) and the footprint.
CSV_GEOMETRY_COLUMNS = frozenset({"lon", "lat", "wkt", "shape_wkt"})
# Formats that take `properties` and `skipGeometry` (ExportShape). GPX and KML
# are fixed by their XSDs and a waypoint or placemark is its geometry; a
# GeoPackage feature table is typed and spatial; a Linked Places feature
# needs its geometry and properties (the WHG schema): those refuse them.
SHAPED_FORMATS = ("geojson", "csv")


@dataclass(frozen=True)
class ExportShape:
    """What `sortby`, `properties` and `skipGeometry` ask of an export,
    parsed at the edge with the OGC items' rules (api/ogc/query.py).

    `order`: order_by() terms for the sites (a route's stops; its route
    feature or row stays first), any format. `properties`: GeoJSON property
    names, or CSV column names (None: all). `skip_geometry`: GeoJSON
    `"geometry": null`, or a CSV without CSV_GEOMETRY_COLUMNS."""

    order: tuple = ()
    properties: tuple[str, ...] | None = None
    skip_geometry: bool = False

    @property
    def sparse(self) -> bool:
        return self.properties is not None or self.skip_geometry

    def csv_columns(self, columns) -> tuple[str, ...]:
        return tuple(
            column
            for column in columns
            if (self.properties is None or column in self.properties or column == "feature_type")
            and not (self.skip_geometry and column in CSV_GEOMETRY_COLUMNS)
        )

    def feature_options(self, *, always: tuple[str, ...] = ()) -> FeatureOptions | None:
        """GeoJSON: the export keeps its null properties (the re-import
        contract); `always` are kept whatever `properties` says."""
        if not self.sparse:
            return None
        names = None if self.properties is None else (*always, *self.properties)
        return FeatureOptions(properties=names, skip_geometry=self.skip_geometry)


NO_SHAPE = ExportShape()


def csv_header(*, route: bool) -> tuple[str, ...]:
    """The columns of a sites CSV, or of a route's CSV (its row, then its
    stops'): what `properties` may name for format=csv."""
    if route:
        return ("feature_type", *STOP_EXTRAS, *FLAT_COLUMNS, *ROUTE_CSV_COLUMNS)
    return FLAT_COLUMNS


@dataclass
class Export:
    """What to send: text or byte chunks, their media type and file name."""

    chunks: Iterator[str] | Iterator[bytes]
    media_type: str
    filename: str
    metadata: ExportMetadata
    size: int | None = None  # known for files (GeoPackage), not for streams


def _as_dicts(rows, columns) -> Iterator[dict]:
    for row in rows:
        yield dict(zip(columns, row, strict=True))


def _route_rows(routes: QuerySet[Route]) -> Iterator[tuple]:
    for route in route_flat_rows(routes):
        name, summary = route["name"] or {}, route["summary"] or {}
        yield (
            route["slug"],
            name.get("tr"),
            name.get("en"),
            name.get("de"),
            summary.get("tr"),
            summary.get("en"),
            summary.get("de"),
            route["theme"],
            ";".join(route["modes"]),
            route["path_quality"],
            route["duration_min"],
            route["length_rounded"],
            route["license"],
            route["attribution"],
            route["status"],
            route["wkt"],
        )


def _route_csv_rows(
    routes: QuerySet[Route], stop_rows, columns: tuple[str, ...], route_columns: tuple[str, ...]
) -> Iterator[tuple]:
    """The route row (its path as WKT) then one row a stop, all as wide as
    ("feature_type", *columns, *route_columns): `columns` are the stops'
    (some shared with the route), `route_columns` (of ROUTE_CSV_COLUMNS) the
    route's own, empty on stop rows."""
    route_only = (None,) * len(route_columns)
    for route in route_flat_rows(routes):
        name, summary = route["name"] or {}, route["summary"] or {}
        shared = {
            "slug": route["slug"],
            "name_tr": name.get("tr"),
            "name_en": name.get("en"),
            "name_de": name.get("de"),
            "wkt": route["wkt"],
            "license": route["license"],
            "attribution": route["attribution"],
            "status": route["status"],
            **{f"description_{code}": (route["description"] or {}).get(code) for code in ("tr", "en", "de")},
        }
        own = {
            **{f"summary_{code}": summary.get(code) for code in ("tr", "en", "de")},
            "theme": route["theme"],
            "modes": ";".join(route["modes"]),
            "path_quality": route["path_quality"],
            "duration_min": route["duration_min"],
            "length_m": route["length_rounded"],
        }
        yield ("route", *(shared.get(column) for column in columns), *(own[c] for c in route_columns))
    for row in stop_rows:
        yield ("stop", *row, *route_only)


def _geopackage(layers, *, metadata: ExportMetadata, filename: str) -> Export:
    # Built before the response starts, so a GDAL failure is an error, not a
    # truncated download. The directory goes as soon as the file is open.
    with gpkg.temporary_directory() as directory:
        path = gpkg.write_geopackage(Path(directory), layers=layers, metadata=metadata)
        handle = path.open("rb")
        size = path.stat().st_size

    def blocks() -> Iterator[bytes]:
        with handle:
            while block := handle.read(FILE_BLOCK_BYTES):
                yield block

    return Export(blocks(), gpkg.MEDIA_TYPE, filename, metadata, size)


def sites_export(
    fmt: str,
    *,
    filters: SiteFilters | None = None,
    include_drafts: bool = False,
    base_uri: str,
    now: datetime | None = None,
    version: str | None = None,
    url: str = "",
    shape: ExportShape = NO_SHAPE,
) -> Export:
    """All visible sites matching `filters` in format `fmt` (a FORMATS key).
    `base_uri` is where sites live (LPF @id = base_uri + slug); `version` and
    `url` name a release (default: the current data version, no URL);
    `shape`: sortby, properties, skipGeometry."""
    metadata = export_metadata(subject="sites", now=now, version=version, url=url)
    module = FORMATS[fmt]
    filename = export_filename("sites", module.EXTENSION, metadata=metadata)
    sites = site_export_queryset(filters=filters, include_drafts=include_drafts)
    if shape.order:
        sites = sites.order_by(*shape.order)
    routes = route_export_queryset(include_drafts=include_drafts)
    if filters and filters.route:
        routes = routes.filter(slug=filters.route)
    return _export(
        fmt,
        sites=sites,
        routes=routes,
        extras=(),
        metadata=metadata,
        filename=filename,
        base_uri=base_uri,
        include_drafts=include_drafts,
        route_feature=False,
        shape=shape,
    )


def route_export(
    fmt: str,
    *,
    route: Route,
    include_drafts: bool = False,
    base_uri: str,
    now: datetime | None = None,
    version: str | None = None,
    url: str = "",
    shape: ExportShape = NO_SHAPE,
) -> Export:
    """One route and its stops' sites in format `fmt` (`version`, `url`,
    `shape`: as sites_export; `shape.order` reorders the stops' sites)."""
    metadata = export_metadata(subject=f"route {route.slug}", now=now, version=version, url=url)
    module = FORMATS[fmt]
    filename = export_filename(f"route-{route.slug}", module.EXTENSION, metadata=metadata)
    sites = route_stop_sites(route, include_drafts=include_drafts)
    if shape.order:
        sites = sites.order_by(*shape.order)
    routes = Route.objects.filter(pk=route.pk)
    return _export(
        fmt,
        sites=sites,
        routes=routes,
        extras=STOP_EXTRAS,
        metadata=metadata,
        filename=filename,
        base_uri=base_uri,
        include_drafts=include_drafts,
        route_feature=True,
        shape=shape,
    )


def _export(
    fmt: str,
    *,
    sites: QuerySet[Site],
    routes: QuerySet[Route],
    extras: tuple[str, ...],
    metadata: ExportMetadata,
    filename: str,
    base_uri: str,
    include_drafts: bool,
    route_feature: bool,
    shape: ExportShape = NO_SHAPE,
) -> Export:
    columns = (*extras, *FLAT_COLUMNS)
    if shape.sparse and fmt not in SHAPED_FORMATS:
        msg = f"properties and skipGeometry apply to {' and '.join(SHAPED_FORMATS)} only, not {fmt}"
        raise ValueError(msg)  # the API refuses them first (400 naming the parameter)
    if fmt == "geojson":
        texts = site_feature_texts(sites, options=shape.feature_options())
        if route_feature:
            route_options = shape.feature_options(always=("feature_type",))
            texts = _chain(
                route_feature_texts(routes, include_drafts=include_drafts, options=route_options), texts
            )
        chunks = geojson.feature_collection_chunks(texts, metadata=metadata)
    elif fmt == "lpf":
        until = datetime.now(tz=UTC).year
        chunks = lpf.lpf_chunks(site_lpf_texts(sites, base_uri=base_uri, until_year=until), metadata=metadata)
    elif fmt == "csv" and route_feature:
        kept = shape.csv_columns(columns)
        route_columns = shape.csv_columns(ROUTE_CSV_COLUMNS)
        stops = site_flat_rows(sites, extra_columns=extras, columns=kept)
        chunks = csvfile.csv_chunks(
            _route_csv_rows(routes, stops, kept, route_columns),
            columns=("feature_type", *kept, *route_columns),
            metadata=metadata,
        )
    elif fmt == "csv":
        kept = shape.csv_columns(columns)
        chunks = csvfile.csv_chunks(site_flat_rows(sites, columns=kept), columns=kept, metadata=metadata)
    elif fmt == "kml":
        text = ("kml", *TEXT_COLUMNS)
        rows = _as_dicts(site_flat_rows(sites, extra_columns=(*text, *extras)), (*text, *columns))
        chunks = kml.kml_chunks(
            rows, metadata=metadata, routes=route_flat_rows(routes) if route_feature else ()
        )
    elif fmt == "gpx":
        rows = _as_dicts(
            site_flat_rows(sites, extra_columns=(*TEXT_COLUMNS, *extras)), (*TEXT_COLUMNS, *columns)
        )
        chunks = gpx.gpx_chunks(
            rows, metadata=metadata, routes=route_flat_rows(routes) if route_feature else ()
        )
    else:
        layers = [
            ("sites", columns, site_flat_rows(sites, extra_columns=extras)),
            ("routes", ROUTE_COLUMNS, _route_rows(routes)),
        ]
        return _geopackage(layers, metadata=metadata, filename=filename)
    return Export(chunks, FORMATS[fmt].MEDIA_TYPE, filename, metadata)


def _chain(*iterables) -> Iterator[str]:
    for iterable in iterables:
        yield from iterable
