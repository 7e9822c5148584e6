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


def _route_csv_rows(routes: QuerySet[Route], stop_rows, columns: tuple[str, ...]) -> Iterator[tuple]:
    """The route row (its path as WKT) then one row a stop, all as wide as
    ("feature_type", *columns, *ROUTE_CSV_COLUMNS)."""
    route_only = (None,) * len(ROUTE_CSV_COLUMNS)
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
        own = (
            *(summary.get(code) for code in ("tr", "en", "de")),
            route["theme"],
            ";".join(route["modes"]),
            route["path_quality"],
            route["duration_min"],
            route["length_rounded"],
        )
        yield ("route", *(shared.get(column) for column in columns), *own)
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
    order: list | None = None,
    options: FeatureOptions | None = None,
) -> Export:
    """All visible sites matching `filters` in format `fmt` (a FORMATS key).
    `base_uri` is where sites live (LPF @id = base_uri + slug); `version` and
    `url` name a release (default: the current data version, no URL).
    `order`: order_by() terms (sortby); `options`: GeoJSON properties/geometry."""
    metadata = export_metadata(subject="sites", now=now, version=version, url=url)
    module = FORMATS[fmt]
    filename = export_filename("sites", module.EXTENSION, metadata=metadata)
    sites = site_export_queryset(filters=filters, include_drafts=include_drafts)
    if order:
        sites = sites.order_by(*order)
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
        options=options,
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
) -> Export:
    """One route and its stops' sites in format `fmt` (`version`, `url`: as sites_export)."""
    metadata = export_metadata(subject=f"route {route.slug}", now=now, version=version, url=url)
    module = FORMATS[fmt]
    filename = export_filename(f"route-{route.slug}", module.EXTENSION, metadata=metadata)
    sites = route_stop_sites(route, include_drafts=include_drafts)
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
    options: FeatureOptions | None = None,
) -> Export:
    columns = (*extras, *FLAT_COLUMNS)
    if fmt == "geojson":
        texts = site_feature_texts(sites, options=options)
        if route_feature:
            texts = _chain(route_feature_texts(routes, include_drafts=include_drafts), texts)
        chunks = geojson.feature_collection_chunks(texts, metadata=metadata)
    elif fmt == "lpf":
        until = datetime.now(tz=UTC).year
        chunks = lpf.lpf_chunks(site_lpf_texts(sites, base_uri=base_uri, until_year=until), metadata=metadata)
    elif fmt == "csv" and route_feature:
        chunks = csvfile.csv_chunks(
            _route_csv_rows(routes, site_flat_rows(sites, extra_columns=extras), columns),
            columns=("feature_type", *columns, *ROUTE_CSV_COLUMNS),
            metadata=metadata,
        )
    elif fmt == "csv":
        chunks = csvfile.csv_chunks(
            site_flat_rows(sites, extra_columns=extras), columns=columns, metadata=metadata
        )
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
