"""Import records: one row of a file, turned into the keyword arguments of
site_upsert / route_upsert, or into messages saying what is wrong with it.

geodata's readers pass raw rows (RawRecord: plain property mappings from
GeoJSON properties, CSV columns, GPX extensions, KML ExtendedData or OGR
fields, and a WGS84 geometry); the mapping rules to the domain live here
once. A field missing from the row is left alone on an existing site, so a
partial file never blanks data.
"""

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point

from editorial.vocabularies import Kind, Status
from geodata.imports.geometry import finite, geometry_from_geojson, to_wgs84
from geodata.imports.rows import RawRecord
from routes.services import StopSpec

SITE_TEXT_FIELDS = (
    "geometry_quality",
    "confidence",
    "district",
    "address",
    "opening_hours",
    "wikidata",
    "pleiades",
    "osm",
    "license",
    "attribution",
)
ROUTE_TEXT_FIELDS = ("theme", "designation", "path_quality", "license", "attribution")
LANGUAGES = ("tr", "en", "de")
EXTERNAL_IDS = ("wikidata", "pleiades", "osm")
KEEP_NARRATIVE = {"__keep__": True}  # sentinel: the file says nothing about the narrative


@dataclass
class Record:
    row: int
    kind: str  # "site" or "route"
    slug: str = ""
    title: str = ""
    fields: dict = field(default_factory=dict)
    periods: list[str] | None = None
    status: str | None = None
    stops: list[StopSpec] | None = None
    errors: list[str] = field(default_factory=list)
    # Translated fields given for some languages only: field -> languages the
    # file covers; an existing row keeps its other languages.
    partial: dict[str, set[str]] = field(default_factory=dict)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def translations(props: Mapping, key: str, *, language: str) -> tuple[dict | None, set[str] | None]:
    """(texts, covered): `key` as a dict or a JSON string of one replaces
    every language (covered None); plain text in `language` and `key_tr`,
    `key_en`, `key_de` columns cover only their languages, so an existing
    row keeps the others (load.py merges). texts None: not in the row."""
    value = props.get(key)
    found: dict | None = None
    covered: set[str] | None = set()
    if isinstance(value, str) and value.strip().startswith("{"):
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, Mapping):
        found, covered = {k: v for k, v in value.items() if isinstance(v, str) and v}, None
    elif isinstance(value, str) and value.strip():
        found = {language: value.strip()}
        covered.add(language)
    for code in LANGUAGES:
        column = props.get(f"{key}_{code}")
        if column is not None:
            found = found or {}
            if covered is not None:
                covered.add(code)
            if not _blank(column):
                found[code] = str(column).strip()
    return found, covered


def _translated(record: Record, props: Mapping, key: str, language: str) -> None:
    texts, covered = translations(props, key, language=language)
    if texts is not None:
        record.fields[key] = texts
        if covered is not None:
            record.partial[key] = covered


def text_list(value, *, separator: str = ";") -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            parsed = json.loads(value)
            if isinstance(parsed, list):
                return [str(item).strip() for item in parsed if str(item).strip()]
        except ValueError:
            pass
    return [part.strip() for part in str(value).split(separator) if part.strip()]


def year(value, name: str, errors: list[str]) -> int | None:
    if _blank(value):
        return None
    try:
        number = float(value) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        errors.append(f"{name}: {value!r} is not a year (BCE negative).")
        return None
    if not finite(number) or number != int(number):
        errors.append(f"{name}: {value!r} is not a whole year.")
        return None
    return int(number)


def site_record(
    row: int, props: Mapping, geometry: GEOSGeometry | None, *, language: str, default_status: str
) -> Record:
    """A site from one row; problems are collected, not raised."""
    record = Record(row=row, kind="site", slug=str(props.get("slug") or "").strip())
    errors, fields = record.errors, record.fields
    for key in ("name", "description"):
        _translated(record, props, key, language)
    record.title = next((v for v in (fields.get("name") or {}).values() if v), "")
    kind = props.get("kind")
    if not _blank(kind) and kind not in Kind.values:
        errors.append(f"kind: unknown kind {kind!r}.")
    if not _blank(kind):
        fields["kind"] = kind
    record.periods = text_list(props["periods"]) if "periods" in props else None
    for name in ("start_year", "end_year"):
        if name in props:
            fields[name] = year(props[name], name, errors)
    for name in SITE_TEXT_FIELDS:
        if name in props:
            fields[name] = "" if props[name] is None else str(props[name]).strip()
    if "sources" in props:
        fields["sources"] = text_list(props["sources"]) or []
    if isinstance(props.get("accessibility"), Mapping):
        fields["accessibility"] = dict(props["accessibility"])
    _site_geometry(props, geometry, fields, errors)
    status = props.get("status")
    record.status = status if status in Status.values else default_status
    return record


def _site_geometry(props: Mapping, geometry: GEOSGeometry | None, fields: dict, errors: list[str]) -> None:
    if geometry is None:
        errors.append("geometry: a site needs a location.")
        return
    if isinstance(geometry, Point):
        fields["location"] = geometry
    else:  # a footprint or a line: the site's point is on it
        fields["shape"] = geometry
        fields["location"] = geometry.point_on_surface
    shape = props.get("shape")
    shape_wkt = props.get("shape_wkt")
    try:
        if isinstance(shape, Mapping):
            fields["shape"] = geometry_from_geojson(shape)
        elif "shape" in props and shape is None:
            fields.setdefault("shape", None)
        elif not _blank(shape_wkt):
            fields["shape"] = to_wgs84(GEOSGeometry(str(shape_wkt)), 4326)
        elif "shape_wkt" in props:
            fields.setdefault("shape", None)
    except (ValueError, GEOSException) as error:
        errors.append(f"shape: {error}")


def route_record(
    row: int, props: Mapping, geometry: GEOSGeometry | None, *, language: str, default_status: str
) -> Record:
    record = Record(row=row, kind="route", slug=str(props.get("slug") or "").strip())
    errors, fields = record.errors, record.fields
    for key in ("name", "summary", "description"):
        _translated(record, props, key, language)
    record.title = next((v for v in (fields.get("name") or {}).values() if v), "")
    for name in ROUTE_TEXT_FIELDS:
        if not _blank(props.get(name)):
            fields[name] = str(props[name]).strip()
    if "modes" in props:
        fields["modes"] = text_list(props["modes"]) or []
    if not _blank(props.get("duration_min")):
        fields["duration_min"] = year(props["duration_min"], "duration_min", errors)
    if geometry is None or geometry.geom_type not in ("LineString", "MultiLineString"):
        errors.append("geometry: a route needs a LineString or MultiLineString path.")
    else:
        fields["path"] = geometry
    if isinstance(props.get("stops"), list):
        record.stops = [_stop(item, errors) for item in props["stops"] if isinstance(item, Mapping)]
    status = props.get("status")
    record.status = status if status in Status.values else default_status
    return record


def _stop(item: Mapping, errors: list[str]) -> StopSpec:
    try:
        return StopSpec(
            site_slug=str(item["site"]),
            designation=str(item.get("designation") or "proposed"),
            dwell_min=int(item.get("dwell_min") or 15),
            trigger_radius_m=int(item.get("trigger_radius_m") or 30),
            # A format without narratives (GPX, KML) keeps the stored one.
            narrative=item["narrative"] or None if "narrative" in item else KEEP_NARRATIVE,
        )
    except (KeyError, TypeError, ValueError):
        errors.append(
            f"stops: {dict(item)!r} is not a stop (site, designation, dwell_min, trigger_radius_m)."
        )
        return StopSpec(site_slug="")


def record_from_row(raw: RawRecord, *, language: str, default_status: str) -> Record:
    """The domain record of a raw row; the reader's errors (geometry, row
    shape) come first, then the mapping's."""
    make = route_record if raw.kind == "route" else site_record
    record = make(raw.row, raw.props, raw.geometry, language=language, default_status=default_status)
    record.errors[:0] = raw.errors
    return record
