"""The one list of names meaning WGS84 longitude/latitude (CRS84).

RFC 7946 GeoJSON has no `crs` member; its 2008 predecessor named the CRS,
and files and clients still send these. EPSG:4326 is listed because GeoJSON
writers use it for lon/lat order (GDAL, QGIS); its official axis order is
lat/lon, but no GeoJSON writer follows that. The API's staff bodies, the
path-file upload, file imports and the OGC API all use this list.
"""

import re
from dataclasses import dataclass

from geodata.params import FilterError

# OGC API - Features' identifier for the only CRS served (lon/lat, WGS84).
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

WGS84_CRS_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "urn:ogc:def:crs:OGC::CRS84",
        CRS84,
        "CRS84",
        "OGC:CRS84",
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
        "urn:ogc:def:crs:EPSG:4326",
        "http://www.opengis.net/def/crs/EPSG/0/4326",
    }
)

_EPSG = re.compile(r"EPSG:{1,2}([0-9]+)$|EPSG/0/([0-9]+)$", re.IGNORECASE)


def is_wgs84(name: object) -> bool:
    return isinstance(name, str) and name in WGS84_CRS_NAMES


def epsg_code(name: str) -> int | None:
    """The EPSG code a CRS name ends with (`EPSG:32635`, `…/EPSG/0/32635`), or None."""
    match = _EPSG.search(name)
    return int(match.group(1) or match.group(2)) if match else None


# --- OGC API – Features Part 2: the CRSs features can be served and queried in.


@dataclass(frozen=True)
class OutputCrs:
    """A CRS the OGC API serves: its URI, SRID, axis order and decimals.

    `lat_first`: EPSG:4326 is officially latitude, longitude (Part 2 follows
    the CRS's axis order; only CRS84 and GeoJSON's RFC 7946 are lon/lat).
    `digits`: 6 decimals of a degree are ~0.1 m; 3 decimals of a metre are 1 mm."""

    uri: str
    srid: int
    lat_first: bool = False
    digits: int = 6
    # minx, miny, maxx, maxy a bbox-crs box must lie in: beyond them PROJ
    # cannot invert the projection (PostGIS raises, which would be a 500).
    limits: tuple[float, float, float, float] = (-180, -90, 180, 90)

    @property
    def is_crs84(self) -> bool:
        return self.uri == CRS84


MERCATOR_X, MERCATOR_Y = 20037508.3428, 20048966.1041  # ±180°, ±85.06°
WEB_MERCATOR = (-MERCATOR_X, -MERCATOR_Y, MERCATOR_X, MERCATOR_Y)
TRANSVERSE_MERCATOR = (-3e6, -1e7, 4e6, 1e7)  # metres, tried against PostGIS 3.3 / PROJ


def check_box(box: tuple[float, float, float, float], crs: OutputCrs, *, parameter: str = "bbox") -> None:
    """A projected bbox within the area its CRS can be inverted over."""
    west, south, east, north = crs.limits
    if not (west <= box[0] and south <= box[1] and box[2] <= east and box[3] <= north):
        limits = f"{west:g},{south:g},{east:g},{north:g}"
        raise FilterError(parameter, f"Outside what {crs.uri} covers ({limits}).")


def _epsg_uri(code: int) -> str:
    return f"http://www.opengis.net/def/crs/EPSG/0/{code}"


SUPPORTED_CRS: dict[str, OutputCrs] = {
    crs.uri: crs
    for crs in (
        OutputCrs(CRS84, 4326),
        OutputCrs(_epsg_uri(4326), 4326, lat_first=True),
        OutputCrs(_epsg_uri(3857), 3857, digits=3, limits=WEB_MERCATOR),
        # UTM 35N (the project's projected SRID) and TUREF / TM27 (Turkey's
        # official grid at İzmir): transverse Mercator, inverted up to ~60° off.
        OutputCrs(_epsg_uri(32635), 32635, digits=3, limits=TRANSVERSE_MERCATOR),
        OutputCrs(_epsg_uri(5253), 5253, digits=3, limits=TRANSVERSE_MERCATOR),
    )
}
# Other spellings of the same CRSs a client may send: safe CURIEs, EPSG:n.
_ALIASES = {
    "[OGC:CRS84]": CRS84,
    "OGC:CRS84": CRS84,
    **{f"[EPSG:{crs.srid}]": crs.uri for crs in SUPPORTED_CRS.values() if not crs.is_crs84},
    **{f"EPSG:{crs.srid}": crs.uri for crs in SUPPORTED_CRS.values() if not crs.is_crs84},
}


def output_crs(value: str | None, *, parameter: str) -> OutputCrs:
    """The CRS named by a `crs`/`bbox-crs` value (absent or empty: CRS84).
    Raises FilterError with the list of supported URIs otherwise."""
    if value is None or value.strip() == "":
        return SUPPORTED_CRS[CRS84]
    name = value.strip()
    found = SUPPORTED_CRS.get(_ALIASES.get(name, name))
    if found is None:
        shown = name[:80] + ("…" if len(name) > 80 else "")
        raise FilterError(parameter, f"Unsupported CRS {shown!r}; use one of {', '.join(SUPPORTED_CRS)}.")
    return found


def geojson_geometry_sql(column: str, crs: OutputCrs) -> str:
    """SQL writing `column` (geography 4326, as SQL) as GeoJSON geometry text
    in `crs`, transformed by PostGIS. `options => 0`: no `crs` member (the
    response names it in its Content-Crs header). The SRID and digits come
    from SUPPORTED_CRS, never from the request."""
    if crs.is_crs84:
        return f"ST_AsGeoJSON({column}, {crs.digits})"
    geometry = f"({column})::geometry"
    if crs.srid != 4326:
        geometry = f"ST_Transform({geometry}, {int(crs.srid)})"
    if crs.lat_first:
        geometry = f"ST_FlipCoordinates({geometry})"
    return f"ST_AsGeoJSON({geometry}, {int(crs.digits)}, 0)"
