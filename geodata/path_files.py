"""Read a route path from an uploaded GeoJSON, GPX or KML file.

Staff replace a route's path by uploading the track they recorded or drew
elsewhere. The file is parsed here, by us, before GDAL sees anything (GDAL
3.6 cannot be stopped from following references inside files):

- the format is recognised from the content, never the file name;
- XML goes through defusedxml (no DTDs, entities or external references);
- JSON is parsed with a depth guard (deep nesting is a 400, not a crash);
- only line geometries are taken; elevations are dropped (2D only), a `crs`
  other than CRS84 is refused, every coordinate must be a finite number.

The result is a LineString (one line) or MultiLineString (several), SRID
4326; the Route model's own validation (type, validity, service area) runs
afterwards as for a drawn path.
"""

import json
import math

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.contrib.gis.geos import LineString, MultiLineString
from django.core.exceptions import ValidationError

from geodata.crs import is_wgs84

MAX_PATH_FILE_BYTES = 5 * 1024 * 1024
MAX_POINTS = 100_000


def _fail(message: str, code: str = "invalid_path_file"):
    raise ValidationError(message, code=code)


def _point(coords, where: str) -> tuple[float, float]:
    if not isinstance(coords, (list, tuple)) or len(coords) < 2:
        _fail(f"{where}: a position needs a longitude and a latitude.")
    lon, lat = coords[0], coords[1]
    if (
        isinstance(lon, bool)
        or isinstance(lat, bool)
        or not isinstance(lon, (int, float))
        or not isinstance(lat, (int, float))
    ):
        _fail(f"{where}: coordinates must be numbers.")
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and math.isfinite(lat)):
        _fail(f"{where}: coordinates must be finite numbers.")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        _fail(f"{where}: ({lon}, {lat}) is out of range (lon -180..180, lat -90..90).")
    return lon, lat


def _lines_to_geometry(lines: list[list[tuple[float, float]]]):
    lines = [line for line in lines if line]
    if not lines:
        _fail("The file holds no line (a track, route or LineString).")
    if sum(len(line) for line in lines) > MAX_POINTS:
        _fail(f"The file has more than {MAX_POINTS} points.")
    for index, line in enumerate(lines, start=1):
        if len(line) < 2:
            _fail(f"Line {index} has fewer than two points.")
    if len(lines) == 1:
        return LineString(lines[0], srid=4326)
    return MultiLineString([LineString(line, srid=4326) for line in lines], srid=4326)


# --- GeoJSON --------------------------------------------------------------


def _check_crs(obj: dict) -> None:
    crs = obj.get("crs")
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if not is_wgs84(name):
        _fail(f"Only WGS84 (CRS84) coordinates are accepted; the file says {name or crs!r}.", "crs")


def _geojson_lines(obj, where: str = "GeoJSON") -> list[list[tuple[float, float]]]:
    if not isinstance(obj, dict):
        _fail(f"{where}: expected a GeoJSON object.")
    _check_crs(obj)
    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            _fail(f"{where}: features must be a list.")
        lines = []
        for index, item in enumerate(features):
            lines.extend(_geojson_lines(item, f"feature {index}"))
        return lines
    if kind == "Feature":
        return _geojson_lines(obj.get("geometry") or {}, where) if obj.get("geometry") else []
    coordinates = obj.get("coordinates")
    if kind == "LineString":
        if not isinstance(coordinates, list):
            _fail(f"{where}: coordinates must be a list.")
        return [[_point(c, where) for c in coordinates]]
    if kind == "MultiLineString":
        if not isinstance(coordinates, list) or not all(isinstance(p, list) for p in coordinates):
            _fail(f"{where}: coordinates must be a list of lines.")
        return [[_point(c, where) for c in part] for part in coordinates]
    if kind in {"Point", "MultiPoint", "Polygon", "MultiPolygon", "GeometryCollection"}:
        return []  # markers or areas next to the track are ignored
    _fail(f"{where}: unknown GeoJSON type {kind!r}.")
    return []


def _parse_geojson(text: str):
    try:
        obj = json.loads(text, parse_constant=lambda name: _fail(f"{name} is not a number in JSON."))
    except RecursionError:
        _fail("The JSON is nested too deeply.")
    except ValueError as error:
        _fail(f"The file is not valid JSON: {error}.")
    return _lines_to_geometry(_geojson_lines(obj))


# --- GPX and KML ----------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str):
    return [child for child in element if _local(child.tag) == name]


def _gpx_lines(root) -> list[list[tuple[float, float]]]:
    def position(point, where):
        try:
            return _point([float(point.get("lon")), float(point.get("lat"))], where)
        except (TypeError, ValueError):
            _fail(f"{where}: lat and lon must be numbers.")
            return (0.0, 0.0)

    lines = []
    for trk in _children(root, "trk"):
        for segment in _children(trk, "trkseg"):
            lines.append([position(p, "GPX track point") for p in _children(segment, "trkpt")])
    if not lines:
        for rte in _children(root, "rte"):
            lines.append([position(p, "GPX route point") for p in _children(rte, "rtept")])
    return lines


def _kml_lines(root) -> list[list[tuple[float, float]]]:
    lines = []
    for element in root.iter():
        if _local(element.tag) != "LineString":
            continue
        for coordinates in _children(element, "coordinates"):
            line = []
            for tuple_text in (coordinates.text or "").split():
                parts = tuple_text.split(",")
                try:
                    values = [float(part) for part in parts[:2]]
                except ValueError:
                    _fail("KML coordinates must be numbers (lon,lat[,alt]).")
                line.append(_point(values, "KML coordinates"))
            lines.append(line)
    return lines


def _parse_xml(data: bytes):
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        _fail("The XML uses a DTD or entities, which are not accepted.")
    except SafeET.ParseError as error:
        _fail(f"The file is not valid XML: {error}.")
    kind = _local(root.tag).lower()
    if kind == "gpx":
        return _lines_to_geometry(_gpx_lines(root))
    if kind == "kml":
        return _lines_to_geometry(_kml_lines(root))
    _fail(f"An XML file must be GPX or KML, not <{_local(root.tag)}>.")
    return None


def parse_path_file(upload):
    """The line geometry in an uploaded GeoJSON, GPX or KML file, or a
    ValidationError saying what is wrong with the file."""
    if upload.size is not None and upload.size > MAX_PATH_FILE_BYTES:
        _fail("A path file may be at most 5 MB.", "too_large")
    upload.seek(0)
    data = upload.read(MAX_PATH_FILE_BYTES + 1)
    if len(data) > MAX_PATH_FILE_BYTES:
        _fail("A path file may be at most 5 MB.", "too_large")
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith((b"{", b"[")):
        try:
            return _parse_geojson(stripped.decode("utf-8"))
        except UnicodeDecodeError:
            _fail("A GeoJSON file must be UTF-8 text.")
    if stripped.startswith(b"<"):
        return _parse_xml(stripped)
    _fail("Upload a GeoJSON, GPX or KML file.")
    return None
