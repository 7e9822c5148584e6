"""Text formats: GeoJSON (also our own exports, with a route's stops and
Linked Places) and CSV with lat/lon or WKT columns."""

import csv
import io
import json
from collections.abc import Mapping

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point

from geodata.crs import epsg_code, is_wgs84
from geodata.exports.csvfile import FORMULA_STARTS, TEXT_GUARD
from geodata.imports.geometry import finite, geometry_from_geojson, to_wgs84
from geodata.imports.rows import ImportFileError, RawRecord, route_row, site_row

# --- GeoJSON ------------------------------------------------------------------


def _legacy_crs(collection: Mapping) -> int | None:
    name = ((collection.get("crs") or {}).get("properties") or {}).get("name", "")
    if not name or is_wgs84(name):
        return None
    code = epsg_code(str(name))
    if code is None:
        msg = f"Unknown crs {name!r}."
        raise ImportFileError(msg)
    return code


def read_geojson(data: bytes, *, srid: int | None, language: str) -> list[RawRecord]:
    try:
        # NaN/Infinity literals parse to NaN, so the row that has them is
        # reported with its number (1e309 parses to inf the same way).
        collection = json.loads(data, parse_constant=lambda _name: float("nan"))
    except (ValueError, UnicodeDecodeError) as error:
        msg = f"Not valid JSON: {error}."
        raise ImportFileError(msg) from error
    if not isinstance(collection, dict) or collection.get("type") not in ("FeatureCollection", "Feature"):
        msg = "Expected a GeoJSON FeatureCollection."
        raise ImportFileError(msg)
    source_srid = srid or _legacy_crs(collection) or 4326
    features = collection.get("features") if collection["type"] == "FeatureCollection" else [collection]
    if not isinstance(features, list):
        msg = "features must be a list."
        raise ImportFileError(msg)
    records = []
    for row, feature in enumerate(features, start=1):
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        if isinstance(feature, dict) and "@id" in feature:
            props = _linked_places_props(feature, props)
        make = route_row if props.get("feature_type") == "route" else site_row
        geometry, error = _feature_geometry(feature, source_srid)
        record = make(row, props, geometry)
        if error:
            record.errors.insert(0, error)
        records.append(record)
    return records


def _linked_places_props(feature: dict, props: dict) -> dict:
    """A Linked Places feature's names, types and timespan as properties
    (our LPF exports read back; other gazetteers' files as far as they map)."""
    found = dict(props)
    found.setdefault("slug", str(feature["@id"]).rstrip("/").rsplit("/", 1)[-1])
    names = [n for n in feature.get("names") or [] if isinstance(n, dict) and n.get("toponym")]
    if names and "name" not in found:
        found["name"] = {
            n.get("lang") or "tr": n["toponym"] for n in names if n.get("lang") in ("tr", "en", "de")
        }
    types = [t for t in feature.get("types") or [] if isinstance(t, dict)]
    if types and "kind" not in found:
        found["kind"] = types[0].get("label")
    spans = ((feature.get("when") or {}).get("timespans") or [{}])[0]
    start, end = (spans.get("start") or {}).get("in"), (spans.get("end") or {}).get("in")
    if start is not None and "start_year" not in found:
        found["start_year"] = start
    if end is not None and "end_year" not in found:
        found["end_year"] = end
    found.pop("title", None)
    return found


def _feature_geometry(feature, srid: int) -> tuple[GEOSGeometry | None, str | None]:
    if not isinstance(feature, dict) or not feature.get("geometry"):
        return None, None
    geometry = feature["geometry"]
    if geometry.get("type") == "GeometryCollection" and geometry.get("geometries"):
        geometry = geometry["geometries"][0]  # Linked Places: the first is the representative point
    try:
        return geometry_from_geojson(geometry, srid=srid), None
    except ValueError as error:
        return None, str(error)


# --- CSV ----------------------------------------------------------------------

EXTRA = "\0extra"  # DictReader's key for fields beyond the header
LAT_COLUMNS = ("lat", "latitude", "y")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "x")
WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom")


def read_csv(data: bytes, *, srid: int | None, language: str) -> list[RawRecord]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        msg = f"CSV must be UTF-8: {error}."
        raise ImportFileError(msg) from error
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey=EXTRA)
    records: list[RawRecord] = []
    try:
        for raw in reader:
            row = reader.line_num
            props = {
                k.strip().lower(): _unguarded(v) for k, v in raw.items() if isinstance(k, str) and k != EXTRA
            }
            geometry, error = _csv_geometry(props, srid)
            record = site_row(row, props, geometry)
            if EXTRA in raw:
                record.errors.insert(
                    0,
                    f"row: {len(reader.fieldnames) + len(raw[EXTRA])} fields, "
                    f"the header has {len(reader.fieldnames)}.",
                )
            elif None in raw.values():
                record.errors.insert(0, f"row: fewer fields than the header's {len(reader.fieldnames)}.")
            if error:
                record.errors.insert(0, error)
            records.append(record)
    except csv.Error as error:
        msg = f"Line {reader.line_num}: {error}."
        raise ImportFileError(msg) from error
    if reader.fieldnames is None:
        msg = "The CSV is empty."
        raise ImportFileError(msg)
    return records


def _unguarded(value):
    """A cell as written before csvfile.neutralised guarded it against
    spreadsheet formulas (so an export re-imports unchanged)."""
    if isinstance(value, str) and value.startswith(TEXT_GUARD) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _csv_geometry(props: Mapping, srid: int | None) -> tuple[GEOSGeometry | None, str | None]:
    wkt = next((props[c] for c in WKT_COLUMNS if props.get(c)), None)
    try:
        if wkt:
            value = GEOSGeometry(wkt)
            if "nan" in wkt.lower() or "inf" in wkt.lower():
                return None, "wkt: coordinates must be finite numbers."
            return to_wgs84(value, srid or value.srid or 4326), None
        lat = next((props[c] for c in LAT_COLUMNS if props.get(c)), None)
        lon = next((props[c] for c in LON_COLUMNS if props.get(c)), None)
        if lat is None or lon is None:
            return None, "geometry: give lat and lon columns, or a wkt column."
        x, y = float(lon), float(lat)
        if not finite(x, y):
            return None, "lat/lon: coordinates must be finite numbers."
        return to_wgs84(Point(x, y), srid or 4326), None
    except (ValueError, GEOSException, TypeError) as error:
        return None, f"geometry: {error}"
