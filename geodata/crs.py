"""The one list of names meaning WGS84 longitude/latitude (CRS84).

RFC 7946 GeoJSON has no `crs` member; its 2008 predecessor named the CRS,
and files and clients still send these. EPSG:4326 is listed because GeoJSON
writers use it for lon/lat order (GDAL, QGIS); its official axis order is
lat/lon, but no GeoJSON writer follows that. The API's staff bodies, the
path-file upload, file imports and the OGC API all use this list.
"""

import re

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
