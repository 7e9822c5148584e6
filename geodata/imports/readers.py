"""Readers: a file in, raw rows out (RawRecord: properties, a WGS84
geometry and what is wrong with the row's geometry or shape). One function
per format; what the properties mean is interchange/records.py's business.

- GeoJSON (also our exports, including a route with its stops), CSV with
  lat/lon or WKT columns, GPX (wpt = sites, trk = a route), KML/KMZ
  (Point placemarks = sites, line placemarks = routes), GeoPackage and zipped
  Shapefile (through GDAL).
- XML goes through defusedxml (xmlsafe.py), zips through archives.py.
- Any CRS GDAL knows is reprojected to WGS84: GeoJSON's legacy `crs`
  member, `--srid` for CSV, the layer's CRS for GeoPackage/Shapefile.
- Nothing is fetched from the network: GDAL's HTTP and PROJ's network are
  switched off before GDAL opens anything (no_network_gdal), and only
  regular local files are read.
"""

import csv
import io
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

from django.contrib.gis.geos import GEOSException, GEOSGeometry, LineString, MultiLineString, Point, Polygon

from geodata.crs import epsg_code, is_wgs84
from geodata.exports.csvfile import FORMULA_STARTS, TEXT_GUARD
from geodata.imports import archives, xmlsafe
from geodata.imports.geometry import finite, geometry_from_geojson, to_wgs84
from geodata.imports.rows import RawRecord, route_row, site_row

MAX_FILE_BYTES = 512 * 1024 * 1024
FORMATS_BY_SUFFIX = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".jsonld": "geojson",
    ".csv": "csv",
    ".gpx": "gpx",
    ".kml": "kml",
    ".kmz": "kmz",
    ".gpkg": "gpkg",
    ".zip": "shapefile",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


def detect_format(path: Path) -> str:
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        msg = f"Unknown file type {path.suffix!r}; use one of {', '.join(sorted(FORMATS_BY_SUFFIX))}."
        raise ImportFileError(msg)
    return fmt


def read_records(
    path: Path,
    *,
    fmt: str | None = None,
    srid: int | None = None,
    language: str = "tr",
) -> list[RawRecord]:
    """Every record of the file at `path`, in file order."""
    if not path.is_file():
        msg = f"{path} is not a regular local file."
        raise ImportFileError(msg)
    if path.stat().st_size > MAX_FILE_BYTES:
        msg = f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB."
        raise ImportFileError(msg)
    fmt = fmt or detect_format(path)
    options = {"language": language}
    try:
        if fmt == "geojson":
            return read_geojson(path.read_bytes(), srid=srid, **options)
        if fmt == "csv":
            return read_csv(path.read_bytes(), srid=srid, **options)
        if fmt == "gpx":
            return read_gpx(path.read_bytes(), **options)
        if fmt == "kml":
            return read_kml(path.read_bytes(), **options)
        if fmt == "kmz":
            return read_kml(archives.read_member(path, suffix=".kml"), **options)
        if fmt == "gpkg":
            return read_ogr(path, **options)
        if fmt == "shapefile":
            with tempfile.TemporaryDirectory(prefix="heritage-import-") as directory:
                files = archives.extract_all(path, Path(directory))
                shapefiles = [file for file in files if file.suffix.lower() == ".shp"]
                if not shapefiles:
                    msg = "The zip has no .shp file."
                    raise ImportFileError(msg)
                return read_ogr(shapefiles[0], **options)
    except (xmlsafe.UnsafeXml, archives.UnsafeArchive) as error:
        raise ImportFileError(str(error)) from error
    msg = f"Unknown format {fmt!r}."
    raise ImportFileError(msg)


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
    stops: list[tuple[int, RawRecord, dict]] = []
    try:
        for raw in reader:
            row = reader.line_num
            props = {
                k.strip().lower(): _unguarded(v) for k, v in raw.items() if isinstance(k, str) and k != EXTRA
            }
            geometry, error = _csv_geometry(props, srid)
            # A route's CSV export: the path row (feature_type route), then its stops.
            record = (route_row if props.get("feature_type") == "route" else site_row)(row, props, geometry)
            if record.kind == "site" and str(props.get("stop_order") or "").isdigit():
                stops.append((int(props["stop_order"]), record, props))
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
    routes = [record for record in records if record.kind == "route"]
    if len(routes) == 1 and stops:
        ordered = sorted(stops, key=lambda stop: stop[0])
        routes[0].props["stops"] = [stop_reference(record, props) for _order, record, props in ordered]
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


def row_reference(record: RawRecord) -> str:
    """A stop's site: its slug, or "@row:N" for a site whose slug is only
    known once the loader has matched or made it (interchange/imports.py)."""
    return record.slug or f"@row:{record.row}"


def stop_reference(record: RawRecord, props: dict) -> dict:
    """A stop as the route's `stops` item, from its site row's stop columns."""
    stop = {"site": row_reference(record)}
    for name in ("designation", "dwell_min", "trigger_radius_m"):
        if props.get(name):
            stop[name] = props[name]
    return stop


# --- GPX ----------------------------------------------------------------------


def _float_attr(element, name: str) -> float:
    try:
        value = float(element.get(name, ""))
    except ValueError:
        value = float("nan")
    return value


def read_gpx(data: bytes, *, language: str) -> list[RawRecord]:
    root = xmlsafe.parse_xml(data)
    if xmlsafe.local(root.tag) != "gpx":
        msg = "Not a GPX document."
        raise ImportFileError(msg)
    records: list[RawRecord] = []
    stops: list[tuple[int, str]] = []
    for row, wpt in enumerate(xmlsafe.children(root, "wpt"), start=1):
        props = _gpx_props(wpt, language)
        lon, lat = _float_attr(wpt, "lon"), _float_attr(wpt, "lat")
        geometry = Point(lon, lat, srid=4326) if finite(lon, lat) else None
        record = site_row(row, props, geometry)
        if geometry is None:
            record.errors.insert(0, "lat/lon: coordinates must be finite numbers (no NaN or infinity).")
        records.append(record)
        if props.get("stop_order"):
            stops.append((int(props["stop_order"]) if props["stop_order"].isdigit() else 0, record, props))
    tracks = xmlsafe.children(root, "trk")
    for row, trk in enumerate(tracks, start=len(records) + 1):
        records.append(_gpx_track(row, trk, language, stops if len(tracks) == 1 else []))
    return records


def _gpx_props(element, language: str) -> dict:
    props: dict = {}
    name = xmlsafe.text(element, "name")
    if name:
        props["name"] = {language: name}
    kind = xmlsafe.text(element, "type")
    if kind:
        props["kind"] = kind
    extensions = xmlsafe.child(element, "extensions")
    for item in extensions if extensions is not None else []:
        props[xmlsafe.local(item.tag)] = (item.text or "").strip()
    if any(f"name_{code}" in props for code in ("tr", "en", "de")):
        props.pop("name", None)  # our own export: names per language are in the extensions
    return props


def _gpx_track(row: int, trk, language: str, stops: list) -> RawRecord:
    props = _gpx_props(trk, language)
    props.pop("kind", None)
    parts, finite_points = [], True
    for segment in xmlsafe.children(trk, "trkseg"):
        points = [(_float_attr(p, "lon"), _float_attr(p, "lat")) for p in xmlsafe.children(segment, "trkpt")]
        finite_points &= all(finite(*point) for point in points)
        if len(points) >= 2:
            parts.append(points)
    geometry = None
    if finite_points and parts:
        geometry = (
            LineString(parts[0], srid=4326)
            if len(parts) == 1
            else MultiLineString([LineString(part) for part in parts], srid=4326)
        )
    if stops:
        props["stops"] = [
            stop_reference(record, props) for _order, record, props in sorted(stops, key=lambda s: s[0])
        ]
    record = route_row(row, props, geometry)
    if not finite_points:
        record.errors.insert(0, "trkpt: coordinates must be finite numbers (no NaN or infinity).")
    return record


# --- KML ----------------------------------------------------------------------


def _kml_coordinates(element) -> list[tuple[float, float]]:
    values = []
    for token in xmlsafe.text(element).split():
        parts = token.split(",")
        try:
            values.append((float(parts[0]), float(parts[1])))
        except (IndexError, ValueError):
            values.append((float("nan"), float("nan")))
    return values


def _kml_geometries(placemark) -> list[GEOSGeometry]:
    found: list[GEOSGeometry] = []
    for element in placemark.iter():
        name = xmlsafe.local(element.tag)
        coordinates_element = xmlsafe.child(element, "coordinates")
        if name in ("Point", "LineString") and coordinates_element is not None:
            points = _kml_coordinates(coordinates_element)
            if not all(finite(*point) for point in points):
                msg = "coordinates must be finite numbers (no NaN or infinity)."
                raise ValueError(msg)
            found.append(Point(points[0], srid=4326) if name == "Point" else LineString(points, srid=4326))
        elif name == "Polygon":
            rings = [
                _kml_coordinates(xmlsafe.child(ring, "coordinates"))
                for ring in element.iter()
                if xmlsafe.local(ring.tag) == "LinearRing" and xmlsafe.child(ring, "coordinates") is not None
            ]
            if not all(finite(*point) for ring in rings for point in ring):
                msg = "coordinates must be finite numbers (no NaN or infinity)."
                raise ValueError(msg)
            found.append(Polygon(*rings, srid=4326) if rings else Polygon(srid=4326))
    return found


def read_kml(data: bytes, *, language: str) -> list[RawRecord]:
    root = xmlsafe.parse_xml(data)
    if xmlsafe.local(root.tag) != "kml":
        msg = "Not a KML document."
        raise ImportFileError(msg)
    placemarks = [element for element in root.iter() if xmlsafe.local(element.tag) == "Placemark"]
    records, routes, stops = [], [], []
    for row, placemark in enumerate(placemarks, start=1):
        props = _kml_props(placemark, language)
        try:
            geometries, error = _kml_geometries(placemark), None
        except (ValueError, GEOSException) as problem:
            geometries, error = [], f"coordinates: {problem}"
        points = [g for g in geometries if isinstance(g, Point)]
        others = [g for g in geometries if not isinstance(g, Point)]
        if not points and others and "kind" not in props:
            geometry = others[0] if len(others) == 1 else MultiLineString(others, srid=4326)
            routes.append((row, props, geometry, error))
            continue
        if points and others:
            props.setdefault("shape_wkt", others[0].wkt)
        geometry = points[0] if points else (others[0] if others else None)
        record = site_row(row, props, geometry)
        if error:
            record.errors.insert(0, error)
        records.append(record)
        if str(props.get("stop_order", "")).isdigit():
            stops.append((int(props["stop_order"]), record, props))
    for row, props, geometry, error in routes:
        if stops and len(routes) == 1:
            props["stops"] = [stop_reference(r, p) for _o, r, p in sorted(stops, key=lambda s: s[0])]
        record = route_row(row, props, geometry)
        if error:
            record.errors.insert(0, error)
        records.append(record)
    return records


def _kml_props(placemark, language: str) -> dict:
    props: dict = {}
    name = xmlsafe.text(placemark, "name")
    if name:
        props["name"] = {language: name}
    data = xmlsafe.child(placemark, "ExtendedData")
    for item in xmlsafe.children(data, "Data") if data is not None else []:
        props[item.get("name", "")] = xmlsafe.text(item, "value")
    if any(f"name_{code}" in props for code in ("tr", "en", "de")):
        props.pop("name", None)
    return props


# --- GeoPackage and Shapefile (GDAL) -----------------------------------------


def no_network_gdal() -> None:
    """Switch off every way GDAL/PROJ could reach the network, in-process."""
    from django.contrib.gis.gdal.libgdal import lgdal

    for key, value in (
        ("GDAL_HTTP_PROXY", "127.0.0.1:9"),
        ("GDAL_HTTP_TIMEOUT", "1"),
        ("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".none"),
        ("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR"),
        ("PROJ_NETWORK", "OFF"),
        ("OGR_SQLITE_LOAD_EXTENSIONS", ""),
    ):
        lgdal.CPLSetConfigOption(key.encode(), value.encode())


SQLITE_MAGIC = b"SQLite format 3\x00"


def read_ogr(path: Path, *, language: str) -> list[RawRecord]:
    from django.contrib.gis.gdal import DataSource, GDALException

    if path.suffix.lower() == ".gpkg" and path.open("rb").read(16) != SQLITE_MAGIC:
        msg = "Not a GeoPackage (no SQLite header)."
        raise ImportFileError(msg)
    no_network_gdal()
    try:
        source = DataSource(str(path))
    except GDALException as error:
        msg = f"GDAL cannot read {path.name}: {error}."
        raise ImportFileError(msg) from error
    sites, routes, row = [], [], 0
    for layer in source:
        if layer.geom_type.name in ("None", "Unknown") and layer.name == "about":
            continue
        is_route_layer = layer.name == "routes" or ("theme" in layer.fields and "kind" not in layer.fields)
        for feature in layer:
            row += 1
            props = {name: feature.get(name) for name in layer.fields}
            geometry, error = _ogr_geometry(feature)
            if is_route_layer:
                routes.append(route_row(row, props, geometry))
                target = routes
            else:
                sites.append(site_row(row, props, geometry))
                target = sites
            if error:
                target[-1].errors.insert(0, error)
    return sites + routes


def _ogr_geometry(feature) -> tuple[GEOSGeometry | None, str | None]:
    geometry = feature.geom
    if geometry is None:
        return None, None
    try:
        if geometry.srs is not None and geometry.srid != 4326:
            geometry.transform(4326)
        value = geometry.geos
        value.srid = 4326
        if value.geom_type == "MultiLineString" and len(value) == 1:
            value = value[0]
            value.srid = 4326
        return to_wgs84(value, 4326), None
    except Exception as error:  # GDAL and GEOS raise several types
        return None, f"geometry: {error}"
