"""KML 2.2 exports: one Placemark a site (and a route's path), with names,
descriptions, TimeSpans and every field as ExtendedData.

Geometries come as KML from PostGIS (ST_AsKML); `title` and the
description text come in one language from the caller, as for GPX. TimeSpan years use
xsd:gYear, which allows BCE years as negative years ("-0546").
"""

from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from geodata.exports.gpx import describe
from geodata.exports.lpf import iso_year
from geodata.exports.metadata import ExportMetadata
from geodata.exports.streaming import text_batches

MEDIA_TYPE = "application/vnd.google-earth.kml+xml"
EXTENSION = "kml"
KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
DATA_FIELDS = (
    "slug",
    "name_tr",
    "name_en",
    "name_de",
    "kind",
    "periods",
    "start_year",
    "end_year",
    "geometry_quality",
    "confidence",
    "district",
    "wikidata",
    "pleiades",
    "osm",
    "sources",
    "license",
    "attribution",
    "status",
    "stop_order",
    "designation",
    "dwell_min",
    "trigger_radius_m",
)
ROUTE_FIELDS = ("slug", "theme", "path_quality", "duration_min", "license", "attribution", "status")
BATCH_ROWS = 500


def _text(tag: str, value) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>" if value not in (None, "") else ""


def _extended_data(values: Iterable[tuple[str, object]]) -> str:
    items = "".join(
        f"<Data name={quoteattr(name)}><value>{escape(str(value))}</value></Data>"
        for name, value in values
        if value not in (None, "")
    )
    return f"<ExtendedData>{items}</ExtendedData>" if items else ""


def _time_span(row: dict) -> str:
    # xsd:gYear has no year 0; such a bound is left out.
    begin, end = row.get("start_year"), row.get("end_year")
    inner = _text("begin", iso_year(begin) if begin else None) + _text("end", iso_year(end) if end else None)
    return f"<TimeSpan>{inner}</TimeSpan>" if inner else ""


def placemark(row: dict) -> str:
    return (
        f"<Placemark id={quoteattr(row['slug'])}>"
        + _text("name", row["title"])
        + _text("description", describe(row))
        + _time_span(row)
        + _extended_data((name, row.get(name)) for name in DATA_FIELDS)
        + row["kml"]
        + "</Placemark>\n"
    )


def route_placemark(route: dict) -> str:
    name = route["name"] or {}
    return (
        f"<Placemark id={quoteattr('route-' + route['slug'])}>"
        + _text("name", route["title"])
        + _text("description", route.get("summary_text"))
        + _extended_data(
            [
                *((key, route.get(key)) for key in ROUTE_FIELDS),
                *((f"name_{code}", name.get(code)) for code in ("tr", "en", "de")),
            ]
        )
        + route["kml"]
        + "</Placemark>\n"
    )


def kml_chunks(
    placemarks: Iterable[dict], *, metadata: ExportMetadata, routes: Iterable[dict] = ()
) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<kml xmlns="{KML_NAMESPACE}" xmlns:atom="{ATOM_NAMESPACE}"><Document>'
        + _text("name", metadata.title)
        + f"<atom:author><atom:name>{escape(metadata.attribution)}</atom:name></atom:author>"
        + f'<atom:link href={quoteattr(metadata.license_url)} rel="license"/>'
        + _text("description", metadata.citation)
        + _extended_data(metadata.as_dict().items())
        + "\n"
    )
    for route in routes:
        yield route_placemark(route)
    yield "<Folder><name>sites</name>\n"
    yield from text_batches(map(placemark, placemarks), size=BATCH_ROWS)
    yield "</Folder></Document></kml>\n"
