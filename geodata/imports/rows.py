"""Raw import rows: what a reader found in one row of a file, before any
domain meaning is given to it (interchange/records.py does that)."""

from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry


@dataclass
class RawRecord:
    """One row of a file: a site or a route (by the file's structure), its
    properties as plain values and its geometry in WGS84."""

    row: int
    kind: str  # "site" or "route"
    props: dict
    geometry: GEOSGeometry | None
    errors: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return str(self.props.get("slug") or "").strip()


def site_row(row: int, props: dict, geometry: GEOSGeometry | None) -> RawRecord:
    return RawRecord(row, "site", props, geometry)


def route_row(row: int, props: dict, geometry: GEOSGeometry | None) -> RawRecord:
    return RawRecord(row, "route", props, geometry)
