"""XML formats, parsed through defusedxml (xmlsafe.py): GPX (wpt = sites,
trk = a route) and KML (Point placemarks = sites, lines = routes)."""

from django.contrib.gis.geos import GEOSException, GEOSGeometry, LineString, MultiLineString, Point, Polygon

from geodata.imports import xmlsafe
from geodata.imports.geometry import finite
from geodata.imports.rows import ImportFileError, RawRecord, route_row, site_row, stop_reference

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
